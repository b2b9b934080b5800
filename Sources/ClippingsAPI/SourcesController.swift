import ClippingsStore
import Hummingbird

/// `/sources`: the publishers in the archive, each with its articles.
struct SourcesController<Context: RequestContext> {
    let store: any ArchiveStore

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .get(":slug", use: get)
            .get(":slug/articles", use: articles)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = try DirectoryListing.query(from: request)
        let page = try await store.sources(query)
        return try ListResponse(page, transform: SourceResponse.init).response(from: request, context: context)
            .linkingNextPage(of: request, cursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> SourceResponse {
        _ = try QueryParameters(request, allowed: [])
        return SourceResponse(source: try await source(context))
    }

    @Sendable func articles(_ request: Request, context: Context) async throws -> Response {
        var query = try ArticleListing.query(from: request, fixed: ["source"])
        query.sources = [try await source(context).slug]
        return try await ArticleListing.respond(to: request, context: context, store: store, query: query)
    }

    private func source(_ context: Context) async throws -> SourceInfo {
        let slug = try context.parameters.require("slug")
        guard let source = try await store.source(slug: slug) else { throw Problem.notFound("No source '\(slug)'.") }
        return source
    }
}

import ClippingsStore
import Hummingbird

/// `/tags`: the tags in use, each with its articles.
struct TagsController<Context: RequestContext> {
    let store: any ArchiveStore

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .get(":slug", use: get)
            .get(":slug/articles", use: articles)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = try DirectoryListing.query(from: request)
        let page = try await store.tags(query)
        return try ListResponse(page, transform: TagResponse.init).response(from: request, context: context)
            .linkingNextPage(of: request, cursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> TagResponse {
        _ = try QueryParameters(request, allowed: [])
        return TagResponse(tag: try await tag(context))
    }

    @Sendable func articles(_ request: Request, context: Context) async throws -> Response {
        var query = try ArticleListing.query(from: request, fixed: ["tag"])
        query.tags = [try await tag(context).slug]
        return try await ArticleListing.respond(to: request, context: context, store: store, query: query)
    }

    private func tag(_ context: Context) async throws -> TagInfo {
        let slug = try context.parameters.require("slug")
        guard let tag = try await store.tag(slug: slug) else { throw Problem.notFound("No tag '\(slug)'.") }
        return tag
    }
}

/// Parameters shared by the `/tags` and `/sources` lists.
enum DirectoryListing {
    static func query(from request: Request) throws(Problem) -> DirectoryQuery {
        let parameters = try QueryParameters(request, allowed: ["limit", "cursor", "prefix"])
        var query = DirectoryQuery()
        query.limit = try parameters.integer("limit", in: 1...ArticleListing.maximumLimit, default: 20)
        query.cursor = try parameters.cursor()
        query.prefix = try parameters.single("prefix")
        return query
    }
}

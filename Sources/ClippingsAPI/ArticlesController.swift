import ClippingsStore
import Hummingbird

/// `/articles`: the archive's articles, listed and one by one.
struct ArticlesController<Context: RequestContext> {
    let store: any ArchiveStore

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .get(":id", use: get)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        try await ArticleListing(request).respond(to: request, store: store)
    }

    /// By numeric id, or by slug for readable URLs.
    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let fields = try QueryParameters(request, allowed: ["fields"]).fields(FieldSelection.article)
        let key = try context.parameters.require("id")
        var found: ArticleDetail?
        // Only canonical numbers are ids (`007` and `+7` are not); slugs are never all digits.
        if key.wholeMatch(of: /[1-9][0-9]{0,17}/) != nil, let id = Int64(key) {
            found = try await store.article(id: id)
        }
        if found == nil { found = try await store.article(slug: key) }
        guard let article = found else { throw Problem.notFound("No article with id or slug '\(key)'.") }
        return try FieldSelection.response(ArticleResponse(article: article), fields: fields)
    }
}

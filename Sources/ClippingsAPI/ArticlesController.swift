import ClippingsStore
import Hummingbird

/// `/articles`: the archive's articles, listed and one by one.
struct ArticlesController<Context: RequestContext> {
    let store: any ArchiveStore
    let writes: WritePolicy
    let metrics: ServerMetrics
    /// The largest `limit` accepted.
    let maximumPageSize: Int

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .post(use: create)
            .post("bulk", use: bulk)
            .get("export", use: export)
            .head("export", use: exportHead)
            .get(":id", use: get)
            .delete(":id", use: delete)
            .patch(":id", use: update)
            .get(":id/related", use: related)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        try await ArticleListing(request, maximumPageSize: maximumPageSize).respond(to: request, store: store)
    }

    /// Every matching article, streamed as NDJSON or CSV.
    @Sendable func export(_ request: Request, context: Context) async throws -> Response {
        try ArticleExport(store: store, parameters: QueryParameters.pairs(of: request)).response()
    }

    /// The export's headers without running it. Its length is unknown until it has streamed, so the answer
    /// names none (the router's own HEAD would say `Content-Length: 0`, which GET contradicts).
    @Sendable func exportHead(_ request: Request, context: Context) async throws -> Response {
        var response = try ArticleExport(store: store, parameters: QueryParameters.pairs(of: request)).response()
        response.body = ResponseBody { writer in try await writer.finish(nil) }
        return response
    }

    /// The articles most like this one, best first, each with a `score`.
    @Sendable func related(_ request: Request, context: Context) async throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["limit", "fields"])
        let limit = try parameters.integer("limit", in: 1...maximumPageSize, default: 10)
        let fields = try parameters.fields(ResourceFields.articleSummaryNames)
        let article = try await find(try context.parameters.require("id"))
        let related = try await store.relatedArticles(to: article.summary.id, limit: limit) ?? []
        let page = Page(items: related, total: related.count, nextCursor: nil)
        return try FieldSelection.response(ListResponse(page, transform: ArticleSummaryJSON.init), fields: fields)
    }

    /// By numeric id, or by slug for readable URLs.
    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let fields = try QueryParameters(request, allowed: ["fields"]).fields(ResourceFields.articleNames)
        return try FieldSelection.response(
            ArticleJSON(try await find(try context.parameters.require("id"))),
            fields: fields
        )
    }

    func find(_ key: String) async throws -> ArticleDetail {
        try await store.article(idOrSlug: key)
    }
}

extension ArchiveStore {
    /// The article a path names, by numeric id or by slug for readable URLs; a 404 problem when none.
    func article(idOrSlug key: String) async throws -> ArticleDetail {
        var found: ArticleDetail?
        // Only canonical numbers are ids (`007` and `+7` are not); slugs are never all digits.
        if key.wholeMatch(of: /[1-9][0-9]{0,17}/) != nil, let id = Int64(key) {
            found = try await article(id: id)
        }
        if found == nil { found = try await article(slug: key) }
        guard let found else { throw Problem.notFound("No article with id or slug '\(key)'.") }
        return found
    }
}

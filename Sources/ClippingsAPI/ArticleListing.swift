import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird

/// The `/articles`-shaped listing shared by `/articles`, `/tags/{slug}/articles` and `/sources/{slug}/articles`:
/// what to find (`query`) and how to present it (`fields`, `facets`).
struct ArticleListing {
    static let parameters = ArticleQuery.filterParameters.union(["limit", "cursor", "fields", "facets"])

    var query: ArticleQuery
    var fields: Set<String>?
    var facets: Set<Facet> = []

    /// Reads the listing parameters of a request. A listing scoped by its path (`/tags/{slug}/articles`)
    /// does not accept the parameter the path already fixes.
    init(_ request: Request, fixed: Set<String> = [], maximumPageSize: Int) throws(InputError) {
        let parameters = try QueryParameters(request, allowed: Self.parameters.subtracting(fixed))
        query = try ArticleQuery(parameters, maximumPageSize: maximumPageSize)
        fields = try parameters.fields(ResourceFields.articleSummaryNames)
        let names = try parameters.names("facets", allowed: Set(Facet.allCases.map(\.rawValue))) ?? []
        facets = Set(names.compactMap(Facet.init(rawValue:)))
    }

    /// Answers with one page, its facets if asked, and a `Link: <…>; rel="next"` header when there is more.
    func respond(to request: Request, store: any ArchiveStore) async throws -> Response {
        let page = try await store.articles(query)
        var list = ListResponse(page, transform: ArticleSummaryJSON.init)
        if !facets.isEmpty {
            let counts = try await store.facets(facets, for: query, limit: 20)
            list.facets = Dictionary(
                uniqueKeysWithValues: counts.map { facet, values in
                    (facet.rawValue, values.map { FacetCount(value: $0.value, count: $0.count) })
                }
            )
        }
        return try FieldSelection.response(list, fields: fields).linkingNextPage(of: request, cursor: page.nextCursor)
    }
}

extension Response {
    /// Adds the RFC 8288 `Link` header pointing at the next page: the same path and parameters (re-encoded,
    /// so nothing a client sent can break the header) with the new cursor, as a relative reference.
    func linkingNextPage(of request: Request, cursor: String?) -> Response {
        guard let cursor else { return self }
        // The request's parameters were validated before it got here.
        let sent = (try? QueryParameters.pairs(of: request)) ?? []
        let pairs = sent.filter { $0.name != "cursor" } + [("cursor", cursor)]
        var response = self
        response.headers[.link] = "<\(request.uri.path)?\(QueryParameters.encode(pairs))>; rel=\"next\""
        return response
    }
}

extension HTTPField.Name {
    static let link = HTTPField.Name("Link")!
}

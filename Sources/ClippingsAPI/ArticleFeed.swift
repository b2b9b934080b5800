import ClippingsStore
import Foundation
import Hummingbird

/// One page of a feed of any `/articles` query: its articles whole, and the absolute links a feed reader
/// needs (RFC 5005 paging: `self`, `first`, `next`). Atom and JSON Feed render it (`AtomFeed`, `JSONFeed`).
struct ArticleFeed {
    static let parameters = ArticleQuery.filterParameters.union(["limit", "cursor"])

    var title: String
    /// This page; the first page, which is also the feed's identity; the next page, if there is one.
    var selfURL: String
    var firstURL: String
    var nextURL: String?
    /// The same listing as JSON.
    var listingURL: String
    var articles: [ArticleDetail]
    /// The server's public address, without a trailing slash.
    var base: String

    /// The latest change among the page's articles: a feed's `updated`. An empty page has the epoch, so
    /// that its answer (and ETag) does not change with the clock.
    var updated: Date { articles.map(\.updatedAt).max() ?? Date(timeIntervalSince1970: 0) }

    /// Reads a feed request's `/articles` parameters and fetches its page.
    init(_ request: Request, store: any ArchiveStore, maximumPageSize: Int, base: String) async throws {
        let parameters = try QueryParameters(request, allowed: Self.parameters)
        let query = try ArticleQuery(parameters, maximumPageSize: maximumPageSize)
        let page = try await store.articles(query)
        articles = try await store.details(of: page.items)
        self.base = base
        let path = request.uri.path
        let sent = try QueryParameters.pairs(of: request)
        let selecting = sent.filter { $0.name != "cursor" }
        func url(_ path: String, _ pairs: [(name: String, value: String)]) -> String {
            base + path + (pairs.isEmpty ? "" : "?" + QueryParameters.encode(pairs))
        }
        selfURL = url(path, sent)
        firstURL = url(path, selecting)
        nextURL = page.nextCursor.map { url(path, selecting + [("cursor", $0)]) }
        listingURL = url("/articles", sent)
        let described = selecting.filter { $0.name != "limit" }.map { "\($0.name)=\($0.value)" }
        title = "Clippings" + (described.isEmpty ? ": latest articles" : ": " + described.joined(separator: ", "))
    }

    /// The article's address in the API: its entry's identity, stable as long as the public URL is.
    func apiURL(of article: ArticleDetail) -> String { "\(base)/articles/\(article.summary.id)" }

    /// The article's text, paragraphs apart.
    func text(of article: ArticleDetail) -> String { article.paragraphs.joined(separator: "\n\n") }
}

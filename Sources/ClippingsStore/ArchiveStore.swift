import ClippingsExtraction
import Foundation

/// What the API needs from storage. The API holds no SQL; a new backend is one new conformance.
public protocol ArchiveStore: Sendable {
    /// Stores an extracted article unless the archive already holds it.
    func importArticle(_ article: ExtractedArticle, now: Date) async throws -> ImportOutcome
    /// One page of articles matching a query; throws `QueryError.invalidCursor` for a foreign cursor.
    func articles(_ query: ArticleQuery) async throws -> Page<ArticleSummary>
    /// The full article with this id.
    func article(id: Int64) async throws -> ArticleDetail?
    /// Whole articles for a page of summaries, in the same order.
    func details(of summaries: [ArticleSummary]) async throws -> [ArticleDetail]
    /// The full article with this slug.
    func article(slug: String) async throws -> ArticleDetail?
    /// Tags in use, most used first.
    func tags(_ query: DirectoryQuery) async throws -> Page<TagInfo>
    /// One tag in use.
    func tag(slug: String) async throws -> TagInfo?
    /// Sources with articles, most prolific first.
    func sources(_ query: DirectoryQuery) async throws -> Page<SourceInfo>
    /// One source with articles.
    func source(slug: String) async throws -> SourceInfo?
    /// Value counts over every article matching a query, per facet.
    func facets(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int
    ) async throws
        -> [Facet: [(value: String, count: Int)]]
    /// The articles most similar to one, each scored; nil when the article does not exist.
    func relatedArticles(to id: Int64, limit: Int) async throws -> [ArticleSummary]?
    /// The tags most often found with a tag, with how many articles carry both.
    func relatedTags(to slug: String, limit: Int) async throws -> [(tag: TagRef, count: Int)]
    /// Stores many articles in one transaction, reporting each as created or duplicate.
    func importArticles(_ articles: [PreparedArticle], now: Date) async throws -> [ImportOutcome]
    /// Edits an article's metadata; false when there is no such article.
    func updateArticle(id: Int64, _ changes: ArticleChanges, now: Date) async throws -> Bool
    /// Deletes an article; false when there was none.
    func deleteArticle(id: Int64) async throws -> Bool
    /// The number of stored articles.
    func articleCount() async throws -> Int
    /// Changes whenever anything is committed to the archive, by any process: equal means unchanged.
    /// Synchronous and cheap (one pragma on a connection of its own), so an event loop may ask it.
    func dataVersion() throws -> Int64
    func isReady() async throws -> Bool
    func databaseSize() async -> Int?
}

extension AppDatabase: ArchiveStore {}

extension ArchiveStore {
    /// Stores articles not prepared yet (preparing them here, on the caller's task).
    public func importArticles(_ articles: [ExtractedArticle], now: Date = Date()) async throws -> [ImportOutcome] {
        try await importArticles(articles.map { PreparedArticle($0) }, now: now)
    }
}

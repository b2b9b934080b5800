import ClippingsExtraction
import Foundation

/// What the API and the importers need from storage: the seam a storage backend implements.
///
/// Its signatures hold only the archive's own types (no GRDB, no SQLite), and every behaviour a client
/// can observe (orders, filters, cursors, search, facets, writes, counts) is pinned down by the
/// storage-independent conformance suite in the tests, which each backend must pass unchanged.
public protocol ArchiveStore: SubscriptionStore, Sendable {
    /// One page of articles matching a query; throws `QueryError.invalidCursor` for a foreign cursor.
    func articles(_ query: ArticleQuery) async throws -> Page<ArticleSummary>
    /// The full article with this id, or nil.
    func article(id: Int64) async throws -> ArticleDetail?
    /// The full article with this slug, or nil.
    func article(slug: String) async throws -> ArticleDetail?
    /// Whole articles for a page of summaries, in the same order.
    func details(of summaries: [ArticleSummary]) async throws -> [ArticleDetail]
    /// Value counts over every article matching a query, the `limit` commonest per facet.
    func facets(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int
    ) async throws
        -> [Facet: [(value: String, count: Int)]]
    /// The articles most similar to one, each scored; nil when the article does not exist.
    func relatedArticles(to id: Int64, limit: Int) async throws -> [ArticleSummary]?
    /// Stories, latest activity first.
    func stories(_ query: StoryQuery) async throws -> Page<StorySummary>
    /// A story with its coverage, where its id went when it was merged, or nil.
    func story(id: Int64) async throws -> StoryLookup?
    /// Tags in use, most used first.
    func tags(_ query: DirectoryQuery) async throws -> Page<TagInfo>
    /// One tag in use, or nil.
    func tag(slug: String) async throws -> TagInfo?
    /// The tags most often found with a tag, with how many articles carry both.
    func relatedTags(to slug: String, limit: Int) async throws -> [(tag: TagRef, count: Int)]
    /// Sources with articles, most prolific first.
    func sources(_ query: DirectoryQuery) async throws -> Page<SourceInfo>
    /// One source with articles, or nil.
    func source(slug: String) async throws -> SourceInfo?
    /// Stores many articles in one transaction (all or none), reporting each as created or duplicate.
    func importArticles(_ articles: [PreparedArticle], now: Date) async throws -> [ImportOutcome]
    /// Edits an article's metadata; false when there is no such article.
    func updateArticle(id: Int64, _ changes: ArticleChanges, now: Date) async throws -> Bool
    /// Deletes an article; false when there was none.
    func deleteArticle(id: Int64) async throws -> Bool
    /// The articles changed after `since` (each once, at its latest change, deletions as tombstones), in
    /// commit order; throws `ChangeFeedError.expired` when deletions after `since` are no longer kept.
    func changes(since: Int64, limit: Int) async throws -> ChangePage
    /// Forgets deletions older than `cutoff`; how many tombstones went.
    func pruneChanges(before cutoff: Date) async throws -> Int
    /// Returns at this process's next commit or after `timeout`, whichever is first: what a long poll
    /// waits on (another process's commits are seen by asking again).
    func nextCommit(within timeout: Duration) async
    /// The number of stored articles.
    func articleCount() async throws -> Int
    /// Changes whenever anything is committed to the archive, by any process: equal means unchanged.
    /// Synchronous and cheap, so an event loop may ask it before answering from the response cache.
    func dataVersion() throws -> Int64
    /// Whether the storage answers and its schema is complete: what `/ready` reports.
    func isReady() async throws -> Bool
    /// Bytes the archive takes on disk; nil when it has no files of its own (in memory).
    func databaseSize() async -> Int?
    /// Where reads went; nil for an archive without read replicas.
    func readRouting() -> ReadRouting?
}

extension ArchiveStore {
    public func readRouting() -> ReadRouting? { nil }

    /// Stores one extracted article unless the archive already holds it.
    public func importArticle(_ article: ExtractedArticle, now: Date = Date()) async throws -> ImportOutcome {
        guard let outcome = try await importArticles([PreparedArticle(article)], now: now).first else {
            throw StoreError.noOutcome
        }
        return outcome
    }

    /// Stores articles not prepared yet (preparing them here, on the caller's task).
    public func importArticles(_ articles: [ExtractedArticle], now: Date = Date()) async throws -> [ImportOutcome] {
        try await importArticles(articles.map { PreparedArticle($0) }, now: now)
    }
}

/// A backend that broke the seam's promises.
public enum StoreError: Error, Equatable, Sendable {
    /// `importArticles` answered without an outcome for an article.
    case noOutcome
}

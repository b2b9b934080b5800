import ClippingsExtraction
import Foundation
import GRDB
import Logging

/// The SQLite archive as an `ArchiveStore`: each requirement is one read or write transaction around
/// the query family that answers it.
extension AppDatabase: ArchiveStore {
    public func articles(_ query: ArticleQuery) async throws -> Page<ArticleSummary> {
        if let cursor = query.cursor, cursor.order != query.sort.rawValue || !cursor.continues(query.scope) {
            throw QueryError.invalidCursor
        }
        if query.sort == .relevance, query.search == nil { throw QueryError.relevanceWithoutSearch }
        return try await readArticles { db in
            if let search = query.search { try PhraseWork.check(search, in: db) }
            return try ArticleLister.page(query, memo: matchMemo, in: db)
        }
    }

    public func article(id: Int64) async throws -> ArticleDetail? {
        try await readArticles { db in try ArticleReads.detail(where: "a.id = ?", id, in: db) }
    }

    public func article(slug: String) async throws -> ArticleDetail? {
        try await readArticles { db in try ArticleReads.detail(where: "a.slug = ?", slug, in: db) }
    }

    public func details(of summaries: [ArticleSummary]) async throws -> [ArticleDetail] {
        try await readArticles { db in try ArticleReads.details(of: summaries, in: db) }
    }

    public func facets(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int = 20
    ) async throws
        -> [Facet: [(value: String, count: Int)]]
    {
        guard !facets.isEmpty else { return [:] }
        let columns = facetColumns
        return try await writer.read { db in
            if let search = query.search { try PhraseWork.check(search, in: db) }
            return try FacetCounter.counts(facets, for: query, limit: limit, columns: columns, memo: matchMemo, in: db)
        }
    }

    public func relatedArticles(to id: Int64, limit: Int) async throws -> [ArticleSummary]? {
        try await readArticles { db in try RelatedFinder.articles(relatedTo: id, limit: limit, in: db) }
    }

    public func tags(_ query: DirectoryQuery) async throws -> Page<TagInfo> {
        try await writer.read { db in try DirectoryLister.tags(query, in: db) }
    }

    public func tag(slug: String) async throws -> TagInfo? {
        try await tags(DirectoryQuery(exactSlug: slug)).items.first
    }

    public func relatedTags(to slug: String, limit: Int) async throws -> [(tag: TagRef, count: Int)] {
        try await writer.read { db in try RelatedFinder.tags(relatedTo: slug, limit: limit, in: db) }
    }

    public func sources(_ query: DirectoryQuery) async throws -> Page<SourceInfo> {
        try await writer.read { db in try DirectoryLister.sources(query, in: db) }
    }

    public func source(slug: String) async throws -> SourceInfo? {
        try await sources(DirectoryQuery(exactSlug: slug)).items.first
    }

    /// The articles come prepared (hashed, slugged, summarised), so the one serial step does only SQL.
    public func importArticles(_ articles: [PreparedArticle], now: Date = Date()) async throws -> [ImportOutcome] {
        let stamp = Timestamp.string(now)
        let outcomes = try await writeArticles { db in
            let memo = StoryMemo()
            return try articles.map { try ArticleWriter.insert($0, stamp: stamp, memo: memo, in: db) }
        }
        for case (.created(let id), let prepared) in zip(outcomes, articles) {
            logger.debug(
                "imported article",
                metadata: ["article.id": "\(id)", "article.title": "\(prepared.article.title)"]
            )
        }
        return outcomes
    }

    public func updateArticle(id: Int64, _ changes: ArticleChanges, now: Date = Date()) async throws -> Bool {
        let changes = changes.normalized
        let stamp = Timestamp.string(now)
        return try await writeArticles { db in try ArticleWriter.update(id, changes, stamp: stamp, in: db) }
    }

    public func deleteArticle(id: Int64) async throws -> Bool {
        try await writeArticles { db in try ArticleWriter.delete(id, in: db) }
    }

    public func stories(_ query: StoryQuery) async throws -> Page<StorySummary> {
        try await writer.read { db in try StoryReads.stories(query, in: db) }
    }

    public func story(id: Int64) async throws -> StoryLookup? {
        try await writer.read { db in try StoryReads.story(id: id, in: db) }
    }

    public func changes(since: Int64, limit: Int) async throws -> ChangePage {
        try await readArticles { db in try ChangeFeed.page(since: since, limit: limit, in: db) }
    }

    public func pruneChanges(before cutoff: Date) async throws -> Int {
        try await writer.write { db in try ChangeFeed.prune(before: cutoff, in: db) }
    }

    public func nextCommit(within timeout: Duration) async {
        await changes.commits.wait(upTo: timeout)
    }

    public func articleCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0 }
    }
}

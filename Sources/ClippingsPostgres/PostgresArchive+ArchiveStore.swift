import ClippingsExtraction
import ClippingsStore
import Foundation
import PostgresNIO

/// The PostgreSQL archive as an `ArchiveStore`: each requirement one snapshot read or one writer's
/// transaction around the query family that answers it.
extension PostgresArchive: ArchiveStore {
    public func articles(_ query: ArticleQuery) async throws -> Page<ArticleSummary> {
        if let cursor = query.cursor, cursor.order != query.sort.rawValue || !cursor.continues(query.scope) {
            throw QueryError.invalidCursor
        }
        if query.sort == .relevance, query.search == nil { throw QueryError.relevanceWithoutSearch }
        return try await read { try await PostgresListing(connection: $0, logger: logger).page(query) }
    }

    public func article(id: Int64) async throws -> ArticleDetail? {
        try await read { try await PostgresReads(connection: $0, logger: logger).details(ids: [id]).first }
    }

    public func article(slug: String) async throws -> ArticleDetail? {
        try await read { connection in
            let reads = PostgresReads(connection: connection, logger: logger)
            guard let id = try await reads.id(slug: slug) else { return nil }
            return try await reads.details(ids: [id]).first
        }
    }

    public func details(of summaries: [ArticleSummary]) async throws -> [ArticleDetail] {
        let details = try await read {
            try await PostgresReads(connection: $0, logger: logger).details(ids: summaries.map(\.id))
        }
        // A search's score and snippet stay with their article.
        let hits = Dictionary(summaries.map { ($0.id, $0.hit) }) { first, _ in first }
        return details.map { detail in
            var detail = detail
            detail.summary.hit = hits[detail.summary.id] ?? nil
            return detail
        }
    }

    public func facets(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int
    ) async throws -> [Facet: [(value: String, count: Int)]] {
        guard !facets.isEmpty else { return [:] }
        return try await read {
            try await PostgresListing(connection: $0, logger: logger).facets(facets, for: query, limit: limit)
        }
    }

    public func relatedArticles(to id: Int64, limit: Int) async throws -> [ArticleSummary]? {
        try await read {
            try await PostgresRelated(connection: $0, logger: logger).articles(relatedTo: id, limit: limit)
        }
    }

    public func tags(_ query: DirectoryQuery) async throws -> Page<TagInfo> {
        let page = try await read {
            try await PostgresDirectory(connection: $0, logger: logger).page(query, kind: .tags)
        }
        return Page(
            items: page.items.map { TagInfo(slug: $0.slug, name: $0.name, articleCount: $0.count) },
            total: page.total,
            nextCursor: page.nextCursor
        )
    }

    public func tag(slug: String) async throws -> TagInfo? {
        try await tags(DirectoryQuery(exactSlug: slug)).items.first
    }

    public func relatedTags(to slug: String, limit: Int) async throws -> [(tag: TagRef, count: Int)] {
        try await read {
            try await PostgresDirectory(connection: $0, logger: logger).relatedTags(to: slug, limit: limit)
        }
    }

    public func sources(_ query: DirectoryQuery) async throws -> Page<SourceInfo> {
        let page = try await read {
            try await PostgresDirectory(connection: $0, logger: logger).page(query, kind: .sources)
        }
        return Page(
            items: page.items.map {
                SourceInfo(
                    slug: $0.slug,
                    name: $0.name,
                    domain: $0.domain,
                    articleCount: $0.count,
                    firstPublishedAt: $0.first.flatMap(Timestamp.date),
                    lastPublishedAt: $0.last.flatMap(Timestamp.date)
                )
            },
            total: page.total,
            nextCursor: page.nextCursor
        )
    }

    public func source(slug: String) async throws -> SourceInfo? {
        try await sources(DirectoryQuery(exactSlug: slug)).items.first
    }

    public func importArticles(_ articles: [PreparedArticle], now: Date) async throws -> [ImportOutcome] {
        let stamp = Timestamp.string(now)
        return try await write { connection in
            try await PostgresWriter(connection: connection, logger: logger).insert(articles, stamp: stamp)
        }
    }

    public func updateArticle(id: Int64, _ changes: ArticleChanges, now: Date) async throws -> Bool {
        let changes = changes.normalized
        let stamp = Timestamp.string(now)
        return try await write {
            try await PostgresWriter(connection: $0, logger: logger).update(id, changes, stamp: stamp)
        }
    }

    public func deleteArticle(id: Int64) async throws -> Bool {
        let stamp = Timestamp.string(Date())
        return try await write { try await PostgresWriter(connection: $0, logger: logger).delete(id, stamp: stamp) }
    }

    public func stories(_ query: StoryQuery) async throws -> Page<StorySummary> {
        try await read { try await PostgresStoryReads(connection: $0, logger: logger).stories(query) }
    }

    public func story(id: Int64) async throws -> StoryLookup? {
        try await read { try await PostgresStoryReads(connection: $0, logger: logger).story(id: id) }
    }

    public func changes(since: Int64, limit: Int) async throws -> ChangePage {
        try await read { connection in
            let state = try await connection.rows(
                SQLBuilder("SELECT latest, pruned_through FROM change_state"),
                logger: logger
            )
            guard let first = state.first else { throw PostgresArchiveError.noRowReturned }
            let (latest, horizon) = try first.decode((Int64, Int64).self)
            if since < horizon { throw ChangeFeedError.expired(oldestSince: horizon) }
            let select = SQLBuilder()
            select.append(
                "SELECT seq, article_id, deleted FROM article_change WHERE seq > \(select.bind(since)) "
                    + "ORDER BY seq LIMIT \(select.bind(limit))"
            )
            let rows = try await connection.rows(select, logger: logger).map {
                try $0.decode((Int64, Int64, Bool).self)
            }
            let details = try await PostgresReads(connection: connection, logger: logger)
                .details(ids: rows.filter { !$0.2 }.map(\.1))
            let byID = Dictionary(uniqueKeysWithValues: details.map { ($0.summary.id, $0) })
            let items = rows.map { ArticleChange(seq: $0.0, articleID: $0.1, article: $0.2 ? nil : byID[$0.1]) }
            return ChangePage(items: items, nextSince: items.last?.seq ?? since, latest: latest)
        }
    }

    public func pruneChanges(before cutoff: Date) async throws -> Int {
        let stamp = Timestamp.string(cutoff)
        return try await write { connection in
            let prune = SQLBuilder()
            prune.append(
                """
                WITH gone AS (DELETE FROM article_change WHERE deleted AND changed_at < \(prune.bind(stamp)) RETURNING seq),
                moved AS (UPDATE change_state SET pruned_through = greatest(pruned_through, (SELECT max(seq) FROM gone))
                    WHERE EXISTS (SELECT 1 FROM gone) RETURNING 1)
                SELECT count(*) FROM gone
                """
            )
            return Int(try await connection.value(Int64.self, prune, logger: logger) ?? 0)
        }
    }

    public func nextCommit(within timeout: Duration) async {
        let start = currentVersion
        let deadline = ContinuousClock.now + timeout
        while currentVersion == start, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    public func articleCount() async throws -> Int {
        Int(
            try await read {
                try await $0.value(Int64.self, SQLBuilder("SELECT articles FROM archive_state"), logger: logger)
            } ?? 0
        )
    }

    public func dataVersion() throws -> Int64 { currentVersion }

    public func isReady() async throws -> Bool { try await isMigrated() }

    public func readRouting() -> ReadRouting? { replicas.isEmpty ? nil : replicas.routing }

    public func databaseSize() async -> Int? {
        try? await read { connection in
            try await connection.value(
                Int64.self,
                SQLBuilder("SELECT pg_database_size(current_database())"),
                logger: logger
            )
        }.map(Int.init)
    }
}

import ClippingsExtraction
import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// Pages, totals and facets of article listings: the filters as one WHERE clause, keyset pagination in
/// each order, and searches ranked by BM25.
struct PostgresListing {
    let connection: PostgresConnection
    let logger: Logger

    /// The WHERE clause of a query's filters and search over `article a` (several values of one filter OR
    /// together, different filters AND), its values bound into `sql`.
    static func filter(_ query: ArticleQuery, _ sql: SQLBuilder) -> String {
        var conditions = ["true"]
        if !query.tags.isEmpty {
            conditions.append(
                "a.id IN (SELECT article_id FROM article_tag WHERE tag_id IN (\(named("tag", query.tags, sql))))"
            )
        }
        if !query.sources.isEmpty { conditions.append("a.source_id IN (\(named("source", query.sources, sql)))") }
        if !query.languages.isEmpty {
            conditions.append("a.language = ANY(\(sql.bind(query.languages.map(LanguageIdentifier.canonicalCode))))")
        }
        if !query.authors.isEmpty {
            let keys = sql.bind(query.authors.map(ArticleRules.sortKey))
            conditions.append(
                "(a.author_key = ANY(\(keys)) OR a.id IN (SELECT article_id FROM article_author WHERE name_key = ANY(\(keys))))"
            )
        }
        if !query.stories.isEmpty { conditions.append("a.story_id = ANY(\(sql.bind(query.stories)))") }
        if let after = query.updatedAfter { conditions.append("a.updated_at > \(sql.bind(Timestamp.string(after)))") }
        if let before = query.updatedBefore {
            conditions.append("a.updated_at < \(sql.bind(Timestamp.string(before)))")
        }
        if let from = query.from { conditions.append("a.published_at >= \(sql.bind(Timestamp.string(from)))") }
        if let until = query.until { conditions.append("a.published_at < \(sql.bind(Timestamp.string(until)))") }
        if let search = query.search { conditions.append("a.search @@ \(PostgresSearch(search: search).tsquery(sql))") }
        return conditions.joined(separator: " AND ")
    }

    /// The ids of the tag or source rows named by `values`: a slug as given or as the name makes it, or the
    /// name folded (`tromso` finds `Tromsø`).
    static func named(_ table: String, _ values: [String], _ sql: SQLBuilder) -> String {
        let slugs = Array(Set(values + values.map(Slugifier.slug)).filter { !$0.isEmpty })
        let keys = Array(Set(values.map(ArticleRules.sortKey)))
        return "SELECT id FROM \(table) WHERE slug = ANY(\(sql.bind(slugs))) OR name_key = ANY(\(sql.bind(keys)))"
    }

    /// One order's ORDER BY, and the condition that resumes it after a cursor's (key, id).
    struct Order {
        let orderBy: String
        let after: (String?, Int64, SQLBuilder) -> String?
        let key: (ArticleSummary) -> String?

        static func of(_ sort: ArticleQuery.Sort) -> Order {
            switch sort {
            case .newest: dated(descending: true)
            case .oldest: dated(descending: false)
            case .title:
                Order(
                    orderBy: "a.title_key, a.id",
                    after: { key, id, sql in
                        key.map {
                            let key = sql.bind($0)
                            return "(a.title_key > \(key) OR (a.title_key = \(key) AND a.id > \(sql.bind(id))))"
                        }
                    },
                    key: { ArticleRules.sortKey($0.title) }
                )
            case .relevance:
                Order(
                    orderBy: "a.score DESC, a.id",
                    after: { key, id, sql in
                        key.flatMap(Double.init).map {
                            let score = sql.bind($0)
                            return "(a.score < \(score) OR (a.score = \(score) AND a.id > \(sql.bind(id))))"
                        }
                    },
                    key: { $0.hit.map { String($0.score) } }
                )
            }
        }

        /// Dated articles by date (ties by id), then the undated ones by id.
        static func dated(descending: Bool) -> Order {
            let direction = descending ? " DESC" : ""
            let beyond = descending ? "<" : ">"
            return Order(
                orderBy: "(a.published_at IS NULL), a.published_at\(direction), a.id\(direction)",
                after: { key, id, sql in
                    guard let key else { return "(a.published_at IS NULL AND a.id \(beyond) \(sql.bind(id)))" }
                    let bound = sql.bind(key)
                    return """
                        (a.published_at \(beyond) \(bound) OR (a.published_at = \(bound) AND a.id \(beyond) \(sql.bind(id)))
                        OR a.published_at IS NULL)
                        """
                },
                key: { $0.publishedAt.map(Timestamp.string) }
            )
        }
    }

    /// One page of articles, with the total over all pages and the next page's cursor.
    func page(_ query: ArticleQuery) async throws -> Page<ArticleSummary> {
        let order = Order.of(query.sort)
        let sql = SQLBuilder()
        var ranking: SearchRanking?
        var score = "NULL::float8"
        var conditions = Self.filter(query, sql)
        if let search = query.search {
            let searching = PostgresSearch(search: search)
            if let given = query.cursor?.ranking {
                guard given.isPlausible, given.phraseRows.count == searching.scoredTerms.count else {
                    throw QueryError.invalidCursor
                }
                ranking = given
            } else {
                ranking = try await searching.ranking(connection: connection, logger: logger)
            }
            score = PostgresSearch.score(lexemes: searching.lexemes, ranking: ranking!, sql)
            // Later pages rank only what existed at the first, with its statistics.
            if query.cursor != nil { conditions += " AND a.id <= \(sql.bind(ranking!.newestID))" }
        }
        var resume = "true"
        if let cursor = query.cursor {
            guard let id = Int64(cursor.last), let after = order.after(cursor.key, id, sql) else {
                throw QueryError.invalidCursor
            }
            resume = after
        }
        sql.append(
            """
            WITH page AS (
                SELECT * FROM (SELECT a.id, a.published_at, a.title_key, \(score) AS score
                    FROM article a WHERE \(conditions)) a
                WHERE \(resume) ORDER BY \(order.orderBy) LIMIT \(sql.bind(query.limit + 1)))
            SELECT \(PostgresReads.summaryColumns), page.score,
                \(query.search == nil ? "NULL::text, NULL::text" : "a.title, left(a.body, \(SearchTokenizer.snippetScanLimit))")
            FROM page JOIN article a ON a.id = page.id LEFT JOIN source s ON s.id = a.source_id
            ORDER BY \(order.orderBy.replacingOccurrences(of: "a.score", with: "page.score"))
            """
        )
        var texts: [(title: String, body: String)] = []
        var items = try await connection.rows(sql, logger: logger).map { row in
            let cells = row.makeRandomAccess()
            var summary = try PostgresReads.summary(cells)
            if let score = try cells[PostgresReads.summaryColumnCount].decode(Double?.self) {
                summary.hit = SearchHit(score: score, snippet: "")
                texts.append(
                    (
                        try cells[PostgresReads.summaryColumnCount + 1].decode(String.self),
                        try cells[PostgresReads.summaryColumnCount + 2].decode(String.self)
                    )
                )
            }
            return summary
        }
        let more = items.count > query.limit
        if more { items.removeLast() }
        // Excerpts as SQLite makes them, for the page's hits only.
        if let search = query.search, !texts.isEmpty {
            let snippets = try SearchTokenizer.shared.snippets(search, of: Array(texts.prefix(items.count)))
            for (index, snippet) in snippets.enumerated() { items[index].hit?.snippet = snippet }
        }
        let next =
            more
            ? items.last.map { item in
                var cursor = Cursor(
                    order: query.sort.rawValue,
                    key: order.key(item),
                    last: String(item.id),
                    scope: query.scope
                )
                cursor.ranking = ranking
                return cursor.token
            } : nil
        return Page(items: items, total: try await total(query), nextCursor: next)
    }

    /// How many articles match, over all pages (0 when the query does not ask).
    func total(_ query: ArticleQuery) async throws -> Int {
        guard query.countsTotal else { return 0 }
        let sql = SQLBuilder()
        let conditions = Self.filter(query, sql)
        if conditions == "true" {
            sql.append("SELECT articles FROM archive_state")
        } else {
            sql.append("SELECT count(*) FROM article a WHERE \(conditions)")
        }
        return Int(try await connection.value(Int64.self, sql, logger: logger) ?? 0)
    }

    /// The `limit` commonest values of each facet over every matching article.
    func facets(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int
    ) async throws
        -> [Facet: [(value: String, count: Int)]]
    {
        var result: [Facet: [(value: String, count: Int)]] = [:]
        for facet in facets {
            let sql = SQLBuilder()
            let matching = "SELECT a.id FROM article a WHERE \(Self.filter(query, sql))"
            switch facet {
            case .tag:
                sql.append(
                    "SELECT t.slug, count(*) FROM article_tag at JOIN tag t ON t.id = at.tag_id "
                        + "WHERE at.article_id IN (\(matching)) GROUP BY t.slug"
                )
            case .source:
                sql.append(
                    "SELECT s.slug, count(*) FROM article a JOIN source s ON s.id = a.source_id "
                        + "WHERE a.id IN (\(matching)) GROUP BY s.slug"
                )
            case .language:
                sql.append("SELECT a.language, count(*) FROM article a WHERE a.id IN (\(matching)) GROUP BY a.language")
            case .year, .month:
                let width = facet == .year ? 4 : 7
                sql.append(
                    "SELECT substr(a.published_at, 1, \(width)), count(*) FROM article a "
                        + "WHERE a.id IN (\(matching)) AND a.published_at IS NOT NULL GROUP BY 1"
                )
            case .story:
                sql.append(
                    "SELECT a.story_id::text, count(*) FROM article a "
                        + "WHERE a.id IN (\(matching)) AND a.story_id IS NOT NULL GROUP BY 1"
                )
            }
            var counts: [String: Int] = [:]
            for row in try await connection.rows(sql, logger: logger) {
                let (value, count) = try row.decode((String, Int64).self)
                counts[value] = Int(count)
            }
            result[facet] = FacetCounter.commonest(counts, limit: facet.kept(limit))
        }
        return result
    }
}

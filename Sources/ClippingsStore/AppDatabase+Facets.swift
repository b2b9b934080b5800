import Foundation
import GRDB

/// The dimensions a result set can be counted along.
public enum Facet: String, Sendable, CaseIterable, Hashable {
    case tag, source, language, year
}

extension AppDatabase {
    /// How many of the articles matching `query` (all pages, not just one) have each value of each facet:
    /// the 20 commonest values per facet, most frequent first.
    public func facets(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int = 20
    ) async throws
        -> [Facet: [(value: String, count: Int)]]
    {
        guard !facets.isEmpty else { return [:] }
        return try await writer.read { db in
            let (matches, arguments) = Self.matchingIDs(query)
            var result: [Facet: [(value: String, count: Int)]] = [:]
            if facets.contains(.tag) {
                result[.tag] = try Self.tagCounts(matching: matches, arguments, limit: limit, in: db)
            }
            let perArticle = facets.subtracting([.tag])
            guard !perArticle.isEmpty else { return result }
            // Every per-article facet from one pass over the matches (each pass runs the search again):
            // SQLite groups by all three at once, at most sources × languages × years rows, summed here.
            var counts: [Facet: [String: Int]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.slug, g.language, g.year, g.count FROM (
                        SELECT a.source_id, a.language, substr(a.published_at, 1, 4) AS year, COUNT(*) AS count
                        FROM article a WHERE a.id IN (\(matches)) GROUP BY 1, 2, 3
                    ) g LEFT JOIN source s ON s.id = g.source_id
                    """,
                arguments: arguments
            ) {
                let count: Int = row[3]
                let values: [Facet: String?] = [.source: row[0], .language: row[1], .year: row[2]]
                for facet in perArticle {
                    guard let value = values[facet] ?? nil else { continue }
                    counts[facet, default: [:]][value, default: 0] += count
                }
            }
            for facet in perArticle {
                result[facet] = Self.commonest(counts[facet] ?? [:], limit: limit)
            }
            return result
        }
    }

    /// The `limit` tags most common among the matching articles (ties by slug), counted here by tag id as
    /// the links stream out: SQLite's `GROUP BY` sorted every link first (over half of the tag query's time
    /// in SQLite). Slugs are read only for the tags that can make the list.
    static func tagCounts(
        matching matches: String,
        _ arguments: StatementArguments,
        limit: Int,
        in db: Database
    ) throws -> [(value: String, count: Int)] {
        var counts: [Int64: Int] = [:]
        let links = try Int64.fetchCursor(
            db,
            sql: "SELECT tag_id FROM article_tag WHERE article_id IN (\(matches))",
            arguments: arguments
        )
        while let tag = try links.next() { counts[tag, default: 0] += 1 }
        guard limit > 0, !counts.isEmpty else { return [] }
        // Every tag counted at least as often as the limit-th commonest: the ties there are broken by slug.
        let cutoff = counts.values.sorted(by: >)[min(limit, counts.count) - 1]
        let candidates = counts.filter { $0.value >= cutoff }
        let ids = "[" + candidates.keys.map(String.init).joined(separator: ",") + "]"
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, slug FROM tag WHERE id IN (SELECT value FROM json_each(?))",
            arguments: [ids]
        )
        var bySlug: [String: Int] = [:]
        for row in rows {
            let id: Int64 = row[0]
            bySlug[row[1]] = candidates[id]
        }
        return commonest(bySlug, limit: limit)
    }

    /// The `limit` commonest values, most frequent first, ties in value order: every facet's order.
    static func commonest(_ counts: [String: Int], limit: Int) -> [(value: String, count: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { (value: $0.key, count: $0.value) }
    }

    /// A subquery selecting the ids of every article matching the query's filters and search.
    static func matchingIDs(_ query: ArticleQuery) -> (sql: String, arguments: StatementArguments) {
        let filter = ArticleFilter(query)
        guard let search = query.search else {
            return ("SELECT a.id FROM article a WHERE \(filter.sql)", filter.arguments)
        }
        if filter.isEmpty {
            return ("SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ?", [search.ftsExpression])
        }
        return (
            "SELECT a.id FROM article_fts JOIN article a ON a.id = article_fts.rowid WHERE article_fts MATCH ? AND \(filter.sql)",
            [search.ftsExpression] + filter.arguments
        )
    }
}

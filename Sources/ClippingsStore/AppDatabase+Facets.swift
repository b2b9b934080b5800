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
                // Counted by tag id over the links; names are read for the commonest only.
                result[.tag] = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT t.slug AS value, c.count FROM (
                            SELECT tag_id, COUNT(*) AS count FROM article_tag WHERE article_id IN (\(matches))
                            GROUP BY tag_id
                        ) c JOIN tag t ON t.id = c.tag_id
                        ORDER BY c.count DESC, t.slug LIMIT ?
                        """,
                    arguments: arguments + [limit]
                ).map { (value: $0["value"], count: $0["count"]) }
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
                result[facet] = (counts[facet] ?? [:])
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .prefix(limit).map { (value: $0.key, count: $0.value) }
            }
            return result
        }
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

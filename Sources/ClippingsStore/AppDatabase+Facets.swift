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
            for facet in facets {
                let sql: String
                switch facet {
                case .tag:
                    sql = """
                        SELECT t.slug AS value, COUNT(*) AS count FROM article_tag at JOIN tag t ON t.id = at.tag_id
                        WHERE at.article_id IN (\(matches)) GROUP BY t.id
                        """
                case .source:
                    sql = """
                        SELECT s.slug AS value, COUNT(*) AS count FROM article a JOIN source s ON s.id = a.source_id
                        WHERE a.id IN (\(matches)) GROUP BY s.id
                        """
                case .language:
                    sql =
                        "SELECT language AS value, COUNT(*) AS count FROM article WHERE id IN (\(matches)) GROUP BY language"
                case .year:
                    sql = """
                        SELECT substr(published_at, 1, 4) AS value, COUNT(*) AS count FROM article
                        WHERE id IN (\(matches)) AND published_at IS NOT NULL GROUP BY value
                        """
                }
                result[facet] = try Row.fetchAll(
                    db,
                    sql: "\(sql) ORDER BY count DESC, value LIMIT ?",
                    arguments: arguments + [limit]
                ).map { (value: $0["value"], count: $0["count"]) }
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

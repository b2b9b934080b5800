import ClippingsExtraction
import Foundation
import GRDB

/// The WHERE clause for an article query's filters; several values of one filter OR together.
struct ArticleFilter {
    var sql = "1"
    var arguments = StatementArguments()

    /// Whether the query filters nothing.
    var isEmpty: Bool { sql == "1" }

    /// `tagsByMembership` tests each article for the tags (one primary-key probe per row, for walking an
    /// index in order) instead of collecting the tagged articles first.
    init(_ query: ArticleQuery, tagsByMembership: Bool = false) {
        // Collected, the tagged articles come from the tag-and-date index: only the links in the range.
        let linkRange = DateRange(query, column: "at.published_at")
        add(
            query.tags,
            tagsByMembership
                ? """
                EXISTS (SELECT 1 FROM article_tag at WHERE at.article_id = a.id
                    AND at.tag_id IN (SELECT id FROM tag WHERE slug IN (%@)))
                """
                : """
                a.id IN (SELECT at.article_id FROM article_tag at
                    WHERE at.tag_id IN (SELECT id FROM tag WHERE slug IN (%@))\(linkRange.sql))
                """,
            then: tagsByMembership ? [] : linkRange.arguments
        )
        add(query.sources, "a.source_id IN (SELECT id FROM source WHERE slug IN (%@))")
        add(query.languages.map(LanguageIdentifier.canonicalCode), "a.language IN (%@)")
        // The whole byline, as before several authors were kept, or any one writer's name (v7).
        let authorKeys = query.authors.map(ArticleRules.sortKey)
        add(
            authorKeys,
            "(a.author_key IN (%@) OR a.id IN (SELECT article_id FROM article_author WHERE name_key IN (%@)))",
            then: StatementArguments(authorKeys)
        )
        let range = DateRange(query, column: "a.published_at")
        // Said outright, so the date-order indexes (whose first column it is) can seek to the range.
        if !range.sql.isEmpty { sql += " AND (a.published_at IS NULL) = 0" }
        sql += range.sql
        arguments += range.arguments
    }

    private mutating func add(_ values: [String], _ template: String, then more: StatementArguments = []) {
        guard !values.isEmpty else { return }
        sql += " AND " + template.replacingOccurrences(of: "%@", with: ArticleReads.placeholders(values.count))
        arguments += StatementArguments(values) + more
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
            """
            SELECT a.id FROM article_fts JOIN article a ON a.id = article_fts.rowid \
            WHERE article_fts MATCH ? AND \(filter.sql)
            """,
            [search.ftsExpression] + filter.arguments
        )
    }
}

/// A query's `from` (inclusive) and `until` (exclusive) as conditions on a date column, each ` AND …`.
struct DateRange {
    var sql = ""
    var arguments = StatementArguments()

    init(_ query: ArticleQuery, column: String) {
        if let from = query.from {
            sql += " AND \(column) >= ?"
            arguments += [Timestamp.string(from)]
        }
        if let until = query.until {
            sql += " AND \(column) < ?"
            arguments += [Timestamp.string(until)]
        }
    }
}

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
        if !query.tags.isEmpty {
            let tags = Self.named("tag", query.tags)
            let linkRange = DateRange(query, column: "at.published_at")
            sql +=
                tagsByMembership
                ? " AND EXISTS (SELECT 1 FROM article_tag at WHERE at.article_id = a.id AND at.tag_id IN (\(tags.sql)))"
                : """
                 AND a.id IN (SELECT at.article_id FROM article_tag at
                    WHERE at.tag_id IN (\(tags.sql))\(linkRange.sql))
                """
            arguments += tags.arguments + (tagsByMembership ? [] : linkRange.arguments)
        }
        if !query.sources.isEmpty {
            let sources = Self.named("source", query.sources)
            sql += " AND a.source_id IN (\(sources.sql))"
            arguments += sources.arguments
        }
        add(query.languages.map(LanguageIdentifier.canonicalCode), "a.language IN (%@)")
        // The whole byline, as before several authors were kept, or any one writer's name (v7).
        let authorKeys = query.authors.map(ArticleRules.sortKey)
        add(
            authorKeys,
            "(a.author_key IN (%@) OR a.id IN (SELECT article_id FROM article_author WHERE name_key IN (%@)))",
            then: StatementArguments(authorKeys)
        )
        add(query.stories.map(String.init), "a.story_id IN (%@)")
        if let after = query.updatedAfter {
            sql += " AND a.updated_at > ?"
            arguments += [Timestamp.string(after)]
        }
        if let before = query.updatedBefore {
            sql += " AND a.updated_at < ?"
            arguments += [Timestamp.string(before)]
        }
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

    /// The ids of a tag or source table's rows named by `values`, each a slug or a name: the slug as given
    /// or as the name would make it (`TV 2` finds `tv-2`), or the name folded as `name_key` holds it (case,
    /// accents and width aside: `tromso` finds `Tromsø`).
    static func named(_ table: String, _ values: [String]) -> (sql: String, arguments: StatementArguments) {
        let slugs = Array(Set(values + values.map(Slugifier.slug)).filter { !$0.isEmpty })
        let keys = Array(Set(values.map(ArticleRules.sortKey)))
        return (
            "SELECT id FROM \(table) WHERE slug IN (\(ArticleReads.placeholders(slugs.count)))"
                + " OR name_key IN (\(ArticleReads.placeholders(keys.count)))",
            StatementArguments(slugs) + StatementArguments(keys)
        )
    }

    /// A subquery selecting the ids of every article matching the query's filters and search (the index
    /// first, then each match's row: see `ArticleSearcher`).
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
            SELECT a.id FROM article_fts CROSS JOIN article a ON a.id = article_fts.rowid \
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

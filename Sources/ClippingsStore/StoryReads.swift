import Foundation
import GRDB

/// The reads of `/stories`: a page of stories by latest activity, and one story with its coverage.
package enum StoryReads {
    static let order = "stories"

    /// Where a page resumes: the activity and id of the last story of the page before, from a cursor made
    /// for this very query; nil for a first page.
    package static func resumption(of query: StoryQuery) throws -> (activity: String, id: Int64)? {
        guard let cursor = query.cursor else { return nil }
        guard cursor.order == order, let key = cursor.key, let last = Int64(cursor.last), cursor.continues(query.scope)
        else { throw QueryError.invalidCursor }
        return (key, last)
    }

    /// The cursor of the page after the story with this activity and id.
    package static func cursor(activity: String, id: Int64, of query: StoryQuery) -> String {
        Cursor(order: order, key: activity, last: String(id), scope: query.scope).token
    }

    /// Whether only stories with a selected article are listed (the query searches or filters articles).
    package static func selectsArticles(_ query: StoryQuery) -> Bool {
        query.articles.search != nil || !ArticleFilter(query.articles).isEmpty
    }

    static func stories(_ query: StoryQuery, in db: Database) throws -> Page<StorySummary> {
        let after = try resumption(of: query)
        var conditions = "s.article_count >= ?"
        var arguments: StatementArguments = [query.minimumArticles]
        if selectsArticles(query) {
            let (matches, matchArguments) = ArticleFilter.matchingIDs(query.articles)
            conditions += " AND s.id IN (SELECT story_id FROM article WHERE id IN (\(matches)))"
            arguments += matchArguments
        }
        let total =
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM story s WHERE \(conditions)",
                arguments: arguments
            ) ?? 0
        if let (key, last) = after {
            conditions += " AND (s.activity_at < ? OR (s.activity_at = ? AND s.id < ?))"
            arguments += [key, key, last]
        }
        // Few stories are larger than one article: those are found by size and sorted, not by walking every
        // story in order (the unary `+` keeps SQLite from ordering by the activity index).
        let ordering = query.minimumArticles > 1 ? "+s.activity_at DESC, +s.id DESC" : "s.activity_at DESC, s.id DESC"
        var rows = try Row.fetchAll(
            db,
            sql: "\(select) WHERE \(conditions) ORDER BY \(ordering) LIMIT ?",
            arguments: arguments + [query.limit + 1]
        )
        var next: String?
        if rows.count > query.limit {
            rows.removeLast()
            next = rows.last.map { row in cursor(activity: row["activity_at"], id: row["id"], of: query) }
        }
        return Page(items: rows.map(Self.summary), total: total, nextCursor: next)
    }

    static func story(id: Int64, in db: Database) throws -> StoryLookup? {
        guard let row = try Row.fetchOne(db, sql: "\(select) WHERE s.id = ?", arguments: [id]) else {
            return try Int64.fetchOne(db, sql: "SELECT story_id FROM story_redirect WHERE id = ?", arguments: [id])
                .map { .merged(into: $0) }
        }
        // Coverage counts each text once: copies (`near_duplicate_of`) are left out.
        let originals = "FROM article a WHERE a.story_id = ? AND a.near_duplicate_of IS NULL"
        let summary =
            try String.fetchOne(
                db,
                sql: "SELECT a.summary \(originals) ORDER BY (a.published_at IS NULL), a.published_at, a.id LIMIT 1",
                arguments: [id]
            ) ?? ""
        let sources = try Row.fetchAll(
            db,
            sql: """
                SELECT s.slug, s.name, COUNT(*) AS count FROM article a JOIN source s ON s.id = a.source_id
                WHERE a.story_id = ? AND a.near_duplicate_of IS NULL
                GROUP BY s.id ORDER BY count DESC, s.name
                """,
            arguments: [id]
        ).map { StoryDetail.Count(value: $0["slug"], name: $0["name"], count: $0["count"]) }
        let languages = try Row.fetchAll(
            db,
            sql:
                "SELECT a.language, COUNT(*) AS count \(originals) GROUP BY a.language ORDER BY count DESC, a.language",
            arguments: [id]
        ).map { StoryDetail.Count(value: $0["language"], name: nil, count: $0["count"]) }
        let timeline = try Row.fetchAll(
            db,
            sql: """
                SELECT substr(a.published_at, 1, 10) AS day, COUNT(*) AS count \(originals)
                AND a.published_at IS NOT NULL GROUP BY day ORDER BY day
                """,
            arguments: [id]
        ).map { StoryDetail.Count(value: $0["day"], name: nil, count: $0["count"]) }
        return .found(
            StoryDetail(
                story: Self.summary(row),
                summary: summary,
                sources: sources,
                languages: languages,
                timeline: timeline
            )
        )
    }

    private static let select = """
        SELECT s.id, s.title, s.article_count, s.copy_count, s.first_published_at, s.last_published_at,
            s.activity_at, s.created_at
        FROM story s
        """

    private static func summary(_ row: Row) -> StorySummary {
        StorySummary(
            id: row["id"],
            title: row["title"],
            articleCount: row["article_count"],
            copyCount: row["copy_count"],
            firstPublishedAt: row["first_published_at"],
            lastPublishedAt: row["last_published_at"],
            activityAt: row["activity_at"],
            createdAt: row["created_at"]
        )
    }
}

extension StoryQuery {
    /// The fingerprint of what the page selects, kept in its cursors.
    var scope: String {
        ListingScope.fingerprint([articles.scope, "min_articles=\(minimumArticles)"])
    }
}

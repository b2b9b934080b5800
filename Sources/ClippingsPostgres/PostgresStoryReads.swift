import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// The reads of `/stories` on PostgreSQL: a page of stories by latest activity, and one story with its
/// coverage; the same orders, cursors and counts as `StoryReads` on SQLite.
struct PostgresStoryReads {
    let connection: PostgresConnection
    let logger: Logger

    func stories(_ query: StoryQuery) async throws -> Page<StorySummary> {
        let after = try StoryReads.resumption(of: query)
        /// The stories the query selects, its values bound into `sql`.
        func selected(_ sql: SQLBuilder) -> String {
            var conditions = "s.article_count >= \(sql.bind(query.minimumArticles))"
            if StoryReads.selectsArticles(query) {
                conditions +=
                    " AND s.id IN (SELECT a.story_id FROM article a WHERE \(PostgresListing.filter(query.articles, sql)))"
            }
            return conditions
        }
        let count = SQLBuilder()
        count.append("SELECT count(*) FROM story s WHERE \(selected(count))")
        let total = try await connection.value(Int64.self, count, logger: logger) ?? 0
        let page = SQLBuilder()
        var conditions = selected(page)
        if let (key, last) = after {
            let activity = page.bind(key)
            conditions +=
                " AND (s.activity_at < \(activity) OR (s.activity_at = \(activity) AND s.id < \(page.bind(last))))"
        }
        page.append(
            "\(Self.select) WHERE \(conditions) ORDER BY s.activity_at DESC, s.id DESC LIMIT \(page.bind(query.limit + 1))"
        )
        var rows = try await connection.rows(page, logger: logger).map(Self.summary)
        var next: String?
        if rows.count > query.limit {
            rows.removeLast()
            next = rows.last.map { StoryReads.cursor(activity: $0.activity, id: $0.story.id, of: query) }
        }
        return Page(items: rows.map(\.story), total: Int(total), nextCursor: next)
    }

    func story(id: Int64) async throws -> StoryLookup? {
        let select = SQLBuilder()
        select.append("\(Self.select) WHERE s.id = \(select.bind(id))")
        guard let row = try await connection.rows(select, logger: logger).first else {
            let redirect = SQLBuilder()
            redirect.append("SELECT story_id FROM story_redirect WHERE id = \(redirect.bind(id))")
            return try await connection.value(Int64.self, redirect, logger: logger).map { .merged(into: $0) }
        }
        // Coverage counts each text once: copies (`near_duplicate_of`) are left out.
        let originals = "FROM article a WHERE a.story_id = $1 AND a.near_duplicate_of IS NULL"
        let summary = try await value(
            String.self,
            "SELECT a.summary \(originals) ORDER BY (a.published_at IS NULL), a.published_at, a.id LIMIT 1",
            id
        )
        let sources = try await counts(
            """
            SELECT s.slug::text, s.name::text, count(*) FROM article a JOIN source s ON s.id = a.source_id
            WHERE a.story_id = $1 AND a.near_duplicate_of IS NULL
            GROUP BY s.id ORDER BY count(*) DESC, s.name
            """,
            id
        )
        let languages = try await counts(
            "SELECT a.language::text, NULL::text, count(*) \(originals) GROUP BY a.language ORDER BY 3 DESC, 1",
            id
        )
        let timeline = try await counts(
            """
            SELECT substr(a.published_at, 1, 10) AS day, NULL::text, count(*) \(originals)
            AND a.published_at IS NOT NULL GROUP BY day ORDER BY day
            """,
            id
        )
        return .found(
            StoryDetail(
                story: try Self.summary(row).story,
                summary: summary ?? "",
                sources: sources,
                languages: languages,
                timeline: timeline
            )
        )
    }

    private func value<Value: PostgresDecodable>(
        _ type: Value.Type,
        _ text: String,
        _ id: Int64
    ) async throws
        -> Value?
    {
        let statement = SQLBuilder()
        _ = statement.bind(id)
        statement.append(text)
        return try await connection.value(type, statement, logger: logger)
    }

    /// Rows of (value, name, count), the story's id bound as `$1`.
    private func counts(_ text: String, _ id: Int64) async throws -> [StoryDetail.Count] {
        let statement = SQLBuilder()
        _ = statement.bind(id)
        statement.append(text)
        return try await connection.rows(statement, logger: logger).map { row in
            let (value, name, count) = try row.decode((String, String?, Int64).self)
            return StoryDetail.Count(value: value, name: name, count: Int(count))
        }
    }

    private static let select = """
        SELECT s.id, s.title, s.article_count, s.copy_count, s.first_published_at, s.last_published_at,
            s.activity_at, s.created_at
        FROM story s
        """

    private static func summary(_ row: PostgresRow) throws -> (story: StorySummary, activity: String) {
        let (id, title, articles, copies, first, last, activity, created) = try row.decode(
            (Int64, String, Int, Int, String?, String?, String, String).self
        )
        return (
            StorySummary(
                id: id,
                title: title,
                articleCount: articles,
                copyCount: copies,
                firstPublishedAt: first,
                lastPublishedAt: last,
                activityAt: activity,
                createdAt: created
            ),
            activity
        )
    }
}

import ClippingsExtraction
import Foundation
import GRDB

extension AppDatabase {
    /// Tags that label at least one article, most used first, then by name.
    public func tags(_ query: DirectoryQuery) async throws -> Page<TagInfo> {
        try await directory(
            query,
            order: "tags",
            select: "SELECT slug, name, article_count FROM tag WHERE article_count > 0"
        ) { row in TagInfo(slug: row["slug"], name: row["name"], articleCount: row["article_count"]) }
    }

    /// The tag with this slug, if any article carries it.
    public func tag(slug: String) async throws -> TagInfo? {
        try await tags(DirectoryQuery(exactSlug: slug)).items.first
    }

    /// Sources with at least one article, most prolific first, then by name.
    public func sources(_ query: DirectoryQuery) async throws -> Page<SourceInfo> {
        try await directory(
            query,
            order: "sources",
            // The first and last dates are one seek each in `article_on_source`, for the page's rows only.
            select: """
                SELECT slug, name, domain, article_count,
                       (SELECT MIN(published_at) FROM article WHERE source_id = source.id) AS first_published_at,
                       (SELECT MAX(published_at) FROM article WHERE source_id = source.id) AS last_published_at
                FROM source WHERE article_count > 0
                """
        ) { row in
            SourceInfo(
                slug: row["slug"],
                name: row["name"],
                domain: row["domain"],
                articleCount: row["article_count"],
                firstPublishedAt: (row["first_published_at"] as String?).flatMap(Timestamp.date),
                lastPublishedAt: (row["last_published_at"] as String?).flatMap(Timestamp.date)
            )
        }
    }

    /// The source with this slug, if it has articles.
    public func source(slug: String) async throws -> SourceInfo? {
        try await sources(DirectoryQuery(exactSlug: slug)).items.first
    }

    /// Pages through an aggregate listing ordered by `article_count DESC, name, slug`.
    private func directory<Item: Sendable>(
        _ query: DirectoryQuery,
        order: String,
        select: String,
        item: @escaping @Sendable (Row) -> Item
    ) async throws -> Page<Item> {
        if let cursor = query.cursor, cursor.order != order || cursor.count == nil || cursor.key == nil {
            throw QueryError.invalidCursor
        }
        return try await writer.read { db in
            var conditions = "1"
            var arguments = StatementArguments()
            if let slug = query.exactSlug {
                conditions += " AND slug = ?"
                arguments += [slug]
            } else if let prefix = query.prefix {
                // Slugs fold case and accents in Swift (`Øst` → `ost`), which SQLite's LIKE cannot.
                let slug = Slugifier.slug(prefix)
                conditions += slug.isEmpty ? " AND 0" : " AND slug LIKE ? ESCAPE '\\'"
                if !slug.isEmpty { arguments += [Self.escapeLike(slug) + "%"] }
            }
            let total =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM (\(select)) WHERE \(conditions)",
                    arguments: arguments
                ) ?? 0
            if let cursor = query.cursor, let count = cursor.count, let name = cursor.key {
                conditions +=
                    " AND (article_count < ? OR (article_count = ? AND (name > ? OR (name = ? AND slug > ?))))"
                arguments += [count, count, name, name, cursor.last]
            }
            arguments += [query.limit + 1]
            var rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM (\(select)) WHERE \(conditions) ORDER BY article_count DESC, name, slug LIMIT ?",
                arguments: arguments
            )
            var next: String?
            if rows.count > query.limit {
                rows.removeLast()
                next = rows.last.map { row in
                    Cursor(order: order, key: row["name"], count: row["article_count"], last: row["slug"]).token
                }
            }
            return Page(items: rows.map(item), total: total, nextCursor: next)
        }
    }

    /// Escapes `%`, `_` and `\` so user text matches literally in LIKE.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

extension DirectoryQuery {
    /// A query for one entry by slug (used by the detail endpoints).
    init(exactSlug: String) {
        self.init()
        self.exactSlug = exactSlug
        self.limit = 1
    }
}

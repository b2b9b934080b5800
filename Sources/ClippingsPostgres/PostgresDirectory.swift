import ClippingsExtraction
import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// The tag and source directories, ordered by `article_count DESC, name, slug`, and related tags.
struct PostgresDirectory {
    let connection: PostgresConnection
    let logger: Logger

    enum Kind: String {
        case tags, sources

        var select: String {
            switch self {
            case .tags:
                "SELECT slug, name, article_count, NULL::text AS domain, NULL::text AS first, NULL::text AS last FROM tag WHERE article_count > 0"
            case .sources:
                """
                SELECT slug, name, article_count, domain,
                    (SELECT min(published_at) FROM article WHERE source_id = source.id) AS first,
                    (SELECT max(published_at) FROM article WHERE source_id = source.id) AS last
                FROM source WHERE article_count > 0
                """
            }
        }
    }

    /// One page of a directory: (slug, name, count, domain, first, last) per entry.
    func page(
        _ query: DirectoryQuery,
        kind: Kind
    ) async throws
        -> Page<(slug: String, name: String, count: Int, domain: String?, first: String?, last: String?)>
    {
        if let cursor = query.cursor,
            cursor.order != kind.rawValue || cursor.count == nil || cursor.key == nil || !cursor.continues(query.scope)
        {
            throw QueryError.invalidCursor
        }
        let sql = SQLBuilder()
        var conditions = Self.selection(query, sql)
        let counted = "SELECT count(*) FROM (\(kind.select)) d WHERE \(conditions)"
        if let cursor = query.cursor, let count = cursor.count, let name = cursor.key {
            let (count, name, last) = (sql.bind(count), sql.bind(name), sql.bind(cursor.last))
            conditions +=
                " AND (article_count < \(count) OR (article_count = \(count) AND (name > \(name) OR (name = \(name) AND slug > \(last)))))"
        }
        sql.append(
            "SELECT *, (\(counted)) FROM (\(kind.select)) d WHERE \(conditions) "
                + "ORDER BY article_count DESC, name, slug LIMIT \(sql.bind(query.limit + 1))"
        )
        let rows = try await connection.rows(sql, logger: logger)
        var items = try rows.map { row in
            let (slug, name, count, domain, first, last, _) = try row.decode(
                (String, String, Int, String?, String?, String?, Int64).self
            )
            return (slug: slug, name: name, count: count, domain: domain, first: first, last: last)
        }
        // The total rides on every row; a page past the end has none, and asks for it alone.
        var total = try rows.first.map { Int(try $0.makeRandomAccess()[6].decode(Int64.self)) }
        if total == nil {
            total = Int(try await connection.value(Int64.self, recount(query, kind: kind), logger: logger) ?? 0)
        }
        var next: String?
        if items.count > query.limit {
            items.removeLast()
            next = items.last.map {
                Cursor(order: kind.rawValue, key: $0.name, count: $0.count, last: $0.slug, scope: query.scope).token
            }
        }
        return Page(items: items, total: total ?? 0, nextCursor: next)
    }

    /// The directory's total alone (for a page past the end, which has no row to carry it).
    private func recount(_ query: DirectoryQuery, kind: Kind) -> SQLBuilder {
        let sql = SQLBuilder()
        sql.append("SELECT count(*) FROM (\(kind.select)) d WHERE \(Self.selection(query, sql))")
        return sql
    }

    /// The entries a query selects: one slug, or the slugs starting with its prefix folded as slugs are.
    static func selection(_ query: DirectoryQuery, _ sql: SQLBuilder) -> String {
        if let slug = query.exactSlug { return "slug = \(sql.bind(slug))" }
        guard let prefix = query.prefix else { return "true" }
        let slug = Slugifier.slug(prefix)
        return slug.isEmpty ? "false" : "starts_with(slug, \(sql.bind(slug)))"
    }

    /// The tags that label the same articles as this one, most shared first.
    func relatedTags(to slug: String, limit: Int) async throws -> [(tag: TagRef, count: Int)] {
        let sql = SQLBuilder()
        sql.append(
            """
            SELECT t.slug, t.name, count(*) AS count
            FROM tag me JOIN article_tag mine ON mine.tag_id = me.id
            JOIN article_tag other ON other.article_id = mine.article_id AND other.tag_id != me.id
            JOIN tag t ON t.id = other.tag_id
            WHERE me.slug = \(sql.bind(slug)) GROUP BY t.id, t.slug, t.name
            ORDER BY count DESC, t.name, t.slug LIMIT \(sql.bind(limit))
            """
        )
        return try await connection.rows(sql, logger: logger).map { row in
            let (slug, name, count) = try row.decode((String, String, Int64).self)
            return (TagRef(slug: slug, name: name), Int(count))
        }
    }
}

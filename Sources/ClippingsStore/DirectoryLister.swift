import ClippingsExtraction
import Foundation
import GRDB

/// Pages of the tag and source directories, ordered by `article_count DESC, name, slug`; the cursor keeps
/// the last entry's count, name and slug.
package enum DirectoryLister {
    /// Which directory a cursor was issued by.
    enum Kind: String {
        case tags, sources
    }

    /// The rows after a cursor in the directory order.
    static let after = "(article_count < ? OR (article_count = ? AND (name > ? OR (name = ? AND slug > ?))))"
    static let orderBy = "article_count DESC, name, slug"

    /// One page of a directory whose entries are read from `select`; `entry` gives an entry's cursor key.
    static func page<Entry: FetchableRecord>(
        _ query: DirectoryQuery,
        kind: Kind,
        select: String,
        in db: Database,
        entry: (Entry) -> (count: Int, name: String, slug: String)
    ) throws -> Page<Entry> {
        if let cursor = query.cursor,
            cursor.order != kind.rawValue || cursor.count == nil || cursor.key == nil || !cursor.continues(query.scope)
        {
            throw QueryError.invalidCursor
        }
        var conditions = "1"
        var arguments = StatementArguments()
        if let slug = query.exactSlug {
            conditions += " AND slug = ?"
            arguments += [slug]
        } else if let prefix = query.prefix {
            // Slugs fold case and accents in Swift (`Øst` → `ost`), which SQLite's LIKE cannot.
            let slug = Slugifier.slug(prefix)
            conditions += slug.isEmpty ? " AND 0" : " AND slug LIKE ? ESCAPE '\\'"
            if !slug.isEmpty { arguments += [escapeLike(slug) + "%"] }
        }
        let total =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(select)) WHERE \(conditions)", arguments: arguments)
            ?? 0
        if let cursor = query.cursor, let count = cursor.count, let name = cursor.key {
            conditions += " AND " + after
            arguments += [count, count, name, name, cursor.last]
        }
        var rows = try Entry.fetchAll(
            db,
            sql: "SELECT * FROM (\(select)) WHERE \(conditions) ORDER BY \(orderBy) LIMIT ?",
            arguments: arguments + [query.limit + 1]
        )
        var next: String?
        if rows.count > query.limit {
            rows.removeLast()
            next = rows.last.map(entry).map {
                Cursor(order: kind.rawValue, key: $0.name, count: $0.count, last: $0.slug, scope: query.scope).token
            }
        }
        return Page(items: rows, total: total, nextCursor: next)
    }

    /// Tags that label at least one article.
    static func tags(_ query: DirectoryQuery, in db: Database) throws -> Page<TagInfo> {
        let page = try self.page(query, kind: .tags, select: TagRow.select, in: db) { (row: TagRow) in
            (row.info.articleCount, row.info.name, row.info.slug)
        }
        return Page(items: page.items.map(\.info), total: page.total, nextCursor: page.nextCursor)
    }

    /// Sources with at least one article.
    static func sources(_ query: DirectoryQuery, in db: Database) throws -> Page<SourceInfo> {
        let page = try self.page(query, kind: .sources, select: SourceRow.select, in: db) { (row: SourceRow) in
            (row.info.articleCount, row.info.name, row.info.slug)
        }
        return Page(items: page.items.map(\.info), total: page.total, nextCursor: page.nextCursor)
    }

    /// Escapes `%`, `_` and `\` so user text matches literally in LIKE.
    package static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

extension DirectoryQuery {
    /// A query for one entry by slug (used by the detail endpoints).
    package init(exactSlug: String) {
        self.init()
        self.exactSlug = exactSlug
        self.limit = 1
    }
}

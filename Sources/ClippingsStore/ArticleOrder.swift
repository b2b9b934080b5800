import Foundation
import GRDB

/// Everything the SQLite store knows about one order articles are listed in: the index that reads them in
/// that order, its ORDER BY, the cursor key of an item, and the conditions that resume a listing after a
/// cursor. One value per `ArticleQuery.Sort`, so an order's rules are read (and changed) in one place.
struct ArticleOrder: Sendable {
    /// A condition selecting rows after a cursor, with its arguments.
    typealias Condition = (sql: String, arguments: StatementArguments)
    /// A condition an index can seek to, with the order that reads its rows from that index.
    typealias SeekPart = (sql: String, arguments: StatementArguments, order: String)

    let sort: ArticleQuery.Sort
    /// The index that reads articles in this order (see the v1 migration).
    let index: String
    /// The ORDER BY over `article a` (or over ranked search rows, for relevance).
    let orderBy: String
    /// The order among dated articles alone, for date orders: what the order's index yields once its
    /// first column, `(published_at IS NULL)`, is pinned to 0.
    let datedOrderBy: String?
    /// The sort value a cursor keeps for the last item of a page.
    let key: @Sendable (ArticleSummary) -> String?
    /// The rows after (key, id) as seekable parts, each an ordered read of the order's index; nil when
    /// such a cursor cannot belong to this order.
    let seek: @Sendable (_ key: String?, _ id: Int64) -> [SeekPart]?
    /// The rows after (key, id) as one condition, for rows already filtered (search matches).
    let after: @Sendable (_ key: String?, _ id: Int64) -> Condition?

    static func of(_ sort: ArticleQuery.Sort) -> ArticleOrder {
        switch sort {
        case .newest: newest
        case .oldest: oldest
        case .title: title
        case .relevance: relevance
        }
    }

    static let newest = dated(.newest, index: "article_by_newest", descending: true)
    static let oldest = dated(.oldest, index: "article_by_oldest", descending: false)

    static let title = ArticleOrder(
        sort: .title,
        index: "article_on_title_key",
        orderBy: "a.title_key ASC, a.id ASC",
        datedOrderBy: nil,
        key: { ArticleRules.sortKey($0.title) },
        seek: { key, id in
            key.map { [("a.title_key >= ? AND (a.title_key > ? OR a.id > ?)", [$0, $0, id], "a.title_key, a.id")] }
        },
        after: { key, id in key.map { ("(a.title_key > ? OR (a.title_key = ? AND a.id > ?))", [$0, $0, id]) } }
    )

    /// Best match first; only over search matches, which carry a `score` column.
    static let relevance = ArticleOrder(
        sort: .relevance,
        index: "article_by_newest",
        orderBy: "a.score DESC, a.id",
        datedOrderBy: nil,
        key: { $0.hit.map { String($0.score) } },
        seek: { _, _ in nil },
        after: { key, id in
            key.flatMap(Double.init).map { ("(a.score < ? OR (a.score = ? AND a.id > ?))", [$0, $0, id]) }
        }
    )

    /// A date order: dated articles by date (ties by id), then the undated ones by id.
    ///
    /// Resuming seeks: the dated rest and the undated articles are two reads, each of its own range of the
    /// order's index, so a deep page costs what the first does (an `OR … IS NULL` condition, or ordering a
    /// part by the constant `(published_at IS NULL)`, made SQLite read or sort from the index's start).
    static func dated(_ sort: ArticleQuery.Sort, index: String, descending: Bool) -> ArticleOrder {
        let direction = descending ? " DESC" : ""
        let beyond = descending ? "<" : ">"
        let dated = "(a.published_at IS NULL) = 0 AND a.published_at"
        let undated = "(a.published_at IS NULL) = 1 AND a.published_at IS NULL"
        let datedOrder = "a.published_at\(direction), a.id\(direction)"
        return ArticleOrder(
            sort: sort,
            index: index,
            orderBy: "(a.published_at IS NULL), \(datedOrder)",
            datedOrderBy: datedOrder,
            key: { $0.publishedAt.map(Timestamp.string) },
            seek: { key, id in
                guard let key else { return [("\(undated) AND a.id \(beyond) ?", [id], "a.id\(direction)")] }
                return [
                    (
                        "\(dated) \(beyond)= ? AND (a.published_at \(beyond) ? OR a.id \(beyond) ?)", [key, key, id],
                        datedOrder
                    ),
                    (undated, [], "a.id\(direction)"),
                ]
            },
            after: { key, id in
                guard let key else { return ("(a.published_at IS NULL AND a.id \(beyond) ?)", [id]) }
                return (
                    """
                    (a.published_at \(beyond) ? OR (a.published_at = ? AND a.id \(beyond) ?) \
                    OR a.published_at IS NULL)
                    """,
                    [key, key, id]
                )
            }
        )
    }

    /// The cursor resuming this order after an item, for a listing of `scope`.
    func cursor(after item: ArticleSummary, scope: String) -> Cursor {
        Cursor(order: sort.rawValue, key: key(item), last: String(item.id), scope: scope)
    }

    /// The seekable parts after a cursor of this order.
    func seekParts(after cursor: Cursor) throws -> [SeekPart] {
        guard let id = Int64(cursor.last), let parts = seek(cursor.key, id) else { throw QueryError.invalidCursor }
        return parts
    }

    /// The single condition after a cursor of this order.
    func condition(after cursor: Cursor) throws -> Condition {
        guard let id = Int64(cursor.last), let condition = after(cursor.key, id) else {
            throw QueryError.invalidCursor
        }
        return condition
    }
}

import Foundation
import GRDB

/// One entry of the change feed: an article as it is now, or the tombstone of one deleted.
public struct ArticleChange: Sendable {
    /// The change's place in commit order; later changes have larger numbers.
    public var seq: Int64
    public var articleID: Int64
    /// The article now; nil for a deletion.
    public var article: ArticleDetail?

    public init(seq: Int64, articleID: Int64, article: ArticleDetail?) {
        self.seq = seq
        self.articleID = articleID
        self.article = article
    }
}

/// A page of the change feed and where to resume.
public struct ChangePage: Sendable {
    public var items: [ArticleChange]
    /// The `since` to ask with next: the last item's number, or the one asked with when nothing changed.
    public var nextSince: Int64
    /// The newest change in the archive, for a client to tell how far behind it is.
    public var latest: Int64

    public init(items: [ArticleChange], nextSince: Int64, latest: Int64) {
        self.items = items
        self.nextSince = nextSince
        self.latest = latest
    }
}

/// Why the change feed cannot answer from where a client stands.
public enum ChangeFeedError: Error, Equatable, Sendable {
    /// Deletions after `since` have been pruned: the client must re-export, then resume from `oldestSince`.
    case expired(oldestSince: Int64)
}

/// Reads and prunes the change feed that triggers write (v14): each article once, at its latest change.
enum ChangeFeed {
    /// The changes after `since`, oldest first, read in one snapshot with the articles they show.
    static func page(since: Int64, limit: Int, in db: Database) throws -> ChangePage {
        let horizon = try Int64.fetchOne(db, sql: "SELECT pruned_through FROM change_horizon") ?? 0
        if since < horizon { throw ChangeFeedError.expired(oldestSince: horizon) }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT seq, article_id, deleted FROM article_change WHERE seq > ? ORDER BY seq LIMIT ?"
            ),
            arguments: [since, limit]
        )
        let live = rows.filter { !($0["deleted"] as Bool) }.map { $0["article_id"] as Int64 }
        let details = try ArticleReads.details(ids: live, in: db)
        let byID = Dictionary(uniqueKeysWithValues: details.map { ($0.summary.id, $0) })
        let items = rows.map { row in
            let id: Int64 = row["article_id"]
            return ArticleChange(seq: row["seq"], articleID: id, article: row["deleted"] ? nil : byID[id])
        }
        return ChangePage(items: items, nextSince: items.last?.seq ?? since, latest: try latest(in: db))
    }

    /// The newest change's number (0 before any).
    static func latest(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM article_change")) ?? 0
    }

    /// Drops the tombstones of articles deleted before `cutoff`, moving the horizon past them; how many.
    static func prune(before cutoff: Date, in db: Database) throws -> Int {
        let stamp = Timestamp.string(cutoff)
        guard
            let newest = try Int64.fetchOne(
                db,
                sql: "SELECT MAX(seq) FROM article_change WHERE deleted = 1 AND changed_at < ?",
                arguments: [stamp]
            )
        else { return 0 }
        try db.execute(
            sql: "DELETE FROM article_change WHERE deleted = 1 AND seq <= ? AND changed_at < ?",
            arguments: [newest, stamp]
        )
        let pruned = db.changesCount
        try db.execute(
            sql: "UPDATE change_horizon SET pruned_through = MAX(pruned_through, ?) WHERE id = 1",
            arguments: [newest]
        )
        return pruned
    }
}

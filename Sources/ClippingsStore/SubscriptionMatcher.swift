import Foundation
import GRDB

/// Moves every active subscription along the change feed, queueing a delivery for each article that starts
/// to match its query: one that changed since the subscription last looked, matches now, and did not match
/// before. An article that stops matching is forgotten, so matching again later is delivered again.
///
/// Runs in one write transaction with the outbox rows it adds, so a crash either keeps both the new cursor
/// and the deliveries or neither; two servers on one archive cannot queue a change twice.
package enum SubscriptionMatcher {
    /// Changes read per subscription per run.
    package static let batchSize = 500

    /// Follows each active subscription's cursor; the number of deliveries queued.
    static func run(now: Date, in db: Database) throws -> Int {
        var queued = 0
        let subscriptions = try Row.fetchAll(
            db,
            sql: "SELECT id, query, change_cursor FROM subscription WHERE status = 'active' ORDER BY id"
        )
        for subscription in subscriptions {
            let id: Int64 = subscription["id"]
            let changes = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT seq, article_id, deleted FROM article_change WHERE seq > ? ORDER BY seq LIMIT ?"
                ),
                arguments: [subscription["change_cursor"] as Int64, batchSize]
            )
            guard let last = changes.last else { continue }
            // A query that no longer reads (the rules changed) matches nothing rather than stopping the rest.
            let query = try? SubscriptionRequest.articleQuery(subscription["query"])
            let live = changes.filter { !($0["deleted"] as Bool) }.map { $0["article_id"] as Int64 }
            let matching = try query.map { try Set(matches($0, among: live, in: db)) } ?? []
            let known = try Set(
                Int64.fetchAll(
                    db,
                    sql: """
                        SELECT article_id FROM subscription_match
                        WHERE subscription_id = ? AND article_id IN (\(ArticleReads.placeholders(changes.count)))
                        """,
                    arguments: [id] + StatementArguments(changes.map { $0["article_id"] as Int64 })
                )
            )
            for gone in known.subtracting(matching) {
                try db.execute(
                    sql: "DELETE FROM subscription_match WHERE subscription_id = ? AND article_id = ?",
                    arguments: [id, gone]
                )
            }
            let started = live.filter { matching.contains($0) && !known.contains($0) }
            for article in try ArticleReads.details(ids: started, in: db) {
                try queue(article, for: id, now: now, in: db)
                queued += 1
            }
            try db.execute(
                sql: "UPDATE subscription SET change_cursor = ? WHERE id = ?",
                arguments: [last["seq"] as Int64, id]
            )
        }
        return queued
    }

    /// The ids among `ids` that the query selects (its filters and search), without visiting other articles.
    static func matches(_ query: ArticleQuery, among ids: [Int64], in db: Database) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        let filter = ArticleFilter(query)
        let inIDs = ArticleReads.placeholders(ids.count)
        guard let search = query.search else {
            return try Int64.fetchAll(
                db,
                sql: "SELECT a.id FROM article a WHERE a.id IN (\(inIDs)) AND \(filter.sql)",
                arguments: StatementArguments(ids) + filter.arguments
            )
        }
        return try Int64.fetchAll(
            db,
            sql: """
                SELECT a.id FROM article_fts CROSS JOIN article a ON a.id = article_fts.rowid
                WHERE article_fts MATCH ? AND article_fts.rowid IN (\(inIDs)) AND \(filter.sql)
                """,
            arguments: [search.ftsExpression] + StatementArguments(ids) + filter.arguments
        )
    }

    /// Remembers the article as matching and puts its delivery in the outbox, its body fixed now.
    static func queue(_ article: ArticleDetail, for subscription: Int64, now: Date, in db: Database) throws {
        let deliveryID = UUID().uuidString.lowercased()
        let payload = payload(article, deliveryID: deliveryID, subscription: subscription, now: now)
        try db.execute(
            sql: "INSERT OR IGNORE INTO subscription_match (subscription_id, article_id) VALUES (?, ?)",
            arguments: [subscription, article.summary.id]
        )
        try db.execute(
            sql: """
                INSERT INTO delivery (subscription_id, delivery_id, article_id, payload, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                subscription, deliveryID, article.summary.id, Data(payload), Timestamp.string(now),
                Timestamp.string(now),
            ]
        )
    }

    /// A delivery's body, fixed when the article starts to match: every backend sends the same document.
    package static func payload(
        _ article: ArticleDetail,
        deliveryID: String,
        subscription: Int64,
        now: Date
    ) -> [UInt8] {
        var json = JSONOutput()
        json.object { json in
            json.member("article", ArticleJSON(article))
            json.member("delivery_id", deliveryID)
            json.member("event", "article.matched")
            json.member("matched_at", Timestamp.string(now))
            json.member("subscription_id", subscription)
        }
        return json.bytes
    }
}

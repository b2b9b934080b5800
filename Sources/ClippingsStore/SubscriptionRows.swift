import Foundation
import GRDB

/// Subscriptions and their outbox in SQLite (v15): created, listed, deleted; deliveries claimed and settled.
enum SubscriptionRows {
    static let select = """
        SELECT s.*,
            (SELECT COUNT(*) FROM delivery d WHERE d.subscription_id = s.id AND d.delivered_at IS NULL) AS pending,
            (SELECT COUNT(*) FROM delivery d WHERE d.subscription_id = s.id AND d.delivered_at IS NOT NULL)
                AS delivered
        FROM subscription s
        """

    static func subscription(_ row: Row) -> Subscription {
        Subscription(
            id: row["id"],
            url: row["url"],
            query: row["query"],
            status: Subscription.Status(rawValue: row["status"]) ?? .disabled,
            failures: row["failures"],
            lastError: row["last_error"],
            lastAttemptAt: (row["last_attempt_at"] as String?).flatMap(Timestamp.date),
            lastDeliveredAt: (row["last_delivered_at"] as String?).flatMap(Timestamp.date),
            createdAt: Timestamp.date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            pending: row["pending"],
            delivered: row["delivered"]
        )
    }

    /// Stores a subscription that starts at the feed's present: what matches now is remembered as matching,
    /// so only articles that start to match afterwards are delivered.
    static func create(
        _ request: SubscriptionRequest,
        query: ArticleQuery,
        now: Date,
        in db: Database
    ) throws
        -> Subscription
    {
        try db.execute(
            sql: """
                INSERT INTO subscription (url, secret, query, change_cursor, created_at)
                VALUES (?, ?, ?, (SELECT IFNULL(MAX(seq), 0) FROM article_change), ?)
                """,
            arguments: [request.url, request.secret, request.query, Timestamp.string(now)]
        )
        let id = db.lastInsertedRowID
        let (matching, arguments) = ArticleFilter.matchingIDs(query)
        try db.execute(
            sql:
                "INSERT OR IGNORE INTO subscription_match (subscription_id, article_id) SELECT ?, id FROM (\(matching))",
            arguments: [id] + arguments
        )
        return try subscription(id: id, in: db)!
    }

    static func subscription(id: Int64, in db: Database) throws -> Subscription? {
        try Row.fetchOne(db, sql: "\(select) WHERE s.id = ?", arguments: [id]).map(subscription)
    }

    static func all(in db: Database) throws -> [Subscription] {
        try Row.fetchAll(db, sql: "\(select) ORDER BY s.id").map(subscription)
    }

    /// Which deliveries are due at `now`: unsent, for an active subscription, their next attempt reached.
    private static let dueDeliveries = """
        FROM delivery d JOIN subscription s ON s.id = d.subscription_id
        WHERE d.delivered_at IS NULL AND d.next_attempt_at <= ? AND s.status = 'active'
        """

    /// Whether any delivery is due at `now`.
    static func anyDue(now: Date, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 \(dueDeliveries))", arguments: [Timestamp.string(now)])
            ?? false
    }

    /// Deliveries due at `now`, oldest first, claimed (their next attempt moved to `claimedUntil`) so no
    /// other sender takes them.
    static func claimDue(now: Date, claimedUntil: Date, limit: Int, in db: Database) throws -> [Delivery] {
        let due = try Row.fetchAll(
            db,
            sql: """
                SELECT d.id, d.subscription_id, d.delivery_id, d.payload, d.attempts, s.url, s.secret
                \(dueDeliveries)
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """,
            arguments: [Timestamp.string(now), limit]
        ).map { row in
            Delivery(
                id: row["id"],
                subscriptionID: row["subscription_id"],
                deliveryID: row["delivery_id"],
                url: row["url"],
                secret: row["secret"],
                payload: [UInt8](row["payload"] as Data),
                attempts: row["attempts"]
            )
        }
        try db.execute(
            sql: "UPDATE delivery SET next_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?))",
            arguments: [Timestamp.string(claimedUntil), "[" + due.map { String($0.id) }.joined(separator: ",") + "]"]
        )
        return due
    }

    /// Records a round's attempts: each delivery's own, then each subscription's (its failures in a row count
    /// rounds with a failure, so one outage does not use up the limit at once).
    static func settle(
        _ attempts: [(Delivery, DeliveryOutcome)],
        maximumFailures: Int,
        now: Date,
        in db: Database
    ) throws {
        let stamp = Timestamp.string(now)
        var lastError: [Int64: String?] = [:]
        for (delivery, outcome) in attempts {
            switch outcome {
            case .delivered(let status):
                try db.execute(
                    sql: "UPDATE delivery SET delivered_at = ?, attempts = attempts + 1, last_status = ? WHERE id = ?",
                    arguments: [stamp, status, delivery.id]
                )
                if lastError[delivery.subscriptionID] == nil { lastError[delivery.subscriptionID] = .some(nil) }
            case .failed(let status, let error, let retryAt):
                try db.execute(
                    sql:
                        "UPDATE delivery SET attempts = attempts + 1, last_status = ?, next_attempt_at = ? WHERE id = ?",
                    arguments: [status, Timestamp.string(retryAt), delivery.id]
                )
                lastError[delivery.subscriptionID] = .some(String(error.prefix(500)))
            }
        }
        for (subscription, error) in lastError {
            if let error {
                try db.execute(
                    sql: """
                        UPDATE subscription SET failures = failures + 1, last_error = ?, last_attempt_at = ?,
                            status = CASE WHEN failures + 1 >= ? THEN 'disabled' ELSE status END
                        WHERE id = ?
                        """,
                    arguments: [error, stamp, maximumFailures, subscription]
                )
            } else {
                try db.execute(
                    sql: """
                        UPDATE subscription SET failures = 0, last_error = NULL, last_attempt_at = ?,
                            last_delivered_at = ?
                        WHERE id = ?
                        """,
                    arguments: [stamp, stamp, subscription]
                )
            }
        }
    }
}

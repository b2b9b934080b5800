import Foundation
import GRDB

extension AppDatabase: SubscriptionStore {
    public func createSubscription(_ request: SubscriptionRequest, now: Date = Date()) async throws -> Subscription {
        let query = try SubscriptionRequest.articleQuery(request.query)
        return try await writer.write { db in try SubscriptionRows.create(request, query: query, now: now, in: db) }
    }

    public func subscriptions() async throws -> [Subscription] {
        try await writer.read { db in try SubscriptionRows.all(in: db) }
    }

    public func subscription(id: Int64) async throws -> Subscription? {
        try await writer.read { db in try SubscriptionRows.subscription(id: id, in: db) }
    }

    public func deleteSubscription(id: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM subscription WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func matchSubscriptions(now: Date = Date()) async throws -> Int {
        var queued = 0
        // A batch per transaction, so an import in another process is not held up, until caught up (or after
        // a bounded number, so that what was queued gets delivered meanwhile).
        for _ in 0..<40 {
            // Asked in a read first: most of the time nothing is behind, and the write lock stays free.
            let behind = try await writer.read { db in
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM subscription WHERE status = 'active'
                            AND change_cursor < (SELECT IFNULL(MAX(seq), 0) FROM article_change))
                        """
                ) ?? false
            }
            guard behind else { break }
            queued += try await writer.write { db in try SubscriptionMatcher.run(now: now, in: db) }
        }
        return queued
    }

    /// Asked in a read first: a claim is a commit, which would wake the deliverer (and empty the response
    /// cache) every time it looks at an outbox with nothing due.
    public func dueDeliveries(now: Date = Date(), limit: Int) async throws -> [Delivery] {
        guard try await writer.read({ db in try SubscriptionRows.anyDue(now: now, in: db) }) else { return [] }
        return try await writer.write { db in
            try SubscriptionRows.claimDue(
                now: now,
                claimedUntil: now.addingTimeInterval(Delivery.claimDuration),
                limit: limit,
                in: db
            )
        }
    }

    public func settleDeliveries(
        _ attempts: [(Delivery, DeliveryOutcome)],
        maximumFailures: Int,
        now: Date
    )
        async throws
    {
        guard !attempts.isEmpty else { return }
        try await writer.write { db in
            try SubscriptionRows.settle(attempts, maximumFailures: maximumFailures, now: now, in: db)
        }
    }
}

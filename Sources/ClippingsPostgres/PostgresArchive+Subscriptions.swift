import ClippingsStore
import Foundation
import PostgresNIO

extension PostgresArchive: SubscriptionStore {
    public func createSubscription(_ request: SubscriptionRequest, now: Date) async throws -> Subscription {
        let query = try SubscriptionRequest.articleQuery(request.query)
        return try await write { connection in
            try await PostgresSubscriptions(connection: connection, logger: logger).create(
                request,
                query: query,
                now: now
            )
        }
    }

    public func subscriptions() async throws -> [Subscription] {
        try await read { try await PostgresSubscriptions(connection: $0, logger: logger).subscriptions() }
    }

    public func subscription(id: Int64) async throws -> Subscription? {
        try await read { try await PostgresSubscriptions(connection: $0, logger: logger).subscriptions(id: id).first }
    }

    public func deleteSubscription(id: Int64) async throws -> Bool {
        let delete = SQLBuilder()
        delete.append("DELETE FROM subscription WHERE id = \(delete.bind(id)) RETURNING id")
        return try await write { try await !$0.rows(delete, logger: logger).isEmpty }
    }

    /// A batch per transaction until caught up (or a bounded number, so what was queued gets delivered
    /// meanwhile); asked in a read first, so an idle archive takes no write (which would move its version).
    public func matchSubscriptions(now: Date) async throws -> Int {
        var queued = 0
        for _ in 0..<40 {
            let behind = try await read { try await PostgresSubscriptions(connection: $0, logger: logger).anyBehind() }
            guard behind else { break }
            queued += try await write {
                try await PostgresSubscriptions(connection: $0, logger: logger).match(now: now)
            }
        }
        return queued
    }

    /// Claimed on the primary in one statement, outside the writer's lock: a claim changes nothing a reader
    /// sees, so it does not move the version.
    public func dueDeliveries(now: Date, limit: Int) async throws -> [Delivery] {
        try await client.withConnection { connection in
            try await PostgresSubscriptions(connection: connection, logger: logger)
                .claimDue(now: now, claimedUntil: now.addingTimeInterval(Delivery.claimDuration), limit: limit)
        }
    }

    public func settleDeliveries(
        _ attempts: [(Delivery, DeliveryOutcome)],
        maximumFailures: Int,
        now: Date
    ) async throws {
        guard !attempts.isEmpty else { return }
        try await write {
            try await PostgresSubscriptions(connection: $0, logger: logger)
                .settle(attempts, maximumFailures: maximumFailures, now: now)
        }
    }
}

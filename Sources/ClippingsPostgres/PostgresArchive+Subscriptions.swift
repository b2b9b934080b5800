import ClippingsStore
import Foundation

/// Webhook subscriptions are not kept on PostgreSQL yet: each requirement says so, and the API answers
/// with a problem rather than pretending.
extension PostgresArchive: SubscriptionStore {
    public func createSubscription(_ request: SubscriptionRequest, now: Date) async throws -> Subscription {
        throw PostgresArchiveError.notYetOnPostgres("subscriptions")
    }

    public func subscriptions() async throws -> [Subscription] {
        throw PostgresArchiveError.notYetOnPostgres("subscriptions")
    }

    public func subscription(id: Int64) async throws -> Subscription? {
        throw PostgresArchiveError.notYetOnPostgres("subscriptions")
    }

    public func deleteSubscription(id: Int64) async throws -> Bool {
        throw PostgresArchiveError.notYetOnPostgres("subscriptions")
    }

    /// Nothing to match while subscriptions cannot be made.
    public func matchSubscriptions(now: Date) async throws -> Int { 0 }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [Delivery] { [] }

    public func settleDeliveries(
        _ attempts: [(Delivery, DeliveryOutcome)],
        maximumFailures: Int,
        now: Date
    ) async throws {}
}

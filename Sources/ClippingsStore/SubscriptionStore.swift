import Foundation

/// What webhooks need from storage: subscriptions, the matching that fills their outbox, and the outbox.
public protocol SubscriptionStore: Sendable {
    /// Saves a subscription starting at the present: articles matching already are not delivered.
    func createSubscription(_ request: SubscriptionRequest, now: Date) async throws -> Subscription
    func subscriptions() async throws -> [Subscription]
    func subscription(id: Int64) async throws -> Subscription?
    /// Deletes a subscription with its pending deliveries; false when there was none.
    func deleteSubscription(id: Int64) async throws -> Bool
    /// Queues a delivery for each article that started to match a subscription; how many.
    func matchSubscriptions(now: Date) async throws -> Int
    /// Deliveries due at `now`, oldest first. A store several servers share claims them for the caller
    /// for a while, so each is sent by one server (and again only if that one dies before settling it).
    func dueDeliveries(now: Date, limit: Int) async throws -> [Delivery]
    /// Records how a round of attempts ended, in one transaction. A subscription with any failed attempt
    /// in the round counts one failure more (disabled at `maximumFailures`); one with none counts none.
    func settleDeliveries(_ attempts: [(Delivery, DeliveryOutcome)], maximumFailures: Int, now: Date) async throws
}

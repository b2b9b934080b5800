import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// Webhook subscriptions as any backend must keep them: only articles that start to match are queued, and
/// the outbox settles as attempts end.
@Suite("Store conformance: webhook subscriptions and their outbox")
struct SubscriptionConformanceTests {
    typealias Archive = ConformanceArchive

    static func article(_ title: String, _ body: String) -> ExtractedArticle {
        ExtractedArticle(title: title, language: "en", paragraphs: [body], format: .plainText)
    }

    @Test(
        "what matched already is not queued; a new match is, once; one that stops and starts again is again",
        arguments: StoreBackend.all
    )
    func matching(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        let now = Date()
        let request = SubscriptionRequest(url: "https://hooks.example.org/in", secret: "s3cret", query: "q=harbour")
        let subscription = try await store.createSubscription(request, now: now)
        #expect(subscription.query == "q=harbour" && subscription.status == .active)
        #expect(try await store.matchSubscriptions(now: now) == 0)

        let id = try await store.importArticle(Self.article("Harbour dredging starts", "Barges arrived.")).articleID
        _ = try await store.importArticle(Self.article("Bridge opens", "Traffic flows."))
        #expect(try await store.matchSubscriptions(now: now) == 1)
        #expect(try await store.matchSubscriptions(now: now) == 0)
        let due = try await store.dueDeliveries(now: now, limit: 10)
        #expect(due.count == 1)
        let delivery = try #require(due.first)
        #expect(delivery.url == request.url && delivery.secret == request.secret)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(delivery.payload)) as? [String: Any])
        #expect((payload["article"] as? [String: Any])?["id"] as? Int == Int(id))
        #expect(payload["delivery_id"] as? String == delivery.deliveryID)
        // Claimed by the sender that asked: no other sender is given it until the claim lapses.
        #expect(try await store.dueDeliveries(now: now, limit: 10).isEmpty)

        // Still matching after an edit: nothing new. Stops matching, then matches again: queued again.
        var edit = ArticleChanges()
        edit.title = "Harbour dredging goes on"
        #expect(try await store.updateArticle(id: id, edit, now: now))
        #expect(try await store.matchSubscriptions(now: now) == 0)
        edit.title = "Dredging goes on"
        #expect(try await store.updateArticle(id: id, edit, now: now))
        #expect(try await store.matchSubscriptions(now: now) == 0)
        edit.title = "Harbour dredging ends"
        #expect(try await store.updateArticle(id: id, edit, now: now))
        #expect(try await store.matchSubscriptions(now: now) == 1)

        // One round delivered, one failed: the subscription counts a failure, the failed one waits its turn.
        let round = try await store.dueDeliveries(now: now.addingTimeInterval(Delivery.claimDuration), limit: 10)
        #expect(round.map(\.deliveryID).contains(delivery.deliveryID) && round.count == 2)
        let later = now.addingTimeInterval(60)
        try await store.settleDeliveries(
            [(round[0], .delivered(status: 204)), (round[1], .failed(status: 500, error: "HTTP 500", retryAt: later))],
            maximumFailures: 2,
            now: now
        )
        var state = try #require(try await store.subscription(id: subscription.id))
        #expect(state.delivered == 1 && state.pending == 1 && state.failures == 1)
        #expect(state.lastError == "HTTP 500" && state.status == .active)
        #expect(try await store.dueDeliveries(now: now, limit: 10).isEmpty)
        let retry = try await store.dueDeliveries(now: later, limit: 10)
        #expect(retry.map(\.deliveryID) == [round[1].deliveryID])
        try await store.settleDeliveries(
            [(retry[0], .failed(status: nil, error: "refused", retryAt: later))],
            maximumFailures: 2,
            now: later
        )
        state = try #require(try await store.subscription(id: subscription.id))
        #expect(state.status == .disabled && state.failures == 2)
        #expect(try await store.dueDeliveries(now: later, limit: 10).isEmpty)

        #expect(try await store.subscriptions().map(\.id) == [subscription.id])
        #expect(try await store.deleteSubscription(id: subscription.id))
        #expect(try await store.subscription(id: subscription.id) == nil)
        #expect(try await store.deleteSubscription(id: subscription.id) == false)
    }
}

import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/subscriptions`: webhooks. A subscription is a saved `/articles` query and a callback; every article
/// that starts to match it is posted there, signed with the subscription's secret (`WebhookDeliverer`).
/// Every method needs the write token: callbacks and their state are the operator's, not the public's.
struct SubscriptionsController<Context: RequestContext> {
    let store: any ArchiveStore
    let writes: WritePolicy
    let webhooks: WebhookSettings

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .post(use: create)
            .get("{id}", use: get)
            .delete("{id}", use: delete)
    }

    /// The fields a subscription is made of.
    struct Body: Decodable {
        var url: String
        var secret: String
        var query: String?
    }

    static var fields: Set<String> { ["url", "secret", "query"] }
    static var secretLength: ClosedRange<Int> { 16...256 }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        guard request.mediaType == "application/json" else {
            throw Problem(.unsupportedMediaType, detail: "Send the subscription as application/json.")
        }
        var request = request
        let body = try Self.decode(Data(try await writes.body(of: &request).readableBytesView))
        let query = body.query ?? ""
        do {
            _ = try SubscriptionRequest.articleQuery(query)
        } catch {
            throw Problem(.field("query", "is not an /articles query: \(error.description)"))
        }
        guard Self.secretLength.contains(body.secret.count) else {
            throw Problem(.field("secret", "must be 16 to 256 characters (the HMAC-SHA256 key)"))
        }
        do {
            _ = try await WebhookAddress.check(body.url, allowPrivate: webhooks.allowPrivate)
        } catch {
            throw Problem(.field("url", error.description))
        }
        let subscription = try await store.createSubscription(
            SubscriptionRequest(url: body.url, secret: body.secret, query: query),
            now: Date()
        )
        var response = FieldSelection.response(SubscriptionJSON(subscription))
        response.status = .created
        response.headers[.location] = "/subscriptions/\(subscription.id)"
        return response
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        let all = try await store.subscriptions()
        return try FieldSelection.response(
            ListResponse(Page(items: all, total: all.count, nextCursor: nil), transform: SubscriptionJSON.init),
            fields: nil
        ).uncached()
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        return FieldSelection.response(SubscriptionJSON(try await find(context))).uncached()
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        _ = try await store.deleteSubscription(id: try await find(context).id)
        return Response(status: .noContent)
    }

    private func find(_ context: Context) async throws -> Subscription {
        let key = try context.parameters.require("id")
        guard key.wholeMatch(of: /[1-9][0-9]{0,17}/) != nil, let id = Int64(key),
            let subscription = try await store.subscription(id: id)
        else { throw Problem.notFound("No subscription with id '\(key)'.") }
        return subscription
    }

    /// The body's fields, refused by name when one is unknown, missing or mistyped.
    static func decode(_ data: Data) throws(InputError) -> Body {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .body("The body is not a JSON object with url, secret and query.")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw .field(unknown, "is not a field of a subscription (fields: query, secret, url)")
        }
        for name in fields.sorted() where object[name] != nil && !(object[name] is String) {
            throw .field(name, "must be a string")
        }
        guard let url = object["url"] as? String else { throw .field("url", "is required") }
        guard let secret = object["secret"] as? String else { throw .field("secret", "is required") }
        return Body(url: url, secret: secret, query: object["query"] as? String)
    }
}

extension Response {
    /// Kept out of the response cache, whose answers go to whoever asks for the URL next, token or not.
    func uncached() -> Response {
        var response = self
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// A subscription as the API shows it: never its secret.
struct SubscriptionJSON: Sendable, Encodable, JSONWritable {
    let subscription: Subscription

    init(_ subscription: Subscription) { self.subscription = subscription }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case createdAt = "created_at"
        case delivered, failures, id
        case lastAttemptAt = "last_attempt_at"
        case lastDeliveredAt = "last_delivered_at"
        case lastError = "last_error"
        case pending, query, status, url
    }

    func write(to json: inout JSONOutput) {
        json.encoded(self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subscription.createdAt, forKey: .createdAt)
        try container.encode(subscription.delivered, forKey: .delivered)
        try container.encode(subscription.failures, forKey: .failures)
        try container.encode(subscription.id, forKey: .id)
        try container.encode(subscription.lastAttemptAt, forKey: .lastAttemptAt)
        try container.encode(subscription.lastDeliveredAt, forKey: .lastDeliveredAt)
        try container.encode(subscription.lastError, forKey: .lastError)
        try container.encode(subscription.pending, forKey: .pending)
        try container.encode(subscription.query, forKey: .query)
        try container.encode(subscription.status.rawValue, forKey: .status)
        try container.encode(subscription.url, forKey: .url)
    }
}

import Foundation

/// A webhook subscription: a saved `/articles` query and the callback its new matches are posted to.
public struct Subscription: Sendable, Equatable {
    public enum Status: String, Sendable {
        case active
        /// Stopped after too many failed deliveries in a row; deliveries wait until it is replaced.
        case disabled
    }

    public var id: Int64
    public var url: String
    /// The saved query, as an `/articles` query string (`q=police&tag=oslo`).
    public var query: String
    public var status: Status
    /// Failed delivery attempts since the last success.
    public var failures: Int
    public var lastError: String?
    public var lastAttemptAt: Date?
    public var lastDeliveredAt: Date?
    public var createdAt: Date
    /// Deliveries waiting to be sent, and those sent.
    public var pending: Int
    public var delivered: Int

    package init(
        id: Int64,
        url: String,
        query: String,
        status: Status,
        failures: Int,
        lastError: String?,
        lastAttemptAt: Date?,
        lastDeliveredAt: Date?,
        createdAt: Date,
        pending: Int,
        delivered: Int
    ) {
        self.id = id
        self.url = url
        self.query = query
        self.status = status
        self.failures = failures
        self.lastError = lastError
        self.lastAttemptAt = lastAttemptAt
        self.lastDeliveredAt = lastDeliveredAt
        self.createdAt = createdAt
        self.pending = pending
        self.delivered = delivered
    }
}

/// What a client asks to subscribe to.
public struct SubscriptionRequest: Sendable {
    public var url: String
    public var secret: String
    /// The saved query, as an `/articles` query string; already checked by `SubscriptionRequest.query`.
    public var query: String

    public init(url: String, secret: String, query: String) {
        self.url = url
        self.secret = secret
        self.query = query
    }

    /// The parameters a saved query may hold: the `/articles` filters and `q`, not order or paging.
    public static let queryParameters = ArticleQuery.filterParameters.subtracting(["sort"])

    /// The saved query read as the listing would read it; throws the problem with it.
    public static func articleQuery(_ text: String) throws(InputError) -> ArticleQuery {
        let pairs = try QueryParameters.pairs(ofQuery: text)
        return try ArticleQuery(QueryParameters(pairs: pairs, allowed: queryParameters))
    }
}

/// One webhook delivery due to be sent: the body is fixed when the article starts to match.
public struct Delivery: Sendable {
    public var id: Int64
    public var subscriptionID: Int64
    /// The id receivers deduplicate by: the same on every retry.
    public var deliveryID: String
    public var url: String
    public var secret: String
    public var payload: [UInt8]
    public var attempts: Int

    /// Seconds a sender's claim on a due delivery lasts: longer than a round can take (64 deliveries, 8 at
    /// a time, each allowed 15 s to connect and answer), so only a sender that died gives its claims up.
    public static let claimDuration: TimeInterval = 300

    package init(
        id: Int64,
        subscriptionID: Int64,
        deliveryID: String,
        url: String,
        secret: String,
        payload: [UInt8],
        attempts: Int
    ) {
        self.id = id
        self.subscriptionID = subscriptionID
        self.deliveryID = deliveryID
        self.url = url
        self.secret = secret
        self.payload = payload
        self.attempts = attempts
    }
}

/// How a delivery attempt ended.
public enum DeliveryOutcome: Sendable {
    /// The receiver answered 2xx.
    case delivered(status: Int)
    /// Anything else: another status, no answer, or a refused address; retried at `retryAt`.
    case failed(status: Int?, error: String, retryAt: Date)
}

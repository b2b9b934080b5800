import ClippingsStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Webhook subscriptions and their outbox on PostgreSQL, as `SubscriptionRows` and `SubscriptionMatcher`
/// keep them on SQLite: the matcher moves each subscription's cursor and fills the outbox in one write.
struct PostgresSubscriptions {
    let connection: PostgresConnection
    let logger: Logger

    static let select = """
        SELECT s.id, s.url, s.query, s.status, s.failures, s.last_error, s.last_attempt_at, s.last_delivered_at,
            s.created_at,
            (SELECT count(*) FROM delivery d WHERE d.subscription_id = s.id AND d.delivered_at IS NULL),
            (SELECT count(*) FROM delivery d WHERE d.subscription_id = s.id AND d.delivered_at IS NOT NULL)
        FROM subscription s
        """

    /// Subscriptions, by id; only `id`'s when given.
    func subscriptions(id: Int64? = nil) async throws -> [Subscription] {
        let select = SQLBuilder(Self.select)
        if let id { select.append(" WHERE s.id = \(select.bind(id))") }
        select.append(" ORDER BY s.id")
        return try await connection.rows(select, logger: logger).map { row in
            let (id, url, query, status, failures, error, attempted, delivered, created, pending, sent) =
                try row.decode(
                    (Int64, String, String, String, Int, String?, String?, String?, String, Int64, Int64).self
                )
            return Subscription(
                id: id,
                url: url,
                query: query,
                status: Subscription.Status(rawValue: status) ?? .disabled,
                failures: failures,
                lastError: error,
                lastAttemptAt: attempted.flatMap(Timestamp.date),
                lastDeliveredAt: delivered.flatMap(Timestamp.date),
                createdAt: Timestamp.date(created) ?? Date(timeIntervalSince1970: 0),
                pending: Int(pending),
                delivered: Int(sent)
            )
        }
    }

    /// Stores a subscription that starts at the feed's present: what matches now is remembered as matching.
    func create(_ request: SubscriptionRequest, query: ArticleQuery, now: Date) async throws -> Subscription {
        let insert = SQLBuilder()
        insert.append(
            """
            INSERT INTO subscription (url, secret, query, change_cursor, created_at)
            VALUES (\(insert.bind(request.url)), \(insert.bind(request.secret)), \(insert.bind(request.query)),
                (SELECT latest FROM change_state), \(insert.bind(Timestamp.string(now))))
            RETURNING id
            """
        )
        guard let id = try await connection.value(Int64.self, insert, logger: logger) else {
            throw PostgresArchiveError.noRowReturned
        }
        let matching = SQLBuilder()
        matching.append(
            "INSERT INTO subscription_match (subscription_id, article_id) SELECT \(matching.bind(id)), a.id "
                + "FROM article a WHERE \(PostgresListing.filter(query, matching))"
        )
        try await connection.run(matching, logger: logger)
        guard let created = try await subscriptions(id: id).first else { throw PostgresArchiveError.noRowReturned }
        return created
    }

    /// Whether any active subscription has changes it has not looked at.
    func anyBehind() async throws -> Bool {
        try await connection.value(
            Bool.self,
            SQLBuilder(
                """
                SELECT EXISTS (SELECT 1 FROM subscription WHERE status = 'active'
                    AND change_cursor < (SELECT latest FROM change_state))
                """
            ),
            logger: logger
        ) ?? false
    }

    /// Moves each active subscription along up to a batch of changes; the number of deliveries queued.
    func match(now: Date) async throws -> Int {
        var queued = 0
        let active = try await connection.rows(
            SQLBuilder("SELECT id, query, change_cursor FROM subscription WHERE status = 'active' ORDER BY id"),
            logger: logger
        ).map { try $0.decode((Int64, String, Int64).self) }
        for (id, text, cursor) in active {
            let read = SQLBuilder()
            read.append(
                "SELECT seq, article_id, deleted FROM article_change WHERE seq > \(read.bind(cursor)) "
                    + "ORDER BY seq LIMIT \(read.bind(SubscriptionMatcher.batchSize))"
            )
            let changes = try await connection.rows(read, logger: logger).map {
                try $0.decode((Int64, Int64, Bool).self)
            }
            guard let last = changes.last?.0 else { continue }
            let live = changes.filter { !$0.2 }.map(\.1)
            // A query that no longer reads (the rules changed) matches nothing rather than stopping the rest.
            let query = try? SubscriptionRequest.articleQuery(text)
            let matching = try await query.asyncFlatMap { try await Set(matches($0, among: live)) } ?? []
            let knownRead = SQLBuilder()
            knownRead.append(
                "SELECT article_id FROM subscription_match WHERE subscription_id = \(knownRead.bind(id)) "
                    + "AND article_id = ANY(\(knownRead.bind(changes.map(\.1))))"
            )
            let known = Set(try await connection.rows(knownRead, logger: logger).map { try $0.decode(Int64.self) })
            // An article that stopped matching is forgotten, so matching again later is delivered again.
            let gone = known.subtracting(matching)
            if !gone.isEmpty {
                let forget = SQLBuilder()
                forget.append(
                    "DELETE FROM subscription_match WHERE subscription_id = \(forget.bind(id)) "
                        + "AND article_id = ANY(\(forget.bind(Array(gone))))"
                )
                try await connection.run(forget, logger: logger)
            }
            let started = live.filter { matching.contains($0) && !known.contains($0) }
            for article in try await PostgresReads(connection: connection, logger: logger).details(ids: started) {
                try await queue(article, for: id, now: now)
                queued += 1
            }
            let move = SQLBuilder()
            move.append("UPDATE subscription SET change_cursor = \(move.bind(last)) WHERE id = \(move.bind(id))")
            try await connection.run(move, logger: logger)
        }
        return queued
    }

    /// The ids among `ids` that the query selects, without visiting other articles.
    private func matches(_ query: ArticleQuery, among ids: [Int64]) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        let select = SQLBuilder()
        select.append(
            "SELECT a.id FROM article a WHERE a.id = ANY(\(select.bind(ids))) AND \(PostgresListing.filter(query, select))"
        )
        return try await connection.rows(select, logger: logger).map { try $0.decode(Int64.self) }
    }

    /// Remembers the article as matching and puts its delivery in the outbox, its body fixed now.
    private func queue(_ article: ArticleDetail, for subscription: Int64, now: Date) async throws {
        let deliveryID = UUID().uuidString.lowercased()
        let payload = SubscriptionMatcher.payload(article, deliveryID: deliveryID, subscription: subscription, now: now)
        let stamp = Timestamp.string(now)
        let insert = SQLBuilder()
        let subscriptionID = insert.bind(subscription)
        let articleID = insert.bind(article.summary.id)
        insert.append(
            """
            WITH remembered AS (
                INSERT INTO subscription_match (subscription_id, article_id) VALUES (\(subscriptionID), \(articleID))
                ON CONFLICT DO NOTHING
            )
            INSERT INTO delivery (subscription_id, delivery_id, article_id, payload, next_attempt_at, created_at)
            VALUES (\(subscriptionID), \(insert.bind(deliveryID)), \(articleID), \(insert.bind(ByteBuffer(bytes: payload))),
                \(insert.bind(stamp)), \(insert.bind(stamp)))
            """
        )
        try await connection.run(insert, logger: logger)
    }

    /// Deliveries due at `now` for active subscriptions, oldest first, claimed until `claimedUntil`: their
    /// next attempt moves there, so another node's deliverer passes them over (and their rows are locked
    /// until this statement ends, so two nodes asking at once take different ones). The round settles
    /// them well before; a node that dies holding them gives them up when the claim lapses.
    func claimDue(now: Date, claimedUntil: Date, limit: Int) async throws -> [Delivery] {
        let select = SQLBuilder()
        select.append(
            """
            WITH claimed AS (
                SELECT d.id, d.subscription_id, d.delivery_id, s.url, s.secret, d.payload, d.attempts,
                    d.next_attempt_at
                FROM delivery d JOIN subscription s ON s.id = d.subscription_id
                WHERE d.delivered_at IS NULL AND d.next_attempt_at <= \(select.bind(Timestamp.string(now)))
                    AND s.status = 'active'
                ORDER BY d.next_attempt_at, d.id LIMIT \(select.bind(limit))
                FOR UPDATE OF d SKIP LOCKED
            ),
            moved AS (
                UPDATE delivery SET next_attempt_at = \(select.bind(Timestamp.string(claimedUntil)))
                FROM claimed WHERE delivery.id = claimed.id
            )
            SELECT id, subscription_id, delivery_id, url, secret, payload, attempts FROM claimed
            ORDER BY next_attempt_at, id
            """
        )
        return try await connection.rows(select, logger: logger).map { row in
            let (id, subscription, deliveryID, url, secret, payload, attempts) = try row.decode(
                (Int64, Int64, String, String, String, ByteBuffer, Int).self
            )
            return Delivery(
                id: id,
                subscriptionID: subscription,
                deliveryID: deliveryID,
                url: url,
                secret: secret,
                payload: Array(payload.readableBytesView),
                attempts: attempts
            )
        }
    }

    /// Records a round's attempts: each delivery's own, then each subscription's (a round with any failure
    /// counts one failure, so one outage does not use up the limit at once).
    func settle(_ attempts: [(Delivery, DeliveryOutcome)], maximumFailures: Int, now: Date) async throws {
        let stamp = Timestamp.string(now)
        var lastError: [Int64: String?] = [:]
        for (delivery, outcome) in attempts {
            let update = SQLBuilder()
            switch outcome {
            case .delivered(let status):
                update.append(
                    "UPDATE delivery SET delivered_at = \(update.bind(stamp)), attempts = attempts + 1, "
                        + "last_status = \(update.bind(status)) WHERE id = \(update.bind(delivery.id))"
                )
                if lastError[delivery.subscriptionID] == nil { lastError[delivery.subscriptionID] = .some(nil) }
            case .failed(let status, let error, let retryAt):
                update.append(
                    "UPDATE delivery SET attempts = attempts + 1, last_status = \(update.bind(status)), "
                        + "next_attempt_at = \(update.bind(Timestamp.string(retryAt))) "
                        + "WHERE id = \(update.bind(delivery.id))"
                )
                lastError[delivery.subscriptionID] = .some(String(error.prefix(500)))
            }
            try await connection.run(update, logger: logger)
        }
        for (subscription, error) in lastError {
            let update = SQLBuilder()
            if let error {
                update.append(
                    """
                    UPDATE subscription SET failures = failures + 1, last_error = \(update.bind(error)),
                        last_attempt_at = \(update.bind(stamp)),
                        status = CASE WHEN failures + 1 >= \(update.bind(maximumFailures)) THEN 'disabled' ELSE status END
                    WHERE id = \(update.bind(subscription))
                    """
                )
            } else {
                update.append(
                    """
                    UPDATE subscription SET failures = 0, last_error = NULL, last_attempt_at = \(update.bind(stamp)),
                        last_delivered_at = \(update.bind(stamp))
                    WHERE id = \(update.bind(subscription))
                    """
                )
            }
            try await connection.run(update, logger: logger)
        }
    }
}

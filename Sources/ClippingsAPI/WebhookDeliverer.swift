import AsyncHTTPClient
import ClippingsStore
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// How webhooks are sent: which addresses may be called, how often a failing one is retried.
public struct WebhookSettings: Sendable, Equatable {
    /// Whether callbacks to loopback and private addresses are allowed (a receiver on the same machine).
    public var allowPrivate = false
    /// Failed attempts in a row after which a subscription is disabled.
    public var maximumFailures = 10
    /// The first retry's delay; each later one doubles it, up to `longestDelay`.
    public var retryBase: Duration = .seconds(10)
    public var longestDelay: Duration = .seconds(3_600)
    /// How long a delivery attempt may take.
    public var timeout: Duration = .seconds(10)
    /// How often, at most, the outbox is looked at when nothing is committed by this process.
    public var pollInterval: Duration = .milliseconds(500)

    public init() {}

    /// When attempt number `attempts` (from 0) having failed, the next one is due.
    func retry(after attempts: Int, from now: Date) -> Date {
        let delay = min(retryBase * (1 << min(attempts, 20)), longestDelay)
        return now.addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
    }
}

/// Sends the outbox: matches new changes against the subscriptions, then posts each due delivery, signed,
/// and records how it went. Runs beside the HTTP server; a delivery is marked sent only after its receiver
/// answered 2xx, so a crash in between sends it again, with the same `Clippings-Delivery` id (at least once).
struct WebhookDeliverer: Service {
    let store: any ArchiveStore
    let settings: WebhookSettings
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(5), read: .seconds(10))
            )
        )
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // After a round with work, straight on: more may have been committed meanwhile.
                    if try await deliverDue(with: client) { continue }
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("webhook deliveries failed", metadata: ["error": "\(error)"])
                }
                await store.nextCommit(within: settings.pollInterval)
            }
        }
        try await client.shutdown()
    }

    /// Deliveries sent at once, and looked up per round.
    static var concurrency: Int { 8 }
    static var roundSize: Int { 64 }

    /// Rounds until nothing is due: queue new matches, send what is due (`concurrency` at a time, in no
    /// promised order), record the round in one transaction. Whether there was anything to do.
    func deliverDue(with client: HTTPClient) async throws -> Bool {
        let queued = try await store.matchSubscriptions(now: Date())
        metrics.recordWebhooksQueued(queued)
        var sent = false
        while !Task.isCancelled {
            let due = try await store.dueDeliveries(now: Date(), limit: Self.roundSize)
            guard !due.isEmpty else { break }
            sent = true
            let attempts = await withTaskGroup(of: (Delivery, DeliveryOutcome).self) { group in
                var attempts: [(Delivery, DeliveryOutcome)] = []
                for (index, delivery) in due.enumerated() {
                    if index >= Self.concurrency, let done = await group.next() { attempts.append(done) }
                    group.addTask { (delivery, await send(delivery, with: client)) }
                }
                for await done in group { attempts.append(done) }
                return attempts
            }
            try await store.settleDeliveries(attempts, maximumFailures: settings.maximumFailures, now: Date())
            // What failed waits for its retry time; only a full round may have more due now.
            if due.count < Self.roundSize { break }
        }
        return queued > 0 || sent
    }

    func send(_ delivery: Delivery, with client: HTTPClient) async -> DeliveryOutcome {
        let retryAt = settings.retry(after: delivery.attempts, from: Date())
        do {
            let addresses = try await WebhookAddress.check(delivery.url, allowPrivate: settings.allowPrivate)
            var request = HTTPClientRequest(url: Self.target(delivery.url, addresses: addresses))
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "Clippings-Webhooks/1")
            request.headers.add(name: "Clippings-Event", value: "article.matched")
            request.headers.add(name: "Clippings-Delivery", value: delivery.deliveryID)
            request.headers.add(
                name: "Clippings-Signature",
                value: Self.signature(delivery.payload, secret: delivery.secret)
            )
            if let url = URLComponents(string: delivery.url), let host = url.percentEncodedHost {
                request.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
            }
            request.body = .bytes(ByteBuffer(bytes: delivery.payload))
            let response = try await client.execute(request, timeout: .seconds(settings.timeout.components.seconds))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                metrics.recordWebhookAttempt("failed")
                return .failed(status: status, error: "the receiver answered \(status)", retryAt: retryAt)
            }
            metrics.recordWebhookAttempt("delivered")
            return .delivered(status: status)
        } catch let refusal as WebhookAddress.Refusal {
            metrics.recordWebhookAttempt("refused")
            logger.warning("webhook refused", metadata: ["url": "\(delivery.url)", "reason": "\(refusal)"])
            return .failed(status: nil, error: "refused: \(refusal)", retryAt: retryAt)
        } catch {
            metrics.recordWebhookAttempt("failed")
            return .failed(status: nil, error: "\(error)", retryAt: retryAt)
        }
    }

    /// `sha256=` and the hex HMAC-SHA256 of the body under the subscription's secret.
    static func signature(_ payload: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// A plain-http callback is called at the IPv4 address just checked (its `Host` header keeps the name),
    /// so the name cannot be pointed elsewhere between the check and the call. An https one is called by
    /// name, as its certificate must match it; so is a host with IPv6 addresses only.
    static func target(_ url: String, addresses: [String]) -> String {
        guard var components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let v4 = addresses.first(where: { $0.contains(".") && !$0.contains(":") })
        else { return url }
        components.host = v4
        return components.string ?? url
    }
}

import ClippingsStore
import Prometheus
import Synchronization

/// The server's Prometheus metrics: requests by route and status with their latency, articles written
/// through the API, and (set when scraped) the archive's size.
///
/// One registry per application rather than swift-metrics' process-wide bootstrap, so every app (and every
/// test) counts only its own requests.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    // `nonisolated(unsafe)`: the descriptors are immutable values; swift-prometheus just does not mark them
    // `Sendable`.
    nonisolated(unsafe) static let requests = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "http_requests",
        unitName: "total",
        helpText: "HTTP requests answered, by method, route template and status."
    )
    nonisolated(unsafe) static let latency = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "http_request_duration",
        unitName: "seconds",
        helpText: "Time from request to response head, by method, route template and status."
    )
    nonisolated(unsafe) static let written = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "imported_articles",
        unitName: "total",
        helpText: "Articles sent to POST /articles and /articles/bulk, by outcome (created, duplicate, error)."
    )
    nonisolated(unsafe) static let cacheHits = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "response_cache_hits",
        unitName: "total",
        helpText: "Answers from the response cache, by where: on the connection's event loop, or in the router."
    )
    nonisolated(unsafe) static let articles = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "articles",
        unitName: "",
        helpText: "Articles in the archive."
    )
    nonisolated(unsafe) static let databaseSize = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "database_size",
        unitName: "bytes",
        helpText: "Size of the SQLite database file and its write-ahead log."
    )
    nonisolated(unsafe) static let rateLimited = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "rate_limited_requests",
        unitName: "total",
        helpText: "Requests refused with 429 by the per-address rate limit, by bucket (reads, writes)."
    )
    nonisolated(unsafe) static let webhookDeliveries = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "webhook_deliveries",
        unitName: "total",
        helpText: "Webhook delivery attempts, by outcome (delivered, failed, refused: not a public address)."
    )
    nonisolated(unsafe) static let webhooksQueued = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "webhooks_queued",
        unitName: "total",
        helpText: "Webhook deliveries queued: articles that started to match a subscription."
    )
    nonisolated(unsafe) static let databaseReads = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "database_reads",
        unitName: "total",
        helpText: "Read transactions on PostgreSQL with read replicas, by where they ran (primary, replica)."
    )
    nonisolated(unsafe) static let replicaAvailable = MetricNameDescriptor(
        namespace: "clippings",
        metricName: "read_replica_available",
        unitName: "",
        helpText: "1 while a read replica takes reads, 0 while it is set aside (not answering)."
    )
    /// From 1 ms to 5 s: our reads answer in milliseconds; the top buckets catch imports and stalls.
    static let buckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000].map { .milliseconds($0) }

    private struct Series: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    /// The registry builds each series' name and labels on every lookup, too much work to repeat for every
    /// cached answer, so each request series is looked up once.
    private let requestSeries = Mutex<[Series: (count: Counter, latency: DurationHistogram)]>([:])

    /// Made up front, so both series show from the first scrape (at 0).
    private let cacheHitCounters: [CacheLayer: Counter]
    /// The read counts already added to the counters: the archive keeps running totals.
    private let readsCounted = Mutex<(primary: Int, replica: Int)>((0, 0))

    public init() {
        cacheHitCounters = Dictionary(
            uniqueKeysWithValues: [CacheLayer.eventLoop, .router].map { [registry] layer in
                (layer, registry.makeCounter(descriptor: Self.cacheHits, labels: [("answered_by", layer.rawValue)]))
            }
        )
    }

    /// Counts one answered request. `route` is the matched template (`/articles/{id}`), never the raw path,
    /// so the number of series stays bounded.
    func observe(method: String, route: String, status: Int, duration: Duration) {
        let key = Series(method: method, route: route, status: status)
        let series = requestSeries.withLock { known in
            if let series = known[key] { return series }
            let labels = [("method", method), ("route", route), ("status", String(status))]
            let series = (
                count: registry.makeCounter(descriptor: Self.requests, labels: labels),
                latency: registry.makeDurationHistogram(
                    descriptor: Self.latency,
                    labels: labels,
                    buckets: Self.buckets
                )
            )
            known[key] = series
            return series
        }
        series.count.increment()
        series.latency.record(duration)
    }

    /// Where a cached answer was served from.
    enum CacheLayer: String {
        case eventLoop = "event_loop"
        case router
    }

    /// Counts one answer from the response cache.
    func recordCacheHit(_ layer: CacheLayer) {
        cacheHitCounters[layer]?.increment()
    }

    /// Counts one request refused by the rate limit.
    func recordRateLimited(_ kind: RateLimiter.Kind) {
        registry.makeCounter(descriptor: Self.rateLimited, labels: [("bucket", kind.rawValue)]).increment()
    }

    /// Counts the outcome of articles written through the API.
    func recordWrites(created: Int = 0, duplicates: Int = 0, errors: Int = 0) {
        for (outcome, count) in [("created", created), ("duplicate", duplicates), ("error", errors)] where count > 0 {
            registry.makeCounter(descriptor: Self.written, labels: [("outcome", outcome)]).increment(by: Int64(count))
        }
    }

    /// Counts one webhook delivery attempt by its outcome.
    func recordWebhookAttempt(_ outcome: String) {
        registry.makeCounter(descriptor: Self.webhookDeliveries, labels: [("outcome", outcome)]).increment()
    }

    /// Counts deliveries put in the outbox.
    func recordWebhooksQueued(_ count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(descriptor: Self.webhooksQueued).increment(by: Int64(count))
    }

    /// The exposition text, with the archive gauges set to the given figures.
    func render(articles: Int?, databaseBytes: Int?, routing: ReadRouting? = nil) -> [UInt8] {
        if let articles { registry.makeGauge(descriptor: Self.articles).set(Double(articles)) }
        if let databaseBytes { registry.makeGauge(descriptor: Self.databaseSize).set(Double(databaseBytes)) }
        if let routing { record(routing) }
        return registry.emitToBuffer()
    }

    private func record(_ routing: ReadRouting) {
        let (primary, replica) = readsCounted.withLock { counted in
            defer { counted = (routing.primaryReads, routing.replicaReads) }
            return (routing.primaryReads - counted.primary, routing.replicaReads - counted.replica)
        }
        for (target, count) in [("primary", primary), ("replica", replica)] {
            registry.makeCounter(descriptor: Self.databaseReads, labels: [("target", target)])
                .increment(by: Int64(max(count, 0)))
        }
        for replica in routing.replicas {
            registry.makeGauge(descriptor: Self.replicaAvailable, labels: [("replica", replica.address)])
                .set(replica.available ? 1.0 : 0.0)
        }
    }
}

import Foundation
import HTTPTypes
import Synchronization

/// Token buckets per client address, one for reads and a smaller one for writes (`--rate-limit`).
///
/// A bucket holds up to `capacity` tokens and gains `rate` per second; a request takes one, and a
/// request that finds none is refused (429). Buckets of clients gone quiet long enough to be full again
/// are forgotten, so memory stays bounded by the clients of the last few seconds.
public final class RateLimiter: Sendable {
    /// Which bucket a request draws from.
    public enum Kind: String, Sendable, CaseIterable {
        case reads, writes

        init(_ method: HTTPRequest.Method) {
            self = [.get, .head, .options].contains(method) ? .reads : .writes
        }
    }

    /// One bucket's size and refill.
    public struct Policy: Sendable, Equatable {
        public var capacity: Double
        public var rate: Double

        /// The window the draft's `w` names: the seconds an empty bucket takes to fill.
        var window: Int { Int((capacity / rate).rounded(.up)) }
    }

    /// What a request found: whether it may go on, what is left, and when to come back.
    public struct Decision: Sendable {
        public var allowed: Bool
        public var kind: Kind
        public var policy: Policy
        public var remaining: Int
        /// Seconds until a token is available (for `Retry-After`), at least 1 when refused.
        public var retryAfter: Int
        /// Seconds until the bucket is full again.
        public var reset: Int

        /// `RateLimit-Policy` and `RateLimit` as draft-ietf-httpapi-ratelimit-headers words them.
        var headers: HTTPFields {
            var fields = HTTPFields()
            fields[HTTPField.Name("RateLimit-Policy")!] =
                "\"\(kind.rawValue)\";q=\(Int(policy.capacity));w=\(policy.window)"
            fields[HTTPField.Name("RateLimit")!] = "\"\(kind.rawValue)\";r=\(remaining);t=\(reset)"
            if !allowed { fields[.retryAfter] = String(retryAfter) }
            return fields
        }
    }

    let policies: [Kind: Policy]
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant

        /// The tokens the bucket holds at `now`, refilled since it was last updated.
        func filled(by policy: Policy, at now: ContinuousClock.Instant) -> Double {
            min(policy.capacity, tokens + policy.rate * (now - updated).seconds)
        }
    }
    private struct Key: Hashable {
        var address: String
        var kind: Kind
    }
    private struct State {
        var buckets: [Key: Bucket] = [:]
        /// The number of buckets at which the full ones are next swept out.
        var sweepAt = RateLimiter.sweepThreshold
    }
    private let state = Mutex(State())
    private let clock = ContinuousClock()
    /// Buckets kept before the full ones are first swept out; later sweeps wait for twice the survivors, so
    /// a sweep's cost is shared by as many requests as it keeps buckets.
    static let sweepThreshold = 10_000

    /// `perSecond` reads per second per client, in bursts of up to twice that; writes get a tenth of it
    /// (at least one per second, in bursts of at least two).
    public init(perSecond: Int) {
        let reads = Double(perSecond)
        let writes = max(1, reads / 10)
        policies = [
            .reads: Policy(capacity: reads * 2, rate: reads),
            .writes: Policy(capacity: max(2, writes * 2), rate: writes),
        ]
    }

    /// Takes a token for a request of `method` from `address`'s bucket, if there is one.
    public func take(_ method: HTTPRequest.Method, from address: String) -> Decision {
        let kind = Kind(method)
        let policy = policies[kind]!
        let now = clock.now
        return state.withLock { state in
            if state.buckets.count > state.sweepAt {
                state.buckets = state.buckets.filter { key, bucket in
                    bucket.filled(by: policies[key.kind]!, at: now) < policies[key.kind]!.capacity
                }
                state.sweepAt = max(Self.sweepThreshold, state.buckets.count * 2)
            }
            let key = Key(address: address, kind: kind)
            var bucket = state.buckets[key] ?? Bucket(tokens: policy.capacity, updated: now)
            bucket.tokens = bucket.filled(by: policy, at: now)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            state.buckets[key] = bucket
            return Decision(
                allowed: allowed,
                kind: kind,
                policy: policy,
                remaining: Int(bucket.tokens),
                retryAfter: max(1, Int(((1 - bucket.tokens) / policy.rate).rounded(.up))),
                reset: Int(((policy.capacity - bucket.tokens) / policy.rate).rounded(.up))
            )
        }
    }

}

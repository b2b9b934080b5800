import HTTPTypes
import NIOCore
import Synchronization

/// Finished responses by request target and encoding, for one data version at a time, within a byte budget.
///
/// Any commit changes the version and so makes every entry stale: the first lookup under a new version
/// empties the cache. Within a version, the oldest entries go first when the budget is full.
public final class ResponseCache: Sendable {
    struct Key: Hashable {
        var target: String
        var gzip: Bool
    }

    struct Entry {
        var headers: HTTPFields
        var body: ByteBuffer
        /// The route template that answered, for the metrics of the hits.
        var route = "unmatched"
    }

    /// What a request is answered with from the cache: the stored 200, or a 304 when its ETag matches.
    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
        var route: String
    }

    private struct State {
        var version: Int64?
        var entries: [Key: Entry] = [:]
        var order: [Key] = []
        var bytes = 0
    }

    /// Bytes of bodies kept at most; 0 turns the cache off.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Probes answer live, and `/health` must not even ask the database for its version.
    static let uncachedPaths: Set<Substring> = ["/health", "/ready", "/metrics"]

    /// Whether the cache may answer, or keep the answer to, this request: GETs only, and not the probes.
    func admits(_ request: HTTPRequest) -> Bool {
        guard request.method == .get, capacity > 0, let target = request.path else { return false }
        let path = target.prefix { $0 != "?" }
        return !Self.uncachedPaths.contains(path)
    }

    /// The cached answer to `request` under the archive's data `version`, or nil.
    func answer(to request: HTTPRequest, version: Int64) -> Answer? {
        let key = Key(target: request.path ?? "", headers: request.headerFields)
        guard let entry = entry(for: key, version: version) else { return nil }
        if let tag = entry.headers[.eTag], var unchanged = EntityTag.notModified(request.headerFields, tag: tag) {
            // Gzip, which sets `Vary` on every answer, ran when the entry was stored.
            unchanged[.vary] = entry.headers[.vary]
            return Answer(status: .notModified, headers: unchanged, body: ByteBuffer(), route: entry.route)
        }
        return Answer(status: .ok, headers: entry.headers, body: entry.body, route: entry.route)
    }

    func entry(for key: Key, version: Int64) -> Entry? {
        state.withLock { state in
            guard state.version == version else {
                state = State(version: version)
                return nil
            }
            return state.entries[key]
        }
    }

    func store(_ entry: Entry, for key: Key, version: Int64) {
        let size = entry.body.readableBytes + key.target.utf8.count
        // One answer may take at most an eighth of the budget, so a few large exports cannot flush it.
        guard size <= capacity / 8 else { return }
        state.withLock { state in
            guard state.version == version, state.entries[key] == nil else { return }
            while state.bytes + size > capacity, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                if let evicted = state.entries.removeValue(forKey: oldest) {
                    state.bytes -= evicted.body.readableBytes + oldest.target.utf8.count
                }
            }
            state.entries[key] = entry
            state.order.append(key)
            state.bytes += size
        }
    }

    /// Entries and bytes held now, for tests and metrics.
    var usage: (entries: Int, bytes: Int) {
        state.withLock { ($0.entries.count, $0.bytes) }
    }
}

extension ResponseCache.Key {
    /// A request's key: its target, and whether it takes gzip (the two encodings are separate answers).
    init(target: String, headers: HTTPFields) {
        self.init(target: target, gzip: AcceptEncoding(headers[.acceptEncoding]).allowsGzip)
    }
}

import ClippingsStore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Serves repeated GETs from finished responses, gzip already applied, while the archive is unchanged.
///
/// Dashboards and scripts ask the same questions again and again; answering from memory skips the
/// queries, the JSON encoding and the compression, which were nearly all of a request's cost. Every
/// lookup first asks the store for its data version (`PRAGMA data_version`, which also moves when another
/// process such as `clippings import` commits), so a cached answer is never older than the archive.
/// Only complete 200 answers are kept (no streams, no `no-store`); a 304 is answered from the entry's ETag.
struct ResponseCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: ResponseCache
    let store: any ArchiveStore

    /// Probes answer live, and `/health` must not even ask the database for its version.
    static var uncached: Set<String> { ["/health", "/ready", "/metrics"] }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard request.method == .get, cache.capacity > 0, !Self.uncached.contains(request.uri.path) else {
            return try await next(request, context)
        }
        let key = ResponseCache.Key(
            target: request.uri.description,
            gzip: AcceptEncoding(request.headers[.acceptEncoding]).allowsGzip
        )
        // A store that cannot say its version (storage trouble) is asked directly, and errors become problems.
        guard let version = try? await store.dataVersion() else { return try await next(request, context) }
        if let entry = cache.entry(for: key, version: version) {
            if let tag = entry.headers[.eTag], var unchanged = ETagMiddleware<Context>.notModified(request, tag: tag) {
                // Gzip, which sets `Vary` on every answer, sits inside this middleware.
                unchanged.headers[.vary] = entry.headers[.vary]
                return unchanged
            }
            return Response(status: .ok, headers: entry.headers, body: ResponseBody(byteBuffer: entry.body))
        }
        var response = try await next(request, context)
        guard response.status == .ok, response.body.contentLength != nil,
            response.headers[.cacheControl] != "no-store", request.headers[.ifNoneMatch] == nil
        else { return response }
        let body = try await response.collectBody()
        cache.store(ResponseCache.Entry(headers: response.headers, body: body), for: key, version: version)
        return response
    }
}

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
    }

    private struct State {
        var version: Int64?
        var entries: [Key: Entry] = [:]
        var order: [Key] = []
        var bytes = 0
    }

    /// 16 MiB: a few thousand compressed pages and articles, a small share of the server's memory.
    public static let defaultCapacity = 16 * 1024 * 1024

    /// Bytes of bodies kept at most; 0 turns the cache off.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
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

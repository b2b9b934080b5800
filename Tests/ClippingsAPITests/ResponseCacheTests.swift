import ClippingsExtraction
import ClippingsStore
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import ClippingsAPI

@Suite("Response cache")
struct ResponseCacheTests {
    static let token = "s3cret-token"

    @Test("repeated GETs come from the cache until anything, in any process, commits")
    func freshness() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        // Checks for other processes' commits on every request, so the cross-process case is exact.
        let store = try AppDatabase.open(path: path, changeCheckInterval: .zero)
        try await seedIfEmpty(store, from: ServerConfiguration.testing.seedsPath!, logger: Logger(label: "test"))
        let cache = ResponseCache(capacity: 1 << 20)
        let router = buildRouter(store: store, writes: WritePolicy(token: Self.token), cache: cache)
        try await Application(router: router).test(.router) { client in
            let gzip: HTTPFields = [.acceptEncoding: "gzip"]
            let first = try await client.get("/articles", headers: gzip)
            let total = try first.decoded(API.Listing.self).total ?? 0
            #expect(cache.usage.entries == 1)
            let again = try await client.get("/articles", headers: gzip)
            #expect(again.headers[.eTag] == first.headers[.eTag] && again.body == first.body)
            #expect(again.headers[.contentEncoding] == "gzip" && again.headers[.vary] == "Accept-Encoding")
            // The plain representation is a separate entry, never the gzip bytes.
            let plain = try await client.get("/articles")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(try plain.decoded(API.Listing.self).total == total)
            #expect(cache.usage.entries == 2)
            // A conditional request is answered from the entry's validator.
            let unchanged = try await client.get("/articles", headers: [.ifNoneMatch: first.headers[.eTag] ?? ""])
            #expect(unchanged.status == .notModified)
            #expect(unchanged.headers[.eTag] == first.headers[.eTag] && unchanged.headers[.vary] == "Accept-Encoding")

            // A write through the API: the next answer is recomputed.
            #expect(try await Self.createArticle(client).status == .created)
            #expect(try await client.get("/articles", headers: gzip).decoded(API.Listing.self).total == total + 1)

            // Another connection (as `clippings import` into the served file would be): recomputed as well.
            let other = try AppDatabase.open(path: path)
            _ = try await other.importArticles([
                ExtractedArticle(title: "Ferries return", paragraphs: ["The ferries are back."], format: .plainText)
            ])
            try other.close()
            #expect(try await client.get("/articles", headers: gzip).decoded(API.Listing.self).total == total + 2)
            // Problems and HEAD are never cached.
            #expect(try await client.get("/articles/999999").status == .notFound)
            #expect(try await client.execute(uri: "/articles", method: .head, headers: gzip, body: nil).status == .ok)
            #expect(cache.usage.entries == 1)
            // Probes are never cached.
            for probe in ["/health", "/ready", "/metrics"] { #expect(try await client.get(probe).status == .ok) }
            #expect(cache.usage.entries == 1)
        }
        try store.close()
    }

    @Test("on a live server a hit is answered on the event loop, as the router would have, and fresh")
    func eventLoopHits() async throws {
        var arguments = ServerConfiguration.testing
        arguments.apiToken = Self.token
        try await withApp(.live, arguments: arguments) { client in
            let gzip: HTTPFields = [.acceptEncoding: "gzip"]
            // The start-up's own commits (seeding, the search index's merges) are seen a second time by the
            // change watcher (`ChangeTracker`) up to its interval later; on a loaded machine that can fall
            // between the requests compared here, so the three are asked again until none moved the version.
            var exchanged: [TestResponse] = []
            var hits = (before: 0, after: 0)
            for _ in 0..<20 {
                hits.before = try await Self.cacheHits(client)
                let first = try await client.get("/articles?limit=2", headers: gzip)
                let hit = try await client.get(
                    "/articles?limit=2",
                    headers: [.acceptEncoding: "gzip", RequestID.field: "trace-7"]
                )
                let unchanged = try await client.get(
                    "/articles?limit=2",
                    headers: [.acceptEncoding: "gzip", .ifNoneMatch: first.headers[.eTag] ?? ""]
                )
                exchanged = [first, hit, unchanged]
                hits.after = try await Self.cacheHits(client)
                if hits.after == hits.before + 2 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(hits.after == hits.before + 2, "the repeated and the conditional request were not hits")
            let (first, hit, unchanged) = (exchanged[0], exchanged[1], exchanged[2])
            #expect(hit.status == .ok && hit.body == first.body)
            for field: HTTPField.Name in [.eTag, .vary, .contentType, .contentEncoding, .contentLength, .server] {
                #expect(hit.headers[field] != nil && hit.headers[field] == first.headers[field], "\(field)")
            }
            #expect(hit.headers[.date]?.hasSuffix(" GMT") == true)
            #expect(hit.headers[RequestID.field] == "trace-7")
            #expect(unchanged.status == .notModified && unchanged.body.readableBytes == 0)
            #expect(unchanged.headers[.eTag] == first.headers[.eTag] && unchanged.headers[.vary] == "Accept-Encoding")
            // Counted under the route that first answered, like any request.
            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains(#"clippings_http_requests_total{method="GET",route="/articles",status="304"}"#))

            // A write through the API: the next answer on the event loop is recomputed.
            #expect(try await Self.createArticle(client).status == .created)
            let total = try first.decoded(API.Listing.self).total ?? 0
            #expect(
                try await client.get("/articles?limit=2", headers: gzip).decoded(API.Listing.self).total == total + 1
            )

            // Pipelined: a miss, then a hit, then a miss, in one write. The answers keep the requests' order.
            let port = try #require(client.port)
            let requests = ["/articles?limit=3", "/articles?limit=2", "/articles?limit=1"]
            let answers = try await RawHTTP.exchange(
                port: port,
                requests.map { "GET \($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" }.joined(),
                expected: 3
            )
            #expect(answers.count == 3)
            for (answer, limit) in zip(answers, [3, 2, 1]) {
                #expect(answer.status == 200)
                #expect(try API.decode(API.Page<API.ArticleSummary>.self, from: answer.body).items.count == limit)
            }
        }
    }

    @Test("a client pipelining cached requests without reading gets every answer, in order")
    func pipelinedHitsUnread() async throws {
        try await withApp(.live) { client in
            let target = "/articles"
            let expected = try await client.get(target).body
            let port = try #require(client.port)
            // 3 000 answers of several KB, far more than the server's send buffer and a small receive window
            // hold: the server's side stops being writable while the client is still sending. The client
            // starts reading once the router has answered from the cache: the socket has backed up.
            let count = 3_000
            let routerHits = { @Sendable in try await Self.cacheHits(client, answeredBy: "router") > 0 }
            let answers = try await RawHTTP.exchange(
                port: port,
                String(repeating: "GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n", count: count),
                expected: count,
                holdReadingUntil: routerHits
            )
            #expect(answers.count == count)
            #expect(answers.allSatisfy { $0.status == 200 && $0.body == Data(expected.readableBytesView) })
            // Once the socket backed up, the rest went to the router, which stopped reading meanwhile.
            #expect(try await routerHits(), "\(expected.readableBytes) bytes each")
        }
    }

    /// The answers served from the cache so far by `layer` (`event_loop` or `router`), from `/metrics`.
    static func cacheHits(_ client: any TestClientProtocol, answeredBy layer: String = "event_loop") async throws -> Int
    {
        let metrics = String(buffer: try await client.get("/metrics").body)
        let line = metrics.split(separator: "\n").first {
            $0.hasPrefix(#"clippings_response_cache_hits_total{answered_by=""# + layer + #""}"#)
        }
        return try #require((line?.split(separator: " ").last).flatMap { Int($0) })
    }

    /// One article written through the API, with the suite's token.
    static func createArticle(_ client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/articles",
            method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: #"{"title": "Quay approved", "body": "The harbour authority approved a quay."}"#)
        )
    }

    @Test("the byte budget evicts the oldest entries; oversized answers are not kept")
    func budget() {
        let cache = ResponseCache(capacity: 8 * 100)
        let entry = { (size: Int) in
            ResponseCache.Entry(headers: [:], body: ByteBuffer(repeating: 0x61, count: size))
        }
        for index in 0..<20 {
            cache.store(entry(90), for: .init(target: "/a/\(index)", gzip: true), version: 1)
            _ = cache.entry(for: .init(target: "/a/\(index)", gzip: true), version: 1)
        }
        #expect(cache.usage.bytes <= 800)
        #expect(cache.entry(for: .init(target: "/a/19", gzip: true), version: 1) != nil)
        #expect(cache.entry(for: .init(target: "/a/0", gzip: true), version: 1) == nil)
        cache.store(entry(200), for: .init(target: "/big", gzip: true), version: 1)
        #expect(cache.entry(for: .init(target: "/big", gzip: true), version: 1) == nil)
        // A new version empties it.
        #expect(cache.entry(for: .init(target: "/a/19", gzip: true), version: 2) == nil)
        #expect(cache.usage.entries == 0)
    }
}

/// One connection, raw bytes: for what an HTTP client library hides (pipelining).
enum RawHTTP {
    struct Answer {
        var status: Int
        var body: Data
    }

    /// Sends `text` on a new connection (from another thread, so a server that stops reading until its
    /// answers are read cannot stall us) and reads answers (bodies by `Content-Length`) until `expected`
    /// have come, the server closes, or five seconds pass in silence. With `holdReadingUntil`, reading
    /// starts once it holds (asked every 20 ms; after 30 s reading starts anyway, a guard), as a client that
    /// does not read would, through a small receive window.
    /// On a thread of its own: blocking a Swift concurrency thread could starve the server under test, which
    /// runs on the same few threads.
    static func exchange(
        port: Int,
        _ text: String,
        expected: Int,
        holdReadingUntil ready: (@Sendable () async throws -> Bool)? = nil
    ) async throws -> [Answer] {
        let reading = DispatchSemaphore(value: 0)
        let watcher = Task {
            let deadline = ContinuousClock.now + .seconds(30)
            while let ready, ContinuousClock.now < deadline, !Task.isCancelled, (try? await ready()) != true {
                try? await Task.sleep(for: .milliseconds(20))
            }
            reading.signal()
        }
        defer { watcher.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try blockingExchange(port: port, text, expected: expected, smallWindow: ready != nil, reading)
                    }
                )
            }
        }
    }

    private static func blockingExchange(
        port: Int,
        _ text: String,
        expected: Int,
        smallWindow: Bool,
        _ reading: DispatchSemaphore
    ) throws
        -> [Answer]
    {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        defer { close(socket) }
        if smallWindow {
            // A small receive window, so the server's side backs up after a few answers, as over a slow link.
            var size: Int32 = 16_384
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let sent = DispatchSemaphore(value: 0)
        let bytes = Array(text.utf8)
        Thread.detachNewThread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let count = send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if count <= 0 { break }
                    offset += count
                }
            }
            sent.signal()
        }
        // A client that does not read for a while; if the server stops reading meanwhile, sending waits.
        reading.wait()
        defer { sent.wait() }
        var parser = Parser()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while parser.answers.count < expected {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            parser.feed(buffer[0..<count])
        }
        return parser.answers
    }

    /// Complete answers, parsed as bytes arrive.
    struct Parser {
        var answers: [Answer] = []
        private var pending = Data()

        mutating func feed(_ bytes: some Sequence<UInt8>) {
            pending.append(contentsOf: bytes)
            let separator = Data("\r\n\r\n".utf8)
            while let end = pending.range(of: separator) {
                let head = String(decoding: pending[pending.startIndex..<end.lowerBound], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
                let length =
                    lines.dropFirst().compactMap { line -> Int? in
                        let parts = line.split(separator: ":", maxSplits: 1)
                        guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                        return Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }.first ?? 0
                guard let bodyEnd = pending.index(end.upperBound, offsetBy: length, limitedBy: pending.endIndex)
                else { return }
                answers.append(Answer(status: status, body: Data(pending[end.upperBound..<bodyEnd])))
                pending = Data(pending[bodyEnd...])
            }
        }
    }
}

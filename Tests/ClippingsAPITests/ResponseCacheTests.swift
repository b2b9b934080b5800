import ClippingsExtraction
import ClippingsStore
import Foundation
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
        let store = try AppDatabase.open(path: path)
        try await seedIfEmpty(store, from: TestArguments().seedsPath!, logger: Logger(label: "test"))
        let cache = ResponseCache(capacity: 1 << 20)
        let router = buildRouter(store: store, writes: WritePolicy(token: Self.token), cache: cache)
        try await Application(router: router).test(.router) { client in
            let gzip: HTTPFields = [.acceptEncoding: "gzip"]
            let first = try await client.get("/articles", headers: gzip)
            let total = try first.object()["total"] as? Int ?? 0
            #expect(cache.usage.entries == 1)
            let again = try await client.get("/articles", headers: gzip)
            #expect(again.headers[.eTag] == first.headers[.eTag] && again.body == first.body)
            #expect(again.headers[.contentEncoding] == "gzip" && again.headers[.vary] == "Accept-Encoding")
            // The plain representation is a separate entry, never the gzip bytes.
            let plain = try await client.get("/articles")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(try plain.object()["total"] as? Int == total)
            #expect(cache.usage.entries == 2)
            // A conditional request is answered from the entry's validator.
            let unchanged = try await client.get("/articles", headers: [.ifNoneMatch: first.headers[.eTag] ?? ""])
            #expect(unchanged.status == .notModified)
            #expect(unchanged.headers[.eTag] == first.headers[.eTag] && unchanged.headers[.vary] == "Accept-Encoding")

            // A write through the API: the next answer is recomputed.
            let created = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: [.authorization: "Bearer \(Self.token)", .contentType: "application/json"],
                body: ByteBuffer(
                    string: #"{"title": "Quay approved", "body": "The harbour authority approved a quay."}"#
                )
            )
            #expect(created.status == .created)
            #expect(try await client.get("/articles", headers: gzip).object()["total"] as? Int == total + 1)

            // Another connection (as `clippings import` into the served file would be): recomputed as well.
            let other = try AppDatabase.open(path: path)
            _ = try await other.importArticles([
                ExtractedArticle(title: "Ferries return", paragraphs: ["The ferries are back."], format: .plainText)
            ])
            try other.close()
            #expect(try await client.get("/articles", headers: gzip).object()["total"] as? Int == total + 2)
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

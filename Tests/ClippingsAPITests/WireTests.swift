import ClippingsAPI
import CompressNIO
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What happens on the wire, against a real server on a loopback socket.
@Suite("HTTP on the wire")
struct WireTests {
    @Test("gzip when accepted: same bytes once decoded, Vary always, q=0 honoured")
    func gzip() async throws {
        try await withApp(.live) { client in
            let plain = try await client.get("/articles")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            for accept in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "*", "x-gzip"] {
                let compressed = try await client.get("/articles", headers: [.acceptEncoding: accept])
                #expect(compressed.headers[.contentEncoding] == "gzip", "\(accept)")
                #expect(compressed.headers[.vary] == "Accept-Encoding")
                #expect(compressed.body.readableBytes < plain.body.readableBytes)
                #expect(try compressed.plainBody() == plain.body, "decoded body differs for \(accept)")
            }
            for accept in ["gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0, *;q=1"] {
                let response = try await client.get("/articles", headers: [.acceptEncoding: accept])
                #expect(response.headers[.contentEncoding] == nil, "\(accept)")
                #expect(response.body == plain.body)
            }
            let tiny = try await client.get("/health", headers: [.acceptEncoding: "gzip"])
            #expect(tiny.headers[.contentEncoding] == nil)  // under 1 KB stays plain
            #expect(tiny.headers[.vary] == "Accept-Encoding")
        }
    }

    @Test("every GET has an ETag; If-None-Match gives 304 with no body, gzip or not")
    func conditionalRequests() async throws {
        try await withApp(.live) { client in
            for uri in [
                "/articles", "/articles/1", "/tags", "/tags/norway", "/sources", "/sources/nrk", "/health",
                "/openapi.yaml",
            ] {
                let first = try await client.get(uri)
                let tag = try #require(first.headers[.eTag], "\(uri)")
                let again = try await client.get(uri, headers: [.ifNoneMatch: tag])
                #expect(again.status == .notModified, "\(uri)")
                #expect(again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == tag)
                let zipped = try await client.get(
                    uri,
                    headers: [.ifNoneMatch: "\"other\", \(tag)", .acceptEncoding: "gzip"]
                )
                #expect(zipped.status == .notModified, "\(uri)")
                #expect(try await client.get(uri, headers: [.ifNoneMatch: "W/\"stale\""]).status == .ok)
            }
        }
    }

    @Test("HEAD answers like GET without a body")
    func head() async throws {
        try await withApp(.live) { client in
            let response = try await client.execute(uri: "/articles", method: .head, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test("a server over a database file keeps its data across restarts and seeds only once")
    func persistentDatabase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clippings-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        var arguments = ServerConfiguration.testing
        arguments.databasePath = path
        for _ in 0..<2 {
            try await withApp(.live, arguments: arguments) { client in
                let ready = try await client.get("/ready").decoded(API.Health.self)
                #expect(ready.articles == 5)
            }
        }
    }

    @Test("a request target in raw UTF-8 (as curl sends it) is read as if percent-encoded, pipelined too")
    func rawUTF8Targets() async throws {
        try await withApp(.live) { client in
            let port = try #require(client.port)
            let encoded = try await client.get("/articles?q=Reikr%C3%A5s&fields=id").body
            #expect(try JSONSerialization.jsonObject(with: Data(encoded.readableBytesView)) is [String: Any])
            let requests = [
                "/articles?q=Reikrås&fields=id", "/tags?prefix=n&fields=slug", "/articles?q=Reikrås&fields=id",
            ]
            let answers = try await RawHTTP.exchange(
                port: port,
                requests.map { "GET \($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" }.joined(),
                expected: 3
            )
            #expect(answers.map(\.status) == [200, 200, 200])
            #expect(answers.first?.body == Data(encoded.readableBytesView))
            #expect(answers.last?.body == Data(encoded.readableBytesView))
        }
    }
}

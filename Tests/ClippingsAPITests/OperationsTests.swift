import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// What operators rely on: request ids, the access log, metrics, CORS and the protocol-level limits.
@Suite("Operations")
struct OperationsTests {
    /// Keeps every log record, for tests that read the access log.
    final class LogRecorder: Sendable {
        let lines = Mutex<[String]>([])

        var logger: Logger {
            Logger(label: "clippings") { _ in RecordingHandler(recorder: self) }
        }

        struct RecordingHandler: LogHandler {
            let recorder: LogRecorder
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                let all = metadata.merging(event.metadata ?? [:]) { $1 }
                let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                recorder.lines.withLock { $0.append("\(event.level) \(event.message) \(fields)") }
            }
        }
    }

    static let requestID = HTTPField.Name("X-Request-ID")!

    @Test("X-Request-ID: a sane client id is echoed, anything else replaced; each request logs one access line")
    func requestIDsAndAccessLog() async throws {
        let recorder = LogRecorder()
        var arguments = ServerConfiguration.testing
        arguments.logLevel = .info
        try await withApp(arguments: arguments, logger: recorder.logger) { client in
            let echoed = try await client.get("/health", headers: [Self.requestID: "abc-123"])
            #expect(echoed.headers[Self.requestID] == "abc-123")
            let generated = try await client.get("/articles?limit=1")
            let id = try #require(generated.headers[Self.requestID])
            #expect(id.count == 32)
            for bad in ["has spaces", String(repeating: "x", count: 200), "new\u{7F}line"] {
                let replaced = try await client.get("/health", headers: [Self.requestID: bad])
                #expect(replaced.headers[Self.requestID].map { $0 != bad && $0.count == 32 } == true)
            }
            let missing = try await client.get("/nope", headers: [Self.requestID: "req-404"])
            #expect(missing.status == .notFound)
            #expect(missing.headers[Self.requestID] == "req-404")

            let access = recorder.lines.withLock {
                $0.filter { $0.contains(" request ") || $0.hasPrefix("info request") }
            }
            let health = try #require(access.first { $0.contains("request.id=abc-123") })
            #expect(health.contains("http.method=GET"))
            #expect(health.contains("http.path=/health"))
            #expect(health.contains("http.status=200"))
            #expect(health.contains("duration_ms="))
            #expect(health.contains("http.bytes="))
            #expect(access.contains { $0.contains("request.id=\(id)") && $0.contains("http.path=/articles") })
            #expect(access.contains { $0.contains("request.id=req-404") && $0.contains("http.status=404") })
        }
    }

    @Test("/metrics counts requests by route template and status, with latency, articles and writes")
    func metrics() async throws {
        var arguments = ServerConfiguration.testing
        arguments.apiToken = "secret"
        try await withApp(arguments: arguments) { client in
            for id in [1, 2, 999] { _ = try await client.get("/articles/\(id)") }
            _ = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: [.authorization: "Bearer secret", .contentType: "text/plain"],
                body: ByteBuffer(string: "Ferry strike ends\n\nThe ferry workers returned to work on Monday morning.")
            )
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: try response.plainBody())
            let line = { (prefix: String) in text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
            }
            let found = line(#"clippings_http_requests_total{method="GET",route="/articles/{id}",status="200"}"#)
            #expect(found?.hasSuffix(" 2") == true, "\(found ?? "missing")")
            #expect(line(#"clippings_http_requests_total{method="GET",route="/articles/{id}",status="404"}"#) != nil)
            #expect(line(#"clippings_http_request_duration_seconds_bucket{method="GET",route="/articles/{id}""#) != nil)
            #expect(line("clippings_articles 6") != nil)
            #expect(line(#"clippings_imported_articles_total{outcome="created"} 1"#) != nil)
            #expect(!text.contains("/articles/999"))
        }
    }

    @Test("CORS: off by default; allowed origins get headers and preflights, others get neither")
    func cors() async throws {
        try await withApp { client in
            let response = try await client.get("/articles", headers: [.origin: "https://app.example"])
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
        var arguments = ServerConfiguration.testing
        arguments.corsOrigins = ["https://app.example"]
        try await withApp(arguments: arguments) { client in
            let allowed = try await client.get("/articles", headers: [.origin: "https://app.example"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(allowed.headers[.accessControlExposeHeaders]?.contains("ETag") == true)
            #expect(allowed.headers[values: .vary].contains { $0.contains("Origin") })
            let other = try await client.get("/articles", headers: [.origin: "https://evil.example"])
            #expect(other.status == .ok)
            #expect(other.headers[.accessControlAllowOrigin] == nil)

            let preflight = try await client.execute(
                uri: "/articles/1",
                method: .options,
                headers: [
                    .origin: "https://app.example", .accessControlRequestMethod: "PATCH",
                    .accessControlRequestHeaders: "authorization, content-type",
                ]
            )
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(preflight.headers[.accessControlMaxAge] == "600")
            let refused = try await client.execute(
                uri: "/articles",
                method: .options,
                headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"]
            )
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            // Not a preflight: OPTIONS stays a method the paths do not allow.
            #expect(try await client.execute(uri: "/articles", method: .options).status == .methodNotAllowed)
        }
    }

    @Test("a header section over the limit is a 431 problem, over a real socket")
    func headerLimit() async throws {
        var arguments = ServerConfiguration.testing
        arguments.limits.maximumHeaderSize = 4_096
        try await withApp(.live, arguments: arguments) { client in
            let response = try await client.get(
                "/health",
                headers: [HTTPField.Name("X-Big")!: String(repeating: "a", count: 8_000)]
            )
            #expect(response.status == .requestHeaderFieldsTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try response.decoded(API.Problem.self).status == 431)
        }
        try await withApp(.live, arguments: arguments) { client in
            let status = try await client.get("/health").status
            #expect(status == .ok)
        }
    }
}

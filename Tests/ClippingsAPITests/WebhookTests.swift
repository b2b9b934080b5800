import ClippingsAPI
import ClippingsStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Webhooks end to end: a receiver in the test, a server that posts each article starting to match a
/// subscription to it, signed; retries, disabling, and refusals of addresses that are not public.
@Suite("Webhooks")
struct WebhookTests {
    static let token = "hook-token"
    static let secret = "a-secret-of-sixteen-or-more"
    static let authorized: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]

    /// What the receiver was sent, and the statuses it answers with (then 204).
    final class Receiver: Sendable {
        struct Delivery: Sendable {
            var headers: HTTPFields
            var body: Data
        }
        private let state = Mutex<
            (received: [Delivery], statuses: [Int], waiting: [(Int, CheckedContinuation<Void, Never>)])
        >(
            ([], [], [])
        )

        init(answering statuses: [Int] = []) { state.withLock { $0.statuses = statuses } }

        var received: [Delivery] { state.withLock { $0.received } }

        func record(_ delivery: Delivery) -> Int {
            let (status, ready) = state.withLock { state in
                state.received.append(delivery)
                let status = state.statuses.isEmpty ? 204 : state.statuses.removeFirst()
                let count = state.received.count
                let ready = state.waiting.filter { $0.0 <= count }.map(\.1)
                state.waiting.removeAll { $0.0 <= count }
                return (status, ready)
            }
            for continuation in ready { continuation.resume() }
            return status
        }

        /// Returns once `count` deliveries have arrived, or throws after `timeout`.
        func wait(for count: Int, timeout: Duration = .seconds(15)) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await withCheckedContinuation { continuation in
                        let arrived = self.state.withLock { state in
                            if state.received.count >= count { return true }
                            state.waiting.append((count, continuation))
                            return false
                        }
                        if arrived { continuation.resume() }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
        }

        /// Runs `body` with the receiver listening on a port of its own.
        func listening<Value: Sendable>(_ body: @Sendable (Int) async throws -> Value) async throws -> Value {
            let router = Router()
            router.post("hook") { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let status = self.record(Delivery(headers: request.headers, body: Data(bytes.readableBytesView)))
                return Response(status: .init(code: status))
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            return try await app.test(.live) { client in try await body(try #require(client.port)) }
        }
    }

    static func configuration(
        _ base: ServerConfiguration = .testing,
        allowPrivate: Bool = true,
        failures: Int = 10
    ) -> ServerConfiguration {
        var configuration = base
        configuration.apiToken = token
        configuration.webhooks.allowPrivate = allowPrivate
        configuration.webhooks.maximumFailures = failures
        configuration.webhooks.retryBase = .milliseconds(100)
        configuration.webhooks.pollInterval = .milliseconds(50)
        return configuration
    }

    static func subscribe(_ client: any TestClientProtocol, port: Int, query: String) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: [
            "url": "http://127.0.0.1:\(port)/hook", "secret": secret, "query": query,
        ])
        return try await client.execute(
            uri: "/subscriptions",
            method: .post,
            headers: authorized,
            body: ByteBuffer(bytes: Array(body))
        )
    }

    static func post(_ client: any TestClientProtocol, title: String, body: String) async throws -> Int {
        let json = try JSONSerialization.data(withJSONObject: ["title": title, "body": body, "language": "en"])
        let response = try await client.execute(
            uri: "/articles",
            method: .post,
            headers: authorized,
            body: ByteBuffer(bytes: Array(json))
        )
        #expect(response.status == .created)
        return try #require(try response.decoded(API.Identified.self).id)
    }

    static func subscription(_ client: any TestClientProtocol, _ id: Int) async throws -> API.Subscription {
        try await client.get("/subscriptions/\(id)", headers: [.authorization: "Bearer \(token)"])
            .decoded(API.Subscription.self)
    }

    /// Polls a subscription until `condition` holds: a guard against waiting forever, not a clock.
    static func until(
        _ client: any TestClientProtocol,
        _ id: Int,
        _ condition: (API.Subscription) -> Bool
    ) async throws -> API.Subscription {
        for _ in 0..<300 {
            let state = try await subscription(client, id)
            if condition(state) { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("subscription \(id) never reached the expected state")
        return try await subscription(client, id)
    }

    @Test(
        "each article that starts to match is posted once, signed with the secret, with a delivery id",
        arguments: BackendSmokeTests.backends
    )
    func deliveredAndSigned(_ backend: BackendSmokeTests.Backend) async throws {
        let receiver = Receiver()
        let base = try await backend.configuration()
        try await receiver.listening { port in
            try await withApp(.live, arguments: Self.configuration(base)) { client in
                let created = try await Self.subscribe(client, port: port, query: "q=ferry&language=en")
                #expect(created.status == .created)
                #expect(created.headers[.location]?.hasPrefix("/subscriptions/") == true)
                #expect(try created.object()["secret"] == nil)
                let id = try #require(try created.decoded(API.Identified.self).id)
                // The seeds matched nothing; they are not delivered anyway (only what starts to match is).
                let ferry = try await Self.post(
                    client,
                    title: "Ferry strike ends",
                    body: "The ferry crews return on Monday."
                )
                _ = try await Self.post(client, title: "Bridge opens", body: "The new bridge opened to traffic.")
                try await receiver.wait(for: 1)
                // Edited but still matching: not delivered again. A second match is.
                var patch = Self.authorized
                patch[.contentType] = "application/merge-patch+json"
                let edited = try await client.execute(
                    uri: "/articles/\(ferry)",
                    method: .patch,
                    headers: patch,
                    body: ByteBuffer(string: #"{"title":"Ferry strike is over"}"#)
                )
                #expect(edited.status == .ok)
                _ = try await Self.post(client, title: "Ferry fares rise", body: "Tickets on the ferry cost more.")
                try await receiver.wait(for: 2)
                let received = receiver.received
                #expect(received.count == 2)
                let titles = try received.map { delivery in
                    let payload = try API.decode(API.Delivery.self, from: delivery.body)
                    #expect(payload.event == "article.matched")
                    #expect(payload.subscriptionId == id)
                    #expect(payload.deliveryId == delivery.headers[HTTPField.Name("Clippings-Delivery")!])
                    let code = HMAC<SHA256>.authenticationCode(
                        for: delivery.body,
                        using: SymmetricKey(data: Data(Self.secret.utf8))
                    )
                    let expected = "sha256=" + code.map { String(format: "%02x", $0) }.joined()
                    #expect(delivery.headers[HTTPField.Name("Clippings-Signature")!] == expected)
                    #expect(delivery.headers[.contentType] == "application/json")
                    return payload.article.title
                }
                #expect(titles == ["Ferry strike ends", "Ferry fares rise"])
                let state = try await Self.until(client, id) { $0.delivered == 2 }
                #expect(state.pending == 0 && state.status == "active")
            }
        }
    }

    @Test(
        "a receiver answering 500 gets the same delivery again, with backoff, until it takes it",
        arguments: BackendSmokeTests.backends
    )
    func retriedAfterFailure(_ backend: BackendSmokeTests.Backend) async throws {
        let receiver = Receiver(answering: [500, 503])
        let base = try await backend.configuration()
        try await receiver.listening { port in
            try await withApp(.live, arguments: Self.configuration(base)) { client in
                let id = try await Self.subscribe(client, port: port, query: "").decoded(API.Subscription.self).id
                _ = try await Self.post(client, title: "Harbour report", body: "Ships came in.")
                try await receiver.wait(for: 3)
                let ids = Set(receiver.received.map { $0.headers[HTTPField.Name("Clippings-Delivery")!] })
                #expect(ids.count == 1)
                let state = try await Self.until(client, id) { $0.delivered == 1 }
                #expect(state.failures == 0 && state.lastError == nil && state.status == "active")
            }
        }
    }

    @Test("too many failures in a row disable a subscription, visibly", arguments: BackendSmokeTests.backends)
    func disabledAfterFailures(_ backend: BackendSmokeTests.Backend) async throws {
        let receiver = Receiver(answering: Array(repeating: 500, count: 10))
        let base = try await backend.configuration()
        try await receiver.listening { port in
            try await withApp(.live, arguments: Self.configuration(base, failures: 3)) { client in
                let id = try await Self.subscribe(client, port: port, query: "").decoded(API.Subscription.self).id
                _ = try await Self.post(client, title: "Harbour report", body: "Ships came in.")
                let state = try await Self.until(client, id) { $0.status == "disabled" }
                #expect(state.failures == 3 && state.pending == 1)
                #expect(state.lastError?.contains("500") == true)
                #expect(receiver.received.count == 3)
            }
        }
    }

    @Test("loopback and private callbacks are refused when subscribing and again at delivery")
    func privateAddressesRefused() async throws {
        let receiver = Receiver()
        try await receiver.listening { port in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hooks-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var configuration = Self.configuration(allowPrivate: false)
            let path = folder.appendingPathComponent("archive.sqlite").path
            configuration.databasePath = path
            try await withApp(.live, arguments: configuration) { client in
                for host in ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "[::1]", "192.168.0.10"] {
                    let body = #"{"url":"http://\#(host):\#(port)/hook","secret":"\#(Self.secret)"}"#
                    let response = try await client.execute(
                        uri: "/subscriptions",
                        method: .post,
                        headers: Self.authorized,
                        body: ByteBuffer(string: body)
                    )
                    #expect(response.status == .badRequest, "\(host)")
                    let named = try response.decoded(API.Problem.self).invalidParams?.first?.name
                    #expect(named == "url", "\(host)")
                }
                // Saved behind the API's back (as if its name had pointed elsewhere when it was checked):
                // the delivery is refused all the same, and the receiver hears nothing.
                let other = try AppDatabase.open(path: path)
                let saved = try await other.createSubscription(
                    SubscriptionRequest(url: "http://127.0.0.1:\(port)/hook", secret: Self.secret, query: ""),
                    now: Date()
                )
                try other.close()
                _ = try await Self.post(client, title: "Harbour report", body: "Ships came in.")
                let state = try await Self.until(client, Int(saved.id)) { $0.failures >= 1 }
                #expect(state.lastError?.contains("not a public address") == true)
                #expect(receiver.received.isEmpty)
            }
        }
    }

    @Test("subscriptions need the token; bad bodies are 400 or 415 naming the field; delete is 204 then 404")
    func managing() async throws {
        try await withApp(arguments: Self.configuration()) { client in
            #expect(try await client.get("/subscriptions").status == .unauthorized)
            for (body, field) in [
                (#"{"url":"http://127.0.0.1:9/hook"}"#, "secret"),
                (#"{"url":"http://127.0.0.1:9/hook","secret":"short"}"#, "secret"),
                (#"{"url":"ftp://127.0.0.1/hook","secret":"\#(Self.secret)"}"#, "url"),
                (#"{"url":"http://127.0.0.1:9/hook","secret":"\#(Self.secret)","query":"limit=5"}"#, "query"),
                (#"{"url":"http://127.0.0.1:9/hook","secret":"\#(Self.secret)","query":"from=never"}"#, "query"),
                (#"{"url":"http://127.0.0.1:9/hook","secret":"\#(Self.secret)","events":"all"}"#, "events"),
                (#"{"url":7,"secret":"\#(Self.secret)"}"#, "url"),
            ] {
                let response = try await client.execute(
                    uri: "/subscriptions",
                    method: .post,
                    headers: Self.authorized,
                    body: ByteBuffer(string: body)
                )
                #expect(response.status == .badRequest, "\(body)")
                let named = try response.decoded(API.Problem.self).invalidParams?.first?.name
                #expect(named == field, "\(body)")
            }
            var plain = Self.authorized
            plain[.contentType] = "text/plain"
            let unsupported = try await client.execute(
                uri: "/subscriptions",
                method: .post,
                headers: plain,
                body: ByteBuffer(string: "{}")
            )
            #expect(unsupported.status == .unsupportedMediaType)
            let created = try await Self.subscribe(client, port: 9, query: "tag=norway")
            let id = try #require(try created.decoded(API.Identified.self).id)
            let list = try await client.get("/subscriptions", headers: [.authorization: "Bearer \(Self.token)"])
                .decoded(API.Page<API.Subscription>.self)
            #expect(list.items.map(\.id) == [id])
            // What a token read is never answered to a request without one, from the response cache or not.
            #expect(try await client.get("/subscriptions").status == .unauthorized)
            #expect(try await client.get("/subscriptions/\(id)").status == .unauthorized)
            let token: HTTPFields = [.authorization: "Bearer \(Self.token)"]
            #expect(
                try await client.execute(uri: "/subscriptions/\(id)", method: .delete, headers: token, body: nil).status
                    == .noContent
            )
            #expect(
                try await client.execute(uri: "/subscriptions/\(id)", method: .delete, headers: token, body: nil).status
                    == .notFound
            )
            #expect(try await client.get("/subscriptions/abc", headers: token).status == .notFound)
        }
    }
}

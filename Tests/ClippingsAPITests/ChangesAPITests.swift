import ClippingsAPI
import ClippingsExtraction
import ClippingsStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `/changes`: a client that follows the feed holds the archive, whoever wrote to it; long polls wake on
/// a write; a client behind the pruned tombstones is told to re-export.
@Suite("Change feed API")
struct ChangesAPITests {
    static let token = "feed-token"
    static let authorized: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "text/plain"]

    /// The app over a file of its own, so that a second connection can write to it as another process does.
    static func configuration(_ folder: URL) -> ServerConfiguration {
        var configuration = ServerConfiguration.testing
        configuration.apiToken = token
        configuration.databasePath = folder.appendingPathComponent("archive.sqlite").path
        return configuration
    }

    static func withFolder<Value>(_ body: (URL) async throws -> Value) async throws -> Value {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("changes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    /// A mirror kept from the feed: article JSON by id.
    struct Mirror {
        var articles: [Int: NSDictionary] = [:]
        var since = 0

        /// Reads the feed to its end, `limit` at a time, applying each change.
        mutating func follow(_ client: any TestClientProtocol, limit: Int) async throws {
            while true {
                let page = try await client.get("/changes?since=\(since)&limit=\(limit)").object()
                let items = try #require(page["items"] as? [[String: Any]])
                for item in items {
                    let id = try #require(item["id"] as? Int)
                    let seq = try #require(item["seq"] as? Int)
                    #expect(seq > since)
                    switch item["type"] as? String {
                    case "upsert":
                        articles[id] = NSDictionary(dictionary: try #require(item["article"] as? [String: Any]))
                    case "delete":
                        #expect(item["article"] is NSNull)
                        articles[id] = nil
                    default: Issue.record("unknown change type in \(item)")
                    }
                    since = seq
                }
                #expect(page["next_since"] as? Int == since)
                if items.isEmpty { return }
            }
        }
    }

    /// The archive as `/articles/export` has it: article JSON by id.
    static func exported(_ client: any TestClientProtocol) async throws -> [Int: NSDictionary] {
        let lines = String(buffer: try await client.get("/articles/export").body).split(separator: "\n")
        var articles: [Int: NSDictionary] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            articles[try #require(object["id"] as? Int)] = NSDictionary(dictionary: object)
        }
        return articles
    }

    static func document(_ n: Int) -> String {
        """
        Ferry line \(n) changes its timetable

        By Siri Dahl

        ÅLESUND (APRIL \(n % 28 + 1), 2024) – The ferry line number \(n) will sail \(n % 5 + 2) times a day from May.

        The operator said the change follows a count of \(n * 13) passengers in March.
        """
    }

    static func imported(_ n: Int) -> ExtractedArticle {
        ExtractedArticle(
            title: "Bridge \(n) closes for repairs",
            publishedAt: Date(timeIntervalSince1970: 1_710_000_000 + Double(n) * 3_600),
            source: Publisher(name: "Fjord Post", domain: "fjordpost.test"),
            url: "https://fjordpost.test/bridge-\(n)",
            language: "en",
            paragraphs: ["Bridge \(n) over the sound closes for \(n + 2) weeks.", "Buses replace the crossing."],
            format: .plainText
        )
    }

    @Test("replaying the feed reproduces the export after a random mix of API writes and another process's imports")
    func replayEqualsExport() async throws {
        try await Self.withFolder { folder in
            let configuration = Self.configuration(folder)
            try await withApp(.live, arguments: configuration) { client in
                // Another process's connection to the same file, as `clippings import` opens it.
                let importer = try AppDatabase.open(path: try #require(configuration.databasePath))
                var generator = SystemRandomNumberGenerator()
                var mirror = Mirror()
                var live: [Int] = []
                for step in 0..<60 {
                    switch Int.random(in: 0..<10, using: &generator) {
                    case 0..<3:
                        let response = try await client.execute(
                            uri: "/articles",
                            method: .post,
                            headers: Self.authorized,
                            body: ByteBuffer(string: Self.document(step))
                        )
                        #expect(response.status == .created)
                    case 3..<5:
                        _ = try await importer.importArticles([Self.imported(step), Self.imported(step + 1_000)])
                    case 5..<8 where !live.isEmpty:
                        var headers = Self.authorized
                        headers[.contentType] = "application/merge-patch+json"
                        let response = try await client.execute(
                            uri: "/articles/\(live.randomElement(using: &generator)!)",
                            method: .patch,
                            headers: headers,
                            body: ByteBuffer(string: #"{"title":"Edited \#(step)","tags":["step \#(step)"]}"#)
                        )
                        #expect(response.status == .ok)
                    case 8..<10 where !live.isEmpty:
                        let id = live.remove(at: Int.random(in: 0..<live.count, using: &generator))
                        let response = try await client.execute(
                            uri: "/articles/\(id)",
                            method: .delete,
                            headers: Self.authorized,
                            body: nil
                        )
                        #expect(response.status == .noContent)
                    default: break
                    }
                    live = try await Self.exported(client).keys.sorted()
                    // The mirror catches up now and then, in small pages, as a client polling would.
                    if step % 7 == 0 { try await mirror.follow(client, limit: 3) }
                }
                try importer.close()
                try await mirror.follow(client, limit: 5)
                let export = try await Self.exported(client)
                #expect(mirror.articles.keys.sorted() == export.keys.sorted())
                for (id, article) in export { #expect(mirror.articles[id] == article, "article \(id)") }

                // A client starting from nothing replays the same archive.
                var fresh = Mirror()
                try await fresh.follow(client, limit: 100)
                #expect(fresh.articles == mirror.articles)
            }
        }
    }

    @Test("a long poll is answered by the next write, or empty when its wait is over")
    func longPoll() async throws {
        try await Self.withFolder { folder in
            try await withApp(.live, arguments: Self.configuration(folder)) { client in
                let latest = try #require(
                    try await client.get("/changes?since=0&limit=1").decoded(API.Changes.self).latest
                )
                let started = ContinuousClock.now
                let quiet = try await client.get("/changes?since=\(latest)&wait=1")
                #expect(ContinuousClock.now - started >= .milliseconds(900))
                #expect(quiet.headers[.cacheControl] == "no-store")
                let nothing = try quiet.decoded(API.Changes.self)
                #expect(nothing.items.isEmpty && nothing.nextSince == latest)

                // The poll on a connection of its own, since one connection answers in order.
                let poller = TestClient(
                    host: "localhost",
                    port: try #require(client.port),
                    configuration: .init(timeout: .seconds(40))
                )
                poller.connect()
                defer { Task { try? await poller.shutdown() } }
                let polled = ContinuousClock.now
                async let answer = poller.get("/changes?since=\(latest)&wait=30")
                // The write comes while the poll waits (or just before it asked: it is answered at once).
                try await Task.sleep(for: .milliseconds(300))
                let created = try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: Self.authorized,
                    body: ByteBuffer(string: Self.document(1))
                )
                let id = try #require(try created.decoded(API.Identified.self).id)
                let body = try #require(try await answer.body)
                let items = try API.decode(API.Changes.self, from: Data(body.readableBytesView)).items
                #expect(ContinuousClock.now - polled < .seconds(10))
                #expect(items.map(\.id) == [id])
                #expect(items.first?.type == "upsert")
            }
        }
    }

    @Test("behind the pruned tombstones: 410 with oldest_since, from which the feed answers again")
    func expired() async throws {
        try await Self.withFolder { folder in
            let configuration = Self.configuration(folder)
            try await withApp(.live, arguments: configuration) { client in
                let deleted = try await client.execute(
                    uri: "/articles/1",
                    method: .delete,
                    headers: Self.authorized,
                    body: nil
                )
                #expect(deleted.status == .noContent)
                let other = try AppDatabase.open(path: try #require(configuration.databasePath))
                #expect(try await other.pruneChanges(before: Date().addingTimeInterval(60)) == 1)
                try other.close()
                let gone = try await client.get("/changes?since=0")
                #expect(gone.status == .gone)
                #expect(gone.headers[.contentType] == "application/problem+json")
                let oldest = try #require(try gone.decoded(API.Problem.self).oldestSince)
                let resumed = try await client.get("/changes?since=\(oldest)")
                #expect(resumed.status == .ok)
            }
        }
    }

    @Test("bad parameters are 400 problems naming the parameter")
    func badParameters() async throws {
        try await withApp { client in
            for (query, name) in [
                ("since=-1", "since"), ("since=abc", "since"), ("limit=0", "limit"), ("limit=101", "limit"),
                ("wait=56", "wait"), ("wait=-1", "wait"), ("cursor=x", "cursor"),
            ] {
                let response = try await client.get("/changes?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                let parameters = try response.object()["invalid_params"] as? [[String: Any]]
                #expect(parameters?.first?["name"] as? String == name, "\(query)")
            }
        }
    }

    @Test("updated_after and updated_before filter listings and exports; bad values are 400")
    func updatedFilters() async throws {
        try await withApp { client in
            #expect(try await client.get("/articles?updated_after=2000-01-01").decoded(API.Listing.self).total == 5)
            #expect(try await client.get("/articles?updated_after=9000-01-01").decoded(API.Listing.self).total == 0)
            #expect(try await client.get("/articles?updated_before=2000-01-01").decoded(API.Listing.self).total == 0)
            let export = try await client.get("/articles/export?updated_before=9000-01-01T00:00:00Z")
            #expect(String(buffer: export.body).split(separator: "\n").count == 5)
            #expect(try await client.get("/stories?updated_after=9000-01-01").decoded(API.Listing.self).total == 0)
            for query in [
                "updated_after=yesterday", "updated_before=2020-13-01",
                "updated_after=2024-01-02&updated_before=2024-01-01",
            ] {
                #expect(try await client.get("/articles?\(query)").status == .badRequest, "\(query)")
            }
        }
    }
}

import ClippingsAPI
import ClippingsPostgres
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The API over each storage backend: the seeds served the same way from SQLite and, when
/// `CLIPPINGS_TEST_DATABASE_URL` names a server, from an empty PostgreSQL database of the test's own.
@Suite("API over each backend: the seeds listed, searched, read, compressed and refused alike")
struct BackendSmokeTests {
    struct Backend: Sendable, CustomTestStringConvertible {
        let name: String
        let configuration: @Sendable () async throws -> ServerConfiguration
        var testDescription: String { name }
    }

    static let backends: [Backend] =
        [Backend(name: "SQLite") { .testing }]
        + (ProcessInfo.processInfo.environment["CLIPPINGS_TEST_DATABASE_URL"].map { url in
            [
                Backend(name: "PostgreSQL") {
                    var configuration = ServerConfiguration.testing
                    configuration.databaseURL =
                        try await ScratchDatabase.create(on: try DatabaseURL(url), prefix: "clippings_smoke").text
                    return configuration
                }
            ]
        } ?? [])

    @Test("listing, search, facets, detail by id and slug, directories, gzip and problems", arguments: backends)
    func smoke(_ backend: Backend) async throws {
        try await withApp(arguments: try await backend.configuration()) { client in
            let listing = try await client.get("/articles?limit=2")
            #expect(listing.status == .ok)
            let page = try listing.object()
            #expect(page["total"] as? Int == 5)
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(page["next_cursor"] is String)

            let search = try await client.get("/articles?q=police&facets=language")
            let found = try search.object()
            #expect(found["total"] as? Int == 4)
            let hits = try #require(found["items"] as? [[String: Any]])
            #expect(hits.allSatisfy { ($0["snippet"] as? String)?.contains("<mark>") == true })
            let scores = hits.compactMap { $0["score"] as? Double }
            #expect(scores == scores.sorted(by: >) && scores.count == hits.count)
            let languages = try #require((found["facets"] as? [String: Any])?["language"] as? [[String: Any]])
            #expect(languages.first?["value"] as? String == "en")

            let norwegian = try await client.get("/articles?q=barneovergrep")
            #expect(try norwegian.decoded(API.Listing.self).total == 1)

            let id = try #require(items.first?["id"] as? Int)
            let slug = try #require(items.first?["slug"] as? String)
            let byID = try await client.get("/articles/\(id)")
            #expect(byID.status == .ok)
            #expect((try byID.object()["paragraphs"] as? [String])?.isEmpty == false)
            #expect(try await client.get("/articles/\(slug)").status == .ok)
            #expect(try await client.get("/articles/999999").status == .notFound)

            let tags = try await client.get("/tags?limit=3", headers: [.acceptEncoding: "gzip"])
            #expect(tags.status == .ok)
            #expect((try tags.object()["items"] as? [Any])?.count == 3)
            #expect((try await client.get("/sources").decoded(API.Listing.self).total ?? 0) > 1)
            let compressed = try await client.get("/articles?limit=5", headers: [.acceptEncoding: "gzip"])
            #expect(compressed.headers[.contentEncoding] == "gzip")
            #expect((try compressed.object()["items"] as? [Any])?.count == 5)

            // The change feed: each seeded article once, numbered in commit order.
            let changes = try await client.get("/changes?since=0&limit=100").object()
            let changed = try #require(changes["items"] as? [[String: Any]])
            let numbers = changed.compactMap { $0["seq"] as? Int }
            #expect(Set(changed.compactMap { $0["id"] as? Int }).count == 5)
            #expect(numbers.count == 5 && numbers == numbers.sorted() && Set(numbers).count == 5)
            #expect(changes["latest"] as? Int == numbers.last)

            let bad = try await client.get("/articles?limit=abc")
            #expect(bad.status == .badRequest)
            #expect(bad.headers[.contentType] == "application/problem+json")
            let cursor = try await client.get("/articles?sort=title&cursor=\(page["next_cursor"] as? String ?? "")")
            #expect(cursor.status == .badRequest)
        }
    }
}

extension DatabaseURL {
    /// The address as text, with its password (for a configuration, never for a log).
    var text: String {
        "postgres://\(user)\(password.map { ":" + $0 } ?? "")@\(host):\(port)/\(database)?sslmode=\(tlsMode)"
    }
}

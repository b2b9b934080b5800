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
            let page = try listing.decoded(API.Page<API.ArticleSummary>.self)
            #expect(page.total == 5 && page.items.count == 2 && page.nextCursor != nil)

            let search = try await client.get("/articles?q=police&facets=language")
            let found = try search.decoded(API.Page<API.ArticleSummary>.self)
            #expect(found.total == 4)
            #expect(found.items.allSatisfy { $0.snippet?.contains("<mark>") == true })
            let scores = found.items.compactMap(\.score)
            #expect(scores == scores.sorted(by: >) && scores.count == found.items.count)
            #expect(found.facets?["language"]?.first?.value == "en")

            let norwegian = try await client.get("/articles?q=barneovergrep")
            #expect(try norwegian.decoded(API.Listing.self).total == 1)

            let first = try #require(page.items.first)
            let (id, slug) = (first.id, first.slug)
            let byID = try await client.get("/articles/\(id)")
            #expect(byID.status == .ok)
            #expect(try byID.decoded(API.Article.self).paragraphs.isEmpty == false)
            #expect(try await client.get("/articles/\(slug)").status == .ok)
            #expect(try await client.get("/articles/999999").status == .notFound)

            let tags = try await client.get("/tags?limit=3", headers: [.acceptEncoding: "gzip"])
            #expect(tags.status == .ok)
            #expect(try tags.decoded(API.Page<API.Tag>.self).items.count == 3)
            #expect((try await client.get("/sources").decoded(API.Listing.self).total ?? 0) > 1)
            let compressed = try await client.get("/articles?limit=5", headers: [.acceptEncoding: "gzip"])
            #expect(compressed.headers[.contentEncoding] == "gzip")
            #expect(try compressed.decoded(API.Page<API.ArticleSummary>.self).items.count == 5)

            // The change feed: each seeded article once, numbered in commit order.
            let changes = try await client.get("/changes?since=0&limit=100").decoded(API.Changes.self)
            let numbers = changes.items.map(\.seq)
            #expect(Set(changes.items.map(\.id)).count == 5)
            #expect(numbers.count == 5 && numbers == numbers.sorted() && Set(numbers).count == 5)
            #expect(changes.latest == numbers.last)

            let bad = try await client.get("/articles?limit=abc")
            #expect(bad.status == .badRequest)
            #expect(bad.headers[.contentType] == "application/problem+json")
            let cursor = try await client.get("/articles?sort=title&cursor=\(page.nextCursor ?? "")")
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

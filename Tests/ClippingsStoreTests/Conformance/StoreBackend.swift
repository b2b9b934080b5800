import ClippingsExtraction
import ClippingsPostgres
import ClippingsStore
import Foundation
import Testing

/// A storage backend under the conformance suite: every `ArchiveStore` implementation is listed here and
/// must pass the suite unchanged. The suite uses only the protocol (no SQL, no backend types), so what it
/// pins down is what clients observe.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any ArchiveMaintenance

    var testDescription: String { name }

    /// SQLite always; PostgreSQL when `CLIPPINGS_TEST_DATABASE_URL` names a server whose user may create
    /// databases (each test gets an empty one of its own).
    static let all: [StoreBackend] =
        [StoreBackend(name: "SQLite") { try AppDatabase.inMemory() }] + (postgres.map { [$0] } ?? [])

    static let postgresURL = ProcessInfo.processInfo.environment["CLIPPINGS_TEST_DATABASE_URL"]

    static let postgres: StoreBackend? = postgresURL.map { url in
        StoreBackend(name: "PostgreSQL") {
            let scratch = try await ScratchDatabase.create(on: try DatabaseURL(url), prefix: "clippings_test")
            return try await PostgresArchive.open(scratch, connections: 4)
        }
    }
}

/// Whether the PostgreSQL half of the suite ran: said on every run, and a failure when CI asks for it
/// (`CLIPPINGS_REQUIRE_POSTGRES=1`) and no server was given.
@Suite("Store conformance: backends under test")
struct BackendsUnderTest {
    @Test("PostgreSQL is under test when a server is given, and must be when CI asks")
    func postgresUnderTest() {
        if StoreBackend.postgres == nil {
            print(
                "PostgreSQL conformance suite did not run: set CLIPPINGS_TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB"
            )
        }
        let required = ProcessInfo.processInfo.environment["CLIPPINGS_REQUIRE_POSTGRES"] == "1"
        #expect(
            !required || StoreBackend.postgres != nil,
            "CLIPPINGS_REQUIRE_POSTGRES=1 but no CLIPPINGS_TEST_DATABASE_URL"
        )
    }
}

/// A small archive written for the suite: three publishers, two languages, dated and undated articles,
/// tags shared in known numbers.
enum ConformanceArchive {
    struct Entry {
        var title: String
        var date: String?
        var tags: [String]
        var source: String
        var language: String
        var authors: [String]
        var body: String
    }

    static let entries: [Entry] = [
        Entry(
            title: "Harbour strike enters second week",
            date: "2021-03-01",
            tags: ["Labour", "Ports"],
            source: "Coast News",
            language: "en",
            authors: ["Ada Lund"],
            body: "Dock workers in the harbour kept the strike going as talks stalled over pay."
        ),
        Entry(
            title: "Ferry crews join harbour strike",
            date: "2021-03-04",
            tags: ["Labour", "Ferries"],
            source: "Coast News",
            language: "en",
            authors: ["Ada Lund", "Per Holm"],
            body: "Ferry crews walked out in support, leaving island routes without service."
        ),
        Entry(
            title: "Streiken på kaia fortsetter",
            date: "2021-03-05",
            tags: ["Labour"],
            source: "Vestlandsposten",
            language: "no",
            authors: ["Kari Nordmann"],
            body: "Havnearbeiderne fortsetter streiken, og forhandlingene står stille."
        ),
        Entry(
            title: "Budget vote delayed",
            date: "2020-11-20",
            tags: ["Politics"],
            source: "Capital Daily",
            language: "en",
            authors: [],
            body: "Parliament put off the budget vote after a late amendment on ferries."
        ),
        Entry(
            title: "Anniversary of the old lighthouse",
            date: nil,
            tags: ["Ports", "History"],
            source: "Coast News",
            language: "en",
            authors: ["Per Holm"],
            body: "The lighthouse turned one hundred, and the harbour held a small party."
        ),
        Entry(
            title: "Election night results",
            date: "2021-09-13",
            tags: ["Politics"],
            source: "Capital Daily",
            language: "en",
            authors: ["Ada Lund"],
            body: "Turnout was high and the count ran late into the night."
        ),
    ]

    static func article(_ entry: Entry) -> ExtractedArticle {
        ExtractedArticle(
            title: entry.title,
            author: entry.authors.isEmpty ? nil : entry.authors.joined(separator: ", "),
            authors: entry.authors,
            publishedAt: entry.date.map { try! Date($0 + "T09:30:00Z", strategy: .iso8601) },
            source: Publisher(name: entry.source),
            language: entry.language,
            categories: ["News"],
            tags: entry.tags.map { Tag(slug: Slugifier.slug($0), name: $0) },
            paragraphs: [entry.body, "More on \(entry.title.lowercased())."],
            links: [Link(url: "https://example.org/\(Slugifier.slug(entry.title))", text: "background")],
            images: [Image(url: "https://example.org/\(Slugifier.slug(entry.title)).jpg", alt: "A photo")],
            format: .plainText
        )
    }

    /// A store of `backend` holding the whole archive, and each entry's id by title.
    static func make(_ backend: StoreBackend) async throws -> (store: any ArchiveStore, ids: [String: Int64]) {
        let store = try await backend.make()
        let outcomes = try await store.importArticles(entries.map(article), now: Date())
        let ids = Dictionary(uniqueKeysWithValues: zip(entries.map(\.title), outcomes.map(\.articleID)))
        return (store, ids)
    }
}

extension ArchiveStore {
    /// Every page of a listing, following cursors, with the totals each page reported.
    func allPages(_ query: ArticleQuery) async throws -> (titles: [String], totals: Set<Int>) {
        var query = query
        var titles: [String] = []
        var totals: Set<Int> = []
        repeat {
            let page = try await articles(query)
            titles += page.items.map(\.title)
            totals.insert(page.total)
            query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
        } while query.cursor != nil
        return (titles, totals)
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Articles written for these tests, with the fields the store cares about.
enum Sample {
    static func article(
        _ title: String,
        url: String? = nil,
        date: String? = nil,
        tags: [String] = [],
        source: String? = nil,
        language: String = "en",
        author: String? = nil,
        body: String? = nil
    ) -> ExtractedArticle {
        ExtractedArticle(
            title: title,
            author: author,
            publishedAt: date.map { try! Date($0 + "T12:00:00Z", strategy: .iso8601) },
            source: source.map { Publisher(name: $0, domain: $0.lowercased() + ".example") },
            url: url,
            language: language,
            categories: ["News"],
            tags: tags.map { Tag(slug: Slugifier.slug($0), name: $0) },
            paragraphs: [body ?? "Body of \(title).", "A second paragraph about \(title)."],
            links: [Link(url: "https://example.org/ref", text: "a reference")],
            images: [Image(url: "https://example.org/a.jpg", alt: nil)],
            format: .plainText
        )
    }
}

/// The database file: schema, integrity, closing, change tracking and unavailable storage.
@Suite("Archive storage")
struct StoreTests {
    @Test("schema: WAL file, foreign keys on, FTS5 table in sync with articles")
    func schema() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clippings-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try AppDatabase.open(path: path)
        _ = try await database.importArticle(
            Sample.article("Fjord ferries run late", body: "Ferries in the fjord ran late."),
            now: Date()
        )
        let (journal, foreignKeys, matches) = try await database.writer.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article_fts WHERE article_fts MATCH 'ferries'")
            )
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(matches == 1)
    }

    @Test("the integrity check passes on a sound archive and names what a damaged one lost")
    func integrityCheck() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles([
            Sample.article("Ferries return", tags: ["Ferries"], source: "NRK"), Sample.article("Quay approved"),
        ])
        #expect(try await database.integrityProblems().isEmpty)

        // An article whose index row vanished (what a torn write would leave) is caught twice over.
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM article_fts_docsize WHERE id = (SELECT max(id) FROM article)")
        }
        let problems = try await database.integrityProblems().map(\.check)
        #expect(problems.contains("fts_rows"))
        #expect(problems.contains("fts_integrity_check"))
        #expect(!problems.contains("article_counts"))
        try await database.writer.write { db in try db.execute(sql: "UPDATE tag SET article_count = 7") }
        #expect(try await database.integrityProblems().map(\.check).contains("article_counts"))
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE tag SET article_count = 1; UPDATE archive_count SET articles = 5")
        }
        let details = try await database.integrityProblems().filter { $0.check == "article_counts" }.map(\.detail)
        #expect(details == ["the archive is miscounted"])
    }

    @Test("closing folds the write-ahead log in: the database file alone is the whole archive")
    func closeCheckpoints() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("close-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("archive.sqlite").path
        let database = try AppDatabase.open(path: path)
        // Imports run with checkpoints on a connection of their own.
        let outcomes = try await database.checkpointingInBackground(every: .milliseconds(1)) {
            try await database.importArticles([Sample.article("Ferries return"), Sample.article("Quay approved")])
        }
        #expect(outcomes.count == 2)
        try database.close()
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        // A copy of the file without its -wal and -shm companions, as a backup would take it.
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let reopened = try AppDatabase.open(path: copy)
        #expect(try await reopened.articleCount() == 2)
        try reopened.close()
    }

    @Test("the data version moves at once for this process's commits, and for another's once checked")
    func dataVersion() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("version-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("archive.sqlite").path
        // An interval no test outlives: only this process's own commits can move the version.
        let served = try AppDatabase.open(path: path, changeCheckInterval: .seconds(3600))
        let start = try served.dataVersion()
        #expect(try served.dataVersion() == start)
        _ = try await served.importArticles([Sample.article("Ferries return")])
        let afterOwn = try served.dataVersion()
        #expect(afterOwn != start)

        let other = try AppDatabase.open(path: path)
        _ = try await other.importArticles([Sample.article("Quay approved")])
        #expect(try served.dataVersion() == afterOwn)  // not looked for yet

        // Checked on every call: another connection's commit shows on the next call.
        let watching = try AppDatabase.open(path: path, changeCheckInterval: .zero)
        let before = try watching.dataVersion()
        _ = try await other.importArticles([Sample.article("Storm hits coast")])
        #expect(try watching.dataVersion() != before)
        // A short interval: shows once it has passed (asked until it does; 5 s only guards the loop).
        let brief = try AppDatabase.open(path: path, changeCheckInterval: .milliseconds(5))
        let briefBefore = try brief.dataVersion()
        _ = try await other.importArticles([Sample.article("Bridge reopens")])
        let deadline = ContinuousClock.now + .seconds(5)
        while try brief.dataVersion() == briefBefore, ContinuousClock.now < deadline { await Task.yield() }
        #expect(try brief.dataVersion() != briefBefore)
        for database in [served, other, watching, brief] { try database.close() }
    }

    @Test("a read-only or full archive is 'unavailable' (503), not an internal error")
    func unavailableStorage() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase.open(path: path)
        _ = try await database.importArticle(Sample.article("Ferries return"), now: Date())
        try database.close()

        var configuration = Configuration()
        configuration.readonly = true
        let readOnly = try DatabaseQueue(path: path, configuration: configuration)
        let count = try await readOnly.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM article") }
        #expect(count == 1)
        do {
            try readOnly.inDatabase { db in try db.execute(sql: "INSERT INTO tag (slug, name) VALUES ('x', 'x')") }
            Issue.record("a write to a read-only database succeeded")
        } catch {
            #expect(StorageAvailability.unavailability(of: error)?.contains("read-only") == true)
        }
        #expect(StorageAvailability.unavailability(of: DatabaseError(resultCode: .SQLITE_FULL)) != nil)
        #expect(StorageAvailability.unavailability(of: DatabaseError(resultCode: .SQLITE_CONSTRAINT)) == nil)
        #expect(StorageAvailability.unavailability(of: CancellationError()) == nil)
    }
}

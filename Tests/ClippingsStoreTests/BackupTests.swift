import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// `AppDatabase.backup(to:)`: a consistent copy while the archive is written.
@Suite("Backups")
struct BackupTests {
    static func article(_ number: Int) -> ExtractedArticle {
        ExtractedArticle(
            title: "Harbour report \(number)",
            publishedAt: Date(timeIntervalSince1970: 1_600_000_000 + Double(number) * 3_600),
            source: Publisher(name: "Coast News"),
            language: "en",
            tags: [Tag(slug: "harbour", name: "Harbour"), Tag(slug: "week-\(number % 7)", name: "Week \(number % 7)")],
            paragraphs: [
                "Report \(number): the harbour master counted ships and cargo again this morning.",
                "Numbers for report \(number) follow the usual pattern of the season.",
            ],
            format: .plainText
        )
    }

    @Test("a backup taken while writes go on is one consistent moment of the archive and passes the check")
    func whileWriting() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase.open(path: folder.appendingPathComponent("archive.sqlite").path)
        _ = try await database.importArticles((1...300).map(Self.article), now: Date())
        // Writes run on while the backups are taken: inserts and edits, each its own commit.
        async let writing: Void = {
            for number in stride(from: 1_000, to: 1_400, by: 2) {
                _ = try await database.importArticles([Self.article(number), Self.article(number + 1)], now: Date())
                var changes = ArticleChanges()
                changes.title = "Edited report \(number)"
                _ = try await database.updateArticle(id: Int64(number % 300 + 1), changes, now: Date())
            }
        }()
        var copies: [String] = []
        for index in 1...3 {
            let path = folder.appendingPathComponent("copy-\(index).sqlite").path
            try await database.backup(to: path)
            copies.append(path)
        }
        try await writing
        let final = try await database.articleCount()
        #expect(final == 700)
        try database.close()
        var counts: [Int] = []
        for path in copies {
            let copy = try AppDatabase.open(path: path)
            #expect(try await copy.integrityProblems().isEmpty, "\(path)")
            let count = try await copy.articleCount()
            counts.append(count)
            // The copy's own listing and search agree with its count: one moment, not a mix of two.
            #expect(try await copy.articles(ArticleQuery()).total == count)
            var search = ArticleQuery()
            search.search = try SearchQuery("harbour")
            #expect(try await copy.articles(search).total == count)
            #expect(try await copy.tag(slug: "harbour")?.articleCount == count)
            try copy.close()
        }
        #expect(counts.allSatisfy { (300...final).contains($0) })
        #expect(counts == counts.sorted())
    }

    @Test("a backup never overwrites a file, and an archive in memory has nothing to back up")
    func refusals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase.open(path: folder.appendingPathComponent("archive.sqlite").path)
        let existing = folder.appendingPathComponent("existing.sqlite").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        await #expect(throws: BackupError.destinationExists(existing)) { try await database.backup(to: existing) }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        try database.close()
        await #expect(throws: BackupError.inMemory) {
            try await AppDatabase.inMemory().backup(to: folder.appendingPathComponent("x.sqlite").path)
        }
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Slugs given by an archive before the name rules: they stay, and their names still find them.
@Suite("Slugs that stay")
struct TagSlugTests {
    @Test("an archive from before v9: names get their keys, old slugs keep answering, new names new slugs")
    func olderArchive() async throws {
        let queue = try DatabaseQueue(configuration: AppDatabase.configuration)
        try AppDatabase.migrator.migrate(queue, upTo: "v8: source documents")
        // As the old rules stored them: `C++` and `C#` were both the slug `c`, the first name kept.
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO tag (slug, name) VALUES ('c', 'C++'), ('norway', 'Norway')")
            try db.execute(sql: "INSERT INTO source (slug, name) VALUES ('at-t', 'AT&T')")
        }
        let database = try AppDatabase(queue)
        let keys = try await queue.read { db in try String.fetchAll(db, sql: "SELECT name_key FROM tag ORDER BY id") }
        #expect(keys == ["c++", "norway"])
        let outcome = try await database.importArticle(
            ExtractedArticle(
                title: "Compilers compared",
                source: Publisher(name: "AT&T"),
                language: "en",
                tags: ["C++", "C#", "NORWAY"].map { Tag(slug: Slugifier.slug($0), name: $0) },
                paragraphs: ["Two compilers were compared on speed and size."],
                format: .plainText
            ),
            now: Date()
        )
        let stored = try #require(try await database.article(id: outcome.articleID))
        // `C++` finds its old tag by name, slug and all; `C#` is a tag of its own now; the source is kept.
        #expect(stored.summary.tags.map(\.slug) == ["c", "c-sharp", "norway"])
        #expect(stored.summary.tags.map(\.name) == ["C++", "C#", "Norway"])
        #expect(stored.summary.source?.slug == "at-t")
        #expect(try await database.integrityProblems().isEmpty)
    }
}

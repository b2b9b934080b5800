import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// `clippings copy`: an archive moved between any two backends arrives whole, under the same ids and slugs.
@Suite("Store conformance: copying an archive between backends")
struct CopyConformanceTests {
    typealias Archive = ConformanceArchive

    /// Every ordered pair of backends under test.
    static let pairs: [(StoreBackend, StoreBackend)] = StoreBackend.all.flatMap { from in
        StoreBackend.all.map { (from, $0) }
    }

    @Test("a copy keeps ids, slugs, identities, times, documents and edits; both ends check clean", arguments: pairs)
    func copy(_ from: StoreBackend, _ to: StoreBackend) async throws {
        let source = try await from.make()
        let imported = try await source.importArticles(Archive.entries.map(Archive.article), now: Date())
        // A raw document kept with its article, an edit after it, and a gap in the ids.
        let page = DocumentInput(
            text: "<html><head><title>Quay cranes idle</title></head><body><p>Cranes stood idle.</p></body></html>",
            fileName: "cranes.html",
            url: "https://example.org/cranes"
        )
        var extracted = Archive.article(Archive.entries[0])
        extracted.title = "Quay cranes idle"
        extracted.url = "https://example.org/cranes"
        let withDocument = try await source.importArticles([PreparedArticle(extracted, document: page)], now: Date())
        let documented = try #require(withDocument.first?.articleID)
        var edit = ArticleChanges()
        edit.title = "Quay cranes idle for a week"
        #expect(try await source.updateArticle(id: documented, edit, now: Date().addingTimeInterval(60)))
        #expect(try await source.deleteArticle(id: imported[2].articleID))

        let destination = try await to.make()
        let copy = ArchiveCopy(from: source, to: destination)
        #expect(try await copy.run() == Archive.entries.count)
        #expect(try await copy.differences() == [])
        #expect(try await source.integrityProblems() == [])
        #expect(try await destination.integrityProblems() == [])

        let before = try await source.storedRecords(after: 0, limit: 100)
        #expect(try await destination.storedRecords(after: 0, limit: 100) == before)
        #expect(before.contains { $0.document != nil && $0.documentEditedAt != nil })
        for record in before {
            // Stories are placed anew where the destination keeps them; everything else is as it was.
            var original = try #require(try await source.article(id: record.id))
            var copied = try #require(try await destination.article(id: record.id))
            (original.summary.storyID, original.summary.nearDuplicateOf) = (nil, nil)
            (copied.summary.storyID, copied.summary.nearDuplicateOf) = (nil, nil)
            #expect(copied == original)
            #expect(try await destination.article(slug: record.slug)?.summary.id == record.id)
        }
        let search = try ArticleQuery(QueryParameters(pairs: [("q", "harbour")], allowed: ["q"]))
        #expect(try await destination.allPages(search).titles == (try await source.allPages(search).titles))

        // The next article the destination stores gets a new id, past every copied one.
        let next = try await destination.importArticle(Archive.article(Archive.entries[2]))
        #expect(next.articleID > before.map(\.id).max() ?? 0)
        // Copying again into what now holds articles is refused before anything is written.
        await #expect(throws: CopyError.destinationNotEmpty(Archive.entries.count + 1)) {
            try await copy.run()
        }
    }
}

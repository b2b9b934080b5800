import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// `reextract` on every backend: kept documents extracted again, hand edits left alone unless overwritten,
/// filters as the API reads them, and a rewrite that keeps ids and slugs while counts, search and stories
/// follow.
@Suite("Store conformance: re-extraction")
struct ReextractConformanceTests {
    /// Two extracted pages with their documents, and one article given as fields (no document).
    static func archive(_ backend: StoreBackend) async throws -> (any ArchiveMaintenance, [Int64]) {
        let store = try await backend.make()
        var prepared: [PreparedArticle] = []
        for (headline, words) in [("Quay plan approved", "extend the quay"), ("Ferry fares frozen", "freeze fares")] {
            let input = DocumentInput(text: ReextractTests.page(headline, words: words), fileName: "page.html")
            prepared.append(PreparedArticle(try DocumentExtractor().extract(input), document: input))
        }
        prepared.append(PreparedArticle(Sample.article("Given as JSON", author: "Kari Nordmann")))
        let ids = try await store.importArticles(prepared, now: Date()).map(\.articleID)
        return (store, ids)
    }

    @Test("hand edits are left alone unless overwritten; a rewrite keeps ids and slugs", arguments: StoreBackend.all)
    func editsAndRewrites(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Self.archive(backend)
        let before = try #require(try await store.article(id: ids[0]))
        var edit = ArticleChanges()
        edit.title = "Quay plan approved at last"
        edit.tags = []
        #expect(try await store.updateArticle(id: ids[0], edit, now: Date()))

        let untouched = try await store.reextract()
        #expect(untouched.articles == 3 && untouched.withoutDocument == 1)
        #expect(untouched.editedByHand == 1 && untouched.reextracted == 1 && untouched.changed == 0)
        #expect(try await store.article(id: ids[0])?.summary.title == "Quay plan approved at last")

        let dry = try await store.reextract(dryRun: true, overwritingEdits: true)
        #expect(dry.changed == 1 && dry.fieldChanges == ["title": 1, "tags": 1])
        #expect(try await store.article(id: ids[0])?.summary.title == "Quay plan approved at last")

        let overwritten = try await store.reextract(batchSize: 1, overwritingEdits: true)
        #expect(overwritten.changed == 1 && overwritten.changedIDs == [ids[0]])
        let after = try #require(try await store.article(id: ids[0]))
        #expect(after.summary.id == before.summary.id && after.summary.slug == before.summary.slug)
        #expect(after.summary.title == before.summary.title && after.summary.tags == before.summary.tags)
        #expect(after.paragraphs == before.paragraphs && after.summary.storyID != nil)
        #expect(try await store.tag(slug: "harbours")?.articleCount == 2)
        var search = ArticleQuery()
        search.search = try SearchQuery("approved")
        #expect(try await store.articles(search).items.map(\.id) == [ids[0]])
        // The rewrite made the article its document's again: nothing is left to change or skip.
        let again = try await store.reextract()
        #expect(again.editedByHand == 0 && again.reextracted == 2 && again.changed == 0)
        #expect(try await store.integrityProblems() == [])
    }

    @Test("the articles a run selects are those the API's filters select", arguments: StoreBackend.all)
    func filters(_ backend: StoreBackend) async throws {
        let (store, _) = try await Self.archive(backend)
        var byAuthor = ArticleQuery()
        byAuthor.authors = ["Kari Nordmann"]
        let filtered = try await store.reextract(matching: byAuthor)
        #expect(filtered.articles == 1 && filtered.withoutDocument == 1 && filtered.reextracted == 0)
        var byTag = ArticleQuery()
        byTag.tags = ["harbours"]
        let tagged = try await store.reextract(matching: byTag)
        #expect(tagged.articles == 2 && tagged.withoutDocument == 0 && tagged.reextracted == 2)
    }
}

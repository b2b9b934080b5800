import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// Relevance pages across writes: the page after a cursor ranks as the first page did.
@Suite("Store conformance: relevance pages while articles are added")
struct RelevancePagingTests {
    /// An article that mentions the harbour `mentions` times among `filler` other words.
    static func article(_ number: Int, mentions: Int, filler: Int) -> ExtractedArticle {
        let words = Array(repeating: "harbour", count: mentions) + Array(repeating: "cargo", count: filler)
        return ExtractedArticle(
            title: "Report \(number) from the docks",
            language: "en",
            paragraphs: ["Report number \(number): " + words.joined(separator: " ") + "."],
            format: .plainText
        )
    }

    @Test(
        "no article repeated and none that existed at the first page skipped, however many are added between pages",
        arguments: StoreBackend.all
    )
    func pagesAcrossWrites(_ backend: StoreBackend) async throws {
        for text in ["harbour", "harbour OR cargo"] {
            let store = try await backend.make()
            let existing = try await store.importArticles(
                (1...40).map { Self.article($0, mentions: 1 + $0 % 5, filler: 3 + ($0 * 7) % 23) },
                now: Date()
            ).map(\.articleID)
            var query = ArticleQuery()
            query.search = try SearchQuery(text)
            query.sort = .relevance
            query.limit = 6
            var seen: [Int64] = []
            var number = 1_000
            repeat {
                let page = try await store.articles(query)
                seen += page.items.map(\.id)
                // Between pages, articles that match too arrive, moving every score FTS5 would compute.
                _ = try await store.importArticles(
                    (0..<15).map { Self.article(number + $0, mentions: 1 + $0 % 3, filler: 40 + $0) },
                    now: Date()
                )
                number += 15
                query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
            } while query.cursor != nil
            #expect(seen.count == Set(seen).count, "\(text): an article was repeated")
            #expect(Set(existing).isSubset(of: Set(seen)), "\(text): an article of the first page's time was skipped")
        }
    }
}

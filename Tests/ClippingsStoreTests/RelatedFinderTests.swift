import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Related articles' text matches from the postings' top-k ranking against FTS5's, their reference: the
/// same articles with the same scores.
@Suite("Related articles from the postings")
struct RelatedFinderTests {
    @Test("an article's distinctive words OR'd rank the same 200 articles with the same scores as FTS5")
    func sameAsFTS5() async throws {
        var random = PostingsRankerTests.Random(state: 2_026)
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles(
            (0..<600).map { PostingsRankerTests.article(&random, number: $0) },
            now: Date()
        )
        try await database.writer.read { db in
            let total = Double(try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0)
            var compared = 0
            for id in stride(from: Int64(1), through: 600, by: 23) {
                let article = try #require(try ArticleRecord.fetchOne(db, key: id))
                let terms = try RelatedFinder.distinctiveTerms(
                    title: article.title,
                    body: article.body,
                    documents: total,
                    in: db
                )
                guard !terms.isEmpty else { continue }
                // The postings answer (the comparison would otherwise be FTS5 with itself).
                var query = ArticleQuery()
                query.search = try SearchQuery(RelatedFinder.orExpression(terms))
                query.sort = .relevance
                query.limit = RelatedFinder.relatedCandidates + 1
                #expect(try PostingsRanker.page(query, try #require(query.search), in: db) != nil, "article \(id)")
                let fast = try RelatedFinder.textMatches(of: terms, excluding: id, in: db)
                let reference = try RelatedFinder.ftsMatches(RelatedFinder.orExpression(terms), excluding: id, in: db)
                #expect(fast.count == reference.count, "article \(id)")
                #expect(!fast.contains { $0.id == id })
                // Scores in order agree; articles agree wherever a score is not tied at the 200th place.
                for (one, other) in zip(fast, reference) {
                    #expect(abs(one.score - other.score) < 1e-9, "article \(id)")
                }
                let last = reference.last?.score ?? 0
                let fastIDs = Set(fast.filter { $0.score > last + 1e-9 }.map(\.id))
                let referenceIDs = Set(reference.filter { $0.score > last + 1e-9 }.map(\.id))
                #expect(fastIDs == referenceIDs, "article \(id)")
                compared += 1
            }
            #expect(compared >= 20)
        }
    }
}

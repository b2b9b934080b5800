import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// The ranking function later relevance pages use, against FTS5's bm25() that ranks the first page.
@Suite("Relevance with given statistics")
struct SearchRankingTests {
    @Test("with the archive's own statistics, clippings_bm25 gives exactly bm25()'s scores, for every kind of query")
    func sameScores() async throws {
        let database = try AppDatabase.inMemory()
        let words = ["harbour", "strike", "ferry", "cargo", "crew", "port", "quay", "union", "wage", "ship"]
        let articles = (0..<120).map { number in
            let body = (0..<(8 + number % 37)).map { words[($0 * 7 + number * 3) % words.count] }
            return ExtractedArticle(
                title: "Dock report \(number) " + words[number % words.count],
                language: "en",
                paragraphs: [body.joined(separator: " ") + ".", "Harbour strike day \(number % 9)."],
                format: .plainText
            )
        }
        _ = try await database.importArticles(articles, now: Date())
        for text in ["harbour", "harbour cargo", "\"harbour strike\"", "harb*", "ferry -cargo", "quay OR wage ship"] {
            let search = try SearchQuery(text)
            let scores = try await database.writer.read { db -> [(Double, Double)] in
                let ranking = try #require(try SearchRanking.current(for: search, in: db))
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT -bm25(article_fts, 10.0, 1.0), \(ranking.score.sql) FROM article_fts
                        WHERE article_fts MATCH ?
                        """,
                    arguments: ranking.score.arguments + [search.ftsExpression]
                ).map { ($0[0], $0[1]) }
            }
            #expect(!scores.isEmpty, "\(text)")
            #expect(
                scores.allSatisfy { $0.0 == $0.1 },
                "\(text): \(scores.first { $0.0 != $0.1 }.map { "\($0)" } ?? "")"
            )
        }
    }
}

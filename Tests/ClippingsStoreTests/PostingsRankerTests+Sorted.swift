import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Searches sorted by date or title, from the postings and the order's index, against FTS5's sort.
extension PostingsRankerTests {
    @Test("searches sorted by date or title: the same pages, scores, totals and cursors as FTS5's sort")
    func sortedAsReference() async throws {
        var random = Random(state: 31)
        let database = try AppDatabase.inMemory()
        let articles = (0..<400).map { number in
            var article = Self.article(&random, number: number)
            article.language = ["en", "no"][random.next(2)]
            // Some undated, some on one day: the order's ties and its undated tail.
            article.publishedAt =
                random.next(5) == 0 ? nil : Date(timeIntervalSince1970: Double(random.next(40)) * 86_400)
            return article
        }
        _ = try await database.importArticles(articles, now: Date())
        var answered = 0
        for round in 0..<30 {
            var query = ArticleQuery()
            query.search = try Self.query(&random)
            query.sort = [.newest, .oldest, .title][random.next(3)]
            query.limit = 1 + random.next(20)
            if random.next(3) == 0 { query.languages = ["no"] }
            let asked = query
            answered += try await database.writer.read { db in
                try PostingsRanker.sortedPage(asked, asked.search!, order: .of(asked.sort), in: db) == nil ? 0 : 1
            }
            var cursors: (ClippingsStore.Cursor?, ClippingsStore.Cursor?) = (nil, nil)
            for page in 0..<4 {
                let context = "round \(round) '\(query.search!.ftsExpression)' \(query.sort), page \(page)"
                cursors = try await Self.comparePage(database, query, cursors: cursors, context, ranked: false)
                guard cursors.0 != nil else { break }
            }
        }
        #expect(answered == 30, "the postings sorted only \(answered) of 30 searches")
    }
}

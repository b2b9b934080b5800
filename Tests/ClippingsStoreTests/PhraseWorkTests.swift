import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Phrases of words most articles hold are checked in most articles: over the bound, refused.
@Suite("Phrase work")
struct PhraseWorkTests {
    @Test("a phrase of common words is refused over the bound; a rarer word, or no quotes, passes")
    func commonPhrases() async throws {
        let database = try AppDatabase.inMemory()
        let articles = (0..<60).map { number in
            ExtractedArticle(
                title: "Report \(number)",
                language: "en",
                paragraphs: ["One of the reports in the series." + (number == 0 ? " The dark room case." : "")],
                format: .plainText
            )
        }
        _ = try await database.importArticles(articles, now: Date())
        func check(_ text: String) async throws -> [String]? {
            let search = try SearchQuery(text)
            return try await database.writer.read { db in
                do {
                    try PhraseWork.check(search, maximum: 150, in: db)
                    return nil
                } catch QueryError.phrasesTooCommon(let phrases) {
                    return phrases
                }
            }
        }
        // Each phrase of common words is 60 articles × 2 words: one is under the bound, two are over it.
        #expect(try await check("\"of the\"") == nil)
        #expect(try await check("\"of the\" OR \"in the\" report") == ["of the", "in the"])
        #expect(try await check("report -\"in the\" \"of the\"") == ["of the", "in the"])
        // A phrase with a rarer word is checked only where that word is: 1 article × 2 or 4 words.
        #expect(try await check("\"dark room\" \"of the\"") == nil)
        #expect(try await check("\"of the dark room\" \"in the\"") == nil)
        #expect(try await check("\"unheard of\" \"in the\"") == nil)
        // Words without quotes are no phrase.
        #expect(try await check("of the in report series") == nil)
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Articles in and out: duplicates, round trips, slugs, stored paragraphs.
@Suite("Storing articles")
struct ArticleStorageTests {
    @Test("importing the same article twice stores one and reports the duplicate")
    func idempotentImport() async throws {
        let database = try AppDatabase.inMemory()
        let article = Sample.article(
            "Storm hits coast",
            url: "https://news.example/weather/storm?utm_source=x#top",
            tags: ["Weather"]
        )
        let first = try await database.importArticle(article, now: Date())
        var sameURL = article
        sameURL.url = "https://www.news.example/weather/storm/"
        sameURL.title = "Storm hits coast (updated)"
        let second = try await database.importArticle(sameURL, now: Date())
        var sameContent = article
        sameContent.url = nil
        let third = try await database.importArticle(sameContent, now: Date())
        guard case .created(let id) = first else {
            Issue.record("first import not created")
            return
        }
        #expect(second == .duplicate(id))
        #expect(third == .duplicate(id))
        #expect(try await database.articleCount() == 1)
        #expect(
            try await database.tags(DirectoryQuery()).items == [
                TagInfo(slug: "weather", name: "Weather", articleCount: 1)
            ]
        )
    }

    @Test("an article round-trips with tags, categories, links and images in order")
    func roundTrip() async throws {
        let database = try AppDatabase.inMemory()
        let article = Sample.article(
            "Ferry strike ends",
            date: "2020-02-03",
            tags: ["Ferries", "Labour"],
            source: "Coast News",
            author: "Ada Lund"
        )
        let id = try await database.importArticle(article, now: Date()).articleID
        let stored = try #require(try await database.article(id: id))
        #expect(stored.summary.title == "Ferry strike ends")
        #expect(stored.summary.slug == "ferry-strike-ends")
        #expect(stored.summary.author == "Ada Lund")
        #expect(stored.summary.tags.map(\.name) == ["Ferries", "Labour"])
        #expect(
            stored.summary.source == SourceRef(slug: "coast-news", name: "Coast News", domain: "coast news.example")
        )
        #expect(stored.paragraphs == article.paragraphs)
        #expect(stored.categories == ["News"])
        #expect(stored.links.map(\.url) == ["https://example.org/ref"])
        #expect(stored.images.first?.alt == nil)
        #expect(stored.summary.wordCount == article.wordCount)
        #expect(try await database.article(slug: "ferry-strike-ends")?.summary.id == id)
    }

    @Test("titles that slug alike get distinct slugs")
    func slugCollisions() async throws {
        let database = try AppDatabase.inMemory()
        let a = try await database.importArticle(Sample.article("Budget passes", body: "One."), now: Date()).articleID
        let b = try await database.importArticle(Sample.article("Budget passes!", body: "Two."), now: Date()).articleID
        #expect(try await database.article(id: a)?.summary.slug == "budget-passes")
        #expect(try await database.article(id: b)?.summary.slug == "budget-passes-2")
    }

    @Test("stored bodies split into the paragraphs they were joined from")
    func storedParagraphs() {
        for body in ["a", "one\n\ntwo", "line\nbreak\n\nnext", "Tromsø\n\nÆrlig 🚢\n\nslutt.", "trailing\n"] {
            #expect(ArticleRules.paragraphs(of: body) == body.components(separatedBy: "\n\n"))
        }
        #expect(ArticleRules.paragraphs(of: "").isEmpty)
    }
}

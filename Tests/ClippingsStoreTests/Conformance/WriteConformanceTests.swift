import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// Imports, duplicates, edits, deletes and counts, as any `ArchiveStore` must make them.
@Suite("Store conformance: writes and counts")
struct WriteConformanceTests {
    typealias Archive = ConformanceArchive

    @Test(
        "an article round-trips whole: fields, lists in order, slug, detail by id and by slug",
        arguments: StoreBackend.all
    )
    func roundTrip(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Archive.make(backend)
        let entry = Archive.entries[1]
        let id = try #require(ids[entry.title])
        let stored = try #require(try await store.article(id: id))
        let article = Archive.article(entry)
        #expect(stored.summary.title == entry.title)
        #expect(stored.summary.slug == "ferry-crews-join-harbour-strike")
        #expect(stored.summary.author == "Ada Lund, Per Holm")
        #expect(stored.summary.authors == ["Ada Lund", "Per Holm"])
        #expect(stored.summary.publishedAt == article.publishedAt)
        #expect(stored.summary.language == "en")
        #expect(stored.summary.source?.slug == "coast-news")
        #expect(
            stored.summary.tags == [TagRef(slug: "labour", name: "Labour"), TagRef(slug: "ferries", name: "Ferries")]
        )
        #expect(stored.summary.wordCount == article.wordCount)
        #expect(stored.paragraphs == article.paragraphs)
        #expect(stored.body == article.body)
        #expect(stored.categories == ["News"])
        #expect(stored.links.map(\.url) == article.links.map(\.url))
        #expect(stored.images.map(\.alt) == ["A photo"])
        #expect(try await store.article(slug: stored.summary.slug) == stored)
        #expect(try await store.article(id: 999_999) == nil)
        let summaries = try await store.articles(ArticleQuery()).items
        #expect(try await store.details(of: summaries).map(\.summary.id) == summaries.map(\.id))
    }

    @Test("the same article again is a duplicate: by URL however written, or by content", arguments: StoreBackend.all)
    func duplicates(_ backend: StoreBackend) async throws {
        let store = try await backend.make()
        var article = Archive.article(Archive.entries[0])
        article.url = "https://news.example/labour/harbour-strike-week-two?utm_source=feed#top"
        let first = try await store.importArticle(article, now: Date())
        guard case .created(let id) = first else {
            Issue.record("the first import was not created")
            return
        }
        var sameURL = article
        sameURL.url = "https://www.news.example/labour/harbour-strike-week-two/"
        sameURL.title = "Harbour strike enters second week (updated)"
        #expect(try await store.importArticle(sameURL, now: Date()) == .duplicate(id))
        var sameContent = article
        sameContent.url = nil
        #expect(try await store.importArticle(sameContent, now: Date()) == .duplicate(id))
        var twin = Archive.article(Archive.entries[0])
        twin.paragraphs = ["Another text under the same title."]
        guard case .created(let second) = try await store.importArticle(twin, now: Date()) else {
            Issue.record("a different article with the same title was not created")
            return
        }
        #expect(try await store.article(id: second)?.summary.slug == "harbour-strike-enters-second-week-2")
        #expect(try await store.articleCount() == 2)
        let batch = try await store.importArticles([sameContent, Archive.article(Archive.entries[3])], now: Date())
        #expect(batch.first == .duplicate(id))
        #expect(batch.count == 2)
        #expect(try await store.articleCount() == 3)
    }

    @Test("edits show in details, listings, filters, search and directories", arguments: StoreBackend.all)
    func edits(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Archive.make(backend)
        let id = try #require(ids["Budget vote delayed"])
        let versionBefore = try store.dataVersion()
        var changes = ArticleChanges()
        changes.title = "Budget vote postponed"
        changes.authors = ["Eva Berg", "Ola Dahl"]
        changes.publishedAt = .some(nil)
        changes.language = "no"
        changes.source = .some(Publisher(name: "Coast News"))
        changes.tags = [Tag(slug: "budget", name: "Budget")]
        #expect(try await store.updateArticle(id: id, changes, now: Date()))
        #expect(try store.dataVersion() != versionBefore)
        let edited = try #require(try await store.article(id: id))
        #expect(edited.summary.title == "Budget vote postponed")
        #expect(edited.summary.author == "Eva Berg, Ola Dahl")
        #expect(edited.summary.authors == ["Eva Berg", "Ola Dahl"])
        #expect(edited.summary.publishedAt == nil)
        #expect(edited.summary.language == "no")
        #expect(edited.summary.source?.slug == "coast-news")
        #expect(edited.summary.tags.map(\.slug) == ["budget"])
        var byAuthor = ArticleQuery()
        byAuthor.authors = ["ola dahl"]
        #expect(try await store.articles(byAuthor).items.map(\.id) == [id])
        var search = ArticleQuery()
        search.search = try SearchQuery("postponed")
        #expect(try await store.articles(search).items.map(\.id) == [id])
        #expect(try await store.tag(slug: "politics")?.articleCount == 1)
        #expect(try await store.tag(slug: "budget")?.articleCount == 1)
        #expect(try await store.source(slug: "coast-news")?.articleCount == 4)
        #expect(try await store.allPages(ArticleQuery()).titles.last == "Budget vote postponed")
        #expect(try await store.updateArticle(id: 999_999, changes, now: Date()) == false)
    }

    @Test("deletes remove the article everywhere; tags and sources left empty drop out", arguments: StoreBackend.all)
    func deletes(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Archive.make(backend)
        let id = try #require(ids["Streiken på kaia fortsetter"])
        #expect(try await store.deleteArticle(id: id))
        #expect(try await store.deleteArticle(id: id) == false)
        #expect(try await store.article(id: id) == nil)
        #expect(try await store.articleCount() == Archive.entries.count - 1)
        #expect(try await store.articles(ArticleQuery()).total == Archive.entries.count - 1)
        #expect(try await store.source(slug: "vestlandsposten") == nil)
        #expect(try await store.tag(slug: "labour")?.articleCount == 2)
        var search = ArticleQuery()
        search.search = try SearchQuery("streiken")
        #expect(try await store.articles(search).total == 0)
        #expect(try await store.isReady())
    }

    @Test(
        "tags: different names never share a tag, slugs stay readable in any script, case variants are one tag",
        arguments: StoreBackend.all
    )
    func tagNames(_ backend: StoreBackend) async throws {
        let store = try await backend.make()
        func article(_ title: String, tags: [String]) -> ExtractedArticle {
            ExtractedArticle(
                title: title,
                language: "en",
                tags: tags.map { Tag(slug: Slugifier.slug($0), name: $0) },
                paragraphs: ["A story about \(title) and what it means for programmers."],
                format: .plainText
            )
        }
        let ids = try await store.importArticles(
            [
                article("Learning C++", tags: ["C++"]), article("Learning C#", tags: ["C#"]),
                article("Learning C", tags: ["C"]), article("More c++", tags: ["c++"]),
                article("Spelled out", tags: ["C plus plus"]), article("Путин в Москве", tags: ["Москва", "日本"]),
            ],
            now: Date()
        ).map(\.articleID)
        let sharp = try #require(try await store.article(id: ids[1]))
        #expect(sharp.summary.tags == [TagRef(slug: "c-sharp", name: "C#")])
        #expect(try await store.article(id: ids[0])?.summary.tags.map(\.slug) == ["c-plus-plus"])
        #expect(try await store.article(id: ids[2])?.summary.tags.map(\.slug) == ["c"])
        #expect(try await store.article(id: ids[3])?.summary.tags == [TagRef(slug: "c-plus-plus", name: "C++")])
        #expect(try await store.article(id: ids[4])?.summary.tags.map(\.slug) == ["c-plus-plus-2"])
        let russian = try #require(try await store.article(id: ids[5]))
        #expect(russian.summary.slug == "putin-v-moskve")
        #expect(russian.summary.tags.map(\.slug) == ["moskva", "ri-ben"])
        #expect(try await store.tag(slug: "c-plus-plus")?.articleCount == 2)
        var query = DirectoryQuery()
        query.limit = 100
        #expect(try await store.tags(query).total == 6)
    }
}

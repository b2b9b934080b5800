import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// Listing, filtering, paging, search and facets, as any `ArchiveStore` must answer them.
@Suite("Store conformance: listings, search and facets")
struct ListingConformanceTests {
    typealias Archive = ConformanceArchive

    @Test(
        "each order lists every article once: newest and oldest put undated last, title sorts folded",
        arguments: StoreBackend.all
    )
    func orders(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        let dated = Archive.entries.filter { $0.date != nil }.sorted { $0.date! < $1.date! }.map(\.title)
        let undated = Archive.entries.filter { $0.date == nil }.map(\.title)
        for limit in [1, 2, 5, 20] {
            var query = ArticleQuery()
            query.limit = limit
            query.sort = .newest
            #expect(try await store.allPages(query).titles == dated.reversed() + undated)
            #expect(try await store.allPages(query).totals == [Archive.entries.count])
            query.sort = .oldest
            #expect(try await store.allPages(query).titles == dated + undated)
            query.sort = .title
            let titles = try await store.allPages(query).titles
            #expect(titles == Archive.entries.map(\.title).sorted { $0.lowercased() < $1.lowercased() })
        }
    }

    @Test("filters: several values of one filter OR together, different filters AND", arguments: StoreBackend.all)
    func filters(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        func titles(_ build: (inout ArticleQuery) -> Void) async throws -> Set<String> {
            var query = ArticleQuery()
            query.limit = 100
            build(&query)
            let page = try await store.articles(query)
            #expect(page.total == page.items.count)
            return Set(page.items.map(\.title))
        }
        func expected(_ keep: (ConformanceArchive.Entry) -> Bool) -> Set<String> {
            Set(Archive.entries.filter(keep).map(\.title))
        }
        #expect(try await titles { $0.tags = ["ports"] } == expected { $0.tags.contains("Ports") })
        #expect(
            try await titles { $0.tags = ["ports", "politics"] }
                == expected { $0.tags.contains("Ports") || $0.tags.contains("Politics") }
        )
        #expect(
            try await titles {
                $0.tags = ["labour"]
                $0.sources = ["coast-news"]
            } == expected { $0.tags.contains("Labour") && $0.source == "Coast News" }
        )
        #expect(try await titles { $0.languages = ["no"] } == expected { $0.language == "no" })
        #expect(try await titles { $0.authors = ["per holm"] } == expected { $0.authors.contains("Per Holm") })
        #expect(
            try await titles { $0.authors = ["Ada Lund, Per Holm"] }
                == expected { $0.authors == ["Ada Lund", "Per Holm"] }
        )
        #expect(
            try await titles {
                $0.from = try! Date("2021-03-02T00:00:00Z", strategy: .iso8601)
                $0.until = try! Date("2021-03-06T00:00:00Z", strategy: .iso8601)
            } == expected { ($0.date ?? "") >= "2021-03-02" && ($0.date ?? "") < "2021-03-06" }
        )
        #expect(try await titles { $0.tags = ["no-such-tag"] }.isEmpty)
    }

    @Test("a cursor of another order is refused; relevance needs a search", arguments: StoreBackend.all)
    func cursors(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        var query = ArticleQuery()
        query.limit = 2
        let cursor = try #require(try await store.articles(query).nextCursor.flatMap(Cursor.init(token:)))
        query.sort = .title
        query.cursor = cursor
        await #expect(throws: QueryError.invalidCursor) { try await store.articles(query) }
        var relevance = ArticleQuery()
        relevance.sort = .relevance
        await #expect(throws: QueryError.relevanceWithoutSearch) { try await store.articles(relevance) }
        var uncounted = ArticleQuery()
        uncounted.countsTotal = false
        #expect(try await store.articles(uncounted).total == 0)
    }

    @Test(
        "a cursor continues only the selection that issued it: other filters, searches or prefixes are refused",
        arguments: StoreBackend.all
    )
    func cursorScope(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        var labour = ArticleQuery()
        labour.tags = ["labour"]
        labour.limit = 1
        let cursor = try #require(try await store.articles(labour).nextCursor.flatMap(Cursor.init(token:)))
        for build: (inout ArticleQuery) -> Void in [
            { $0.tags = [] }, { $0.tags = ["ports"] }, { $0.sources = ["coast-news"] }, { $0.languages = ["en"] },
            { $0.search = try! SearchQuery("strike") }, { $0.until = Date() },
        ] {
            var other = labour
            build(&other)
            other.cursor = cursor
            await #expect(throws: QueryError.invalidCursor) { try await store.articles(other) }
        }
        // The same selection with bigger pages, or its values in another order, continues.
        var biggerPages = labour
        biggerPages.limit = 10
        biggerPages.cursor = cursor
        #expect(try await store.articles(biggerPages).items.count == 2)
        var twoTags = labour
        twoTags.tags = ["labour", "politics"]
        let twoTagCursor = try #require(try await store.articles(twoTags).nextCursor.flatMap(Cursor.init(token:)))
        twoTags.tags = ["politics", "labour"]
        twoTags.cursor = twoTagCursor
        #expect(try await store.articles(twoTags).items.count == 1)
        var issuedBefore = cursor
        issuedBefore.scope = nil
        var unfiltered = ArticleQuery()
        unfiltered.cursor = issuedBefore
        #expect(try await store.articles(unfiltered).items.isEmpty == false)

        var prefixed = DirectoryQuery()
        prefixed.prefix = "p"
        prefixed.limit = 1
        let tagCursor = try #require(try await store.tags(prefixed).nextCursor.flatMap(Cursor.init(token:)))
        var everyTag = DirectoryQuery()
        everyTag.cursor = tagCursor
        await #expect(throws: QueryError.invalidCursor) { try await store.tags(everyTag) }
        prefixed.cursor = tagCursor
        #expect(try await store.tags(prefixed).items.map(\.slug) == ["ports"])
    }

    @Test(
        "search: words and phrases, ranked, title above body, marked snippets, paged by relevance",
        arguments: StoreBackend.all
    )
    func search(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        var query = ArticleQuery()
        query.search = try SearchQuery("harbour")
        query.sort = .relevance
        let page = try await store.articles(query)
        #expect(
            Set(page.items.map(\.title))
                == [
                    "Harbour strike enters second week", "Ferry crews join harbour strike",
                    "Anniversary of the old lighthouse",
                ]
        )
        #expect(page.total == 3)
        // The two with the word in the title rank above the one with it only in the body.
        #expect(page.items.last?.title == "Anniversary of the old lighthouse")
        let scores = page.items.compactMap { $0.hit?.score }
        #expect(scores.count == 3 && scores == scores.sorted(by: >))
        #expect(page.items.allSatisfy { $0.hit?.snippet?.contains("<mark>") == true })
        query.limit = 1
        #expect(try await store.allPages(query).titles == page.items.map(\.title))
        query.search = try SearchQuery("\"harbour strike\"")
        query.limit = 20
        #expect(try await store.articles(query).total == 2)
        query.search = try SearchQuery("ferry OR ferries")
        query.sources = ["capital-daily"]
        #expect(try await store.articles(query).items.map(\.title) == ["Budget vote delayed"])
        query.sources = []
        query.sort = .newest
        let byDate = try await store.articles(query).items.compactMap(\.publishedAt)
        #expect(byDate == byDate.sorted(by: >))
    }

    @Test("facets count every match, commonest first, ties by value, cut at the limit", arguments: StoreBackend.all)
    func facets(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        let counts = try await store.facets([.tag, .source, .language, .year], for: ArticleQuery(), limit: 2)
        #expect(counts[.tag]?.map(\.value) == ["labour", "politics"])
        #expect(counts[.tag]?.map(\.count) == [3, 2])
        #expect(counts[.source]?.map(\.value) == ["coast-news", "capital-daily"])
        #expect(counts[.source]?.map(\.count) == [3, 2])
        #expect(counts[.language]?.map(\.value) == ["en", "no"])
        #expect(counts[.year]?.map(\.value) == ["2021", "2020"])
        #expect(counts[.year]?.map(\.count) == [4, 1])
        var search = ArticleQuery()
        search.search = try SearchQuery("strike OR streiken")
        let searched = try await store.facets([.language], for: search, limit: 20)
        #expect(searched[.language]?.map(\.count) == [2, 1])
        #expect(try await store.facets([], for: ArticleQuery(), limit: 20).isEmpty)
    }

    @Test("directories: by article count then name, prefixes, pages, single entries", arguments: StoreBackend.all)
    func directories(_ backend: StoreBackend) async throws {
        let (store, _) = try await Archive.make(backend)
        var query = DirectoryQuery()
        query.limit = 2
        var names: [String] = []
        repeat {
            let page = try await store.tags(query)
            #expect(page.total == 5)
            names += page.items.map(\.name)
            query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
        } while query.cursor != nil
        #expect(names == ["Labour", "Politics", "Ports", "Ferries", "History"])
        var prefix = DirectoryQuery()
        prefix.prefix = "PO"
        #expect(try await store.tags(prefix).items.map(\.slug) == ["politics", "ports"])
        #expect(try await store.tag(slug: "ports") == TagInfo(slug: "ports", name: "Ports", articleCount: 2))
        #expect(try await store.tag(slug: "nothing") == nil)
        let sources = try await store.sources(DirectoryQuery())
        #expect(sources.items.map(\.slug) == ["coast-news", "capital-daily", "vestlandsposten"])
        let coast = try #require(try await store.source(slug: "coast-news"))
        #expect(coast.articleCount == 3)
        #expect(coast.firstPublishedAt == (try Date("2021-03-01T09:30:00Z", strategy: .iso8601)))
        #expect(coast.lastPublishedAt == (try Date("2021-03-04T09:30:00Z", strategy: .iso8601)))
        let related = try await store.relatedTags(to: "labour", limit: 10)
        #expect(related.map(\.tag.slug) == ["ferries", "ports"])
        #expect(related.map(\.count) == [1, 1])
    }

    @Test(
        "related articles share rare words and tags, best first, never the article itself",
        arguments: StoreBackend.all
    )
    func related(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Archive.make(backend)
        let strike = try #require(ids["Harbour strike enters second week"])
        let related = try #require(try await store.relatedArticles(to: strike, limit: 3))
        #expect(!related.contains { $0.id == strike })
        #expect(related.first?.title == "Ferry crews join harbour strike")
        #expect(related.allSatisfy { ($0.hit?.score ?? 0) > 0 })
        #expect(try await store.relatedArticles(to: 999_999, limit: 3) == nil)
    }
}

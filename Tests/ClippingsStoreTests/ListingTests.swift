import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Orders, keyset pages, filters, directories and facets over the SQLite store.
@Suite("Listings")
struct ListingTests {
    @Test("newest first, undated last, and keyset pages that neither skip nor repeat")
    func paging() async throws {
        let database = try AppDatabase.inMemory()
        var expected: [String] = []
        for day in 1...9 {
            _ = try await database.importArticle(Sample.article("Dated \(day)", date: "2021-01-0\(day)"), now: Date())
        }
        for index in 1...4 {
            _ = try await database.importArticle(Sample.article("Undated \(index)"), now: Date())
        }
        expected = (1...9).reversed().map { "Dated \($0)" } + (1...4).reversed().map { "Undated \($0)" }
        for sort in [ArticleQuery.Sort.newest, .oldest, .title] {
            var query = ArticleQuery()
            query.sort = sort
            query.limit = 3
            var seen: [String] = []
            repeat {
                let page = try await database.articles(query)
                #expect(page.total == 13)
                seen += page.items.map(\.title)
                query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
            } while query.cursor != nil
            switch sort {
            case .newest: #expect(seen == expected)
            case .oldest: #expect(seen == (1...9).map { "Dated \($0)" } + (1...4).map { "Undated \($0)" })
            case .title, .relevance: #expect(seen == seen.sorted { $0.lowercased() < $1.lowercased() })
            }
            #expect(Set(seen).count == 13)
        }
    }

    @Test("filters combine; several values of one filter OR together")
    func filters() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticle(
            Sample.article("A", date: "2019-05-01", tags: ["Oil"], source: "Alpha", language: "en", author: "Kim"),
            now: Date()
        )
        _ = try await database.importArticle(
            Sample.article("B", date: "2020-05-01", tags: ["Fish"], source: "Beta", language: "no", author: "Lee"),
            now: Date()
        )
        _ = try await database.importArticle(
            Sample.article("C", date: "2021-05-01", tags: ["Oil", "Fish"], source: "Alpha", language: "no"),
            now: Date()
        )
        func titles(_ build: (inout ArticleQuery) -> Void) async throws -> [String] {
            var query = ArticleQuery()
            build(&query)
            return try await database.articles(query).items.map(\.title)
        }
        #expect(try await titles { $0.tags = ["oil"] } == ["C", "A"])
        #expect(try await titles { $0.tags = ["oil", "fish"] } == ["C", "B", "A"])
        #expect(
            try await titles {
                $0.sources = ["alpha"]
                $0.languages = ["nb"]
            } == ["C"]
        )
        #expect(try await titles { $0.authors = ["kim"] } == ["A"])
        #expect(try await titles { $0.from = try! Date("2020-01-01T00:00:00Z", strategy: .iso8601) } == ["C", "B"])
        #expect(try await titles { $0.until = try! Date("2020-05-01T12:00:00Z", strategy: .iso8601) } == ["A"])
        let sources = try await database.sources(DirectoryQuery()).items
        #expect(sources.map(\.slug) == ["alpha", "beta"])
        #expect(sources.first?.articleCount == 2)
        #expect(sources.first?.firstPublishedAt == (try Date("2019-05-01T12:00:00Z", strategy: .iso8601)))
    }

    @Test("source and tag filters find an entry by its slug, the slug its name makes, or its folded name")
    func filtersByName() async throws {
        let database = try AppDatabase.inMemory()
        let harbour = Sample.article("Harbour", tags: ["Ferje Rute", "Tromsø"], source: "Dagbladet Tromsø")
        let other = Sample.article("Other", tags: ["Fjord"], source: "Bladet")
        _ = try await database.importArticles([harbour, other])
        for value in ["dagbladet-tromso", "Dagbladet Tromsø", "DAGBLADET TROMSO", "dagbladet tromsø"] {
            var query = ArticleQuery()
            query.sources = [value]
            #expect(try await database.articles(query).items.map(\.title) == ["Harbour"], "\(value)")
        }
        for value in ["ferje-rute", "Ferje Rute", "ferje rute", "TROMSO", "tromsø"] {
            var query = ArticleQuery()
            query.tags = [value]
            let page = try await database.articles(query)
            #expect(page.items.map(\.title) == ["Harbour"] && page.total == 1, "\(value)")
        }
        var neither = ArticleQuery()
        neither.tags = ["Ferje"]
        neither.sources = ["Dagbladet"]
        #expect(try await database.articles(neither).total == 0)
    }

    @Test("an unfiltered listing's facets, from kept counts, equal the counts over every article, after edits too")
    func archiveFacets() async throws {
        let database = try AppDatabase.inMemory()
        let tagNames = ["Oil", "Fish", "Ferry", "Storm", "Quay", "Tide"]
        var ids: [Int64] = []
        for index in 0..<200 {
            let date: String? = index % 17 == 0 ? nil : String(format: "20%02d-03-01", 10 + index % 7)
            let chosen = (0..<(index % 4)).map { tagNames[(index * 7 + $0 * 3) % tagNames.count] }
            let article = Sample.article(
                "Item \(index)",
                date: date,
                tags: chosen,
                source: index % 9 == 0 ? nil : ["Alpha", "Beta", "Gamma"][index % 3],
                language: index % 5 == 0 ? "no" : "en",
                body: "Text \(index)."
            )
            if case .created(let id) = try await database.importArticle(article, now: Date()) { ids.append(id) }
        }
        func compare(_ label: String) async throws {
            try await database.writer.read { db in
                for limit in [0, 1, 2, 3, 20] {
                    let kept = try FacetCounter.archiveCounts(Set(Facet.allCases), limit: limit, in: db)
                    let visited = try FacetCounter.matchCounts(
                        Set(Facet.allCases),
                        for: ArticleQuery(),
                        limit: limit,
                        in: db
                    )
                    for facet in Facet.allCases {
                        #expect(
                            kept[facet]?.map { "\($0.value) \($0.count)" }
                                == visited[facet]?.map { "\($0.value) \($0.count)" },
                            "\(label) \(facet) limit \(limit)"
                        )
                    }
                }
            }
        }
        try await compare("imported")
        for id in ids.prefix(30) {
            var changes = ArticleChanges()
            changes.tags = id % 2 == 0 ? [] : ["Storm", "Harbour"].map { Tag(slug: $0.lowercased(), name: $0) }
            changes.source = .some(id % 3 == 0 ? nil : Publisher(name: "Delta"))
            _ = try await database.updateArticle(id: id, changes, now: Date())
        }
        for id in ids.suffix(25) { _ = try await database.deleteArticle(id: id) }
        try await compare("edited and deleted")
    }

    @Test("tag and date filters: totals and pages match a count over the articles, through date and tag edits")
    func tagDateFilters() async throws {
        let database = try AppDatabase.inMemory()
        let tagNames = ["Oil", "Fish", "Ferry", "Storm"]
        // 300 articles over 2010–2021, each with one to three tags, every 23rd undated, two sources.
        var dates: [Int64: String?] = [:]
        var tags: [Int64: Set<String>] = [:]
        var sources: [Int64: String] = [:]
        for index in 0..<300 {
            let date: String? =
                index % 23 == 0
                ? nil : String(format: "20%02d-%02d-%02d", 10 + index % 12, 1 + index % 12, 1 + index % 28)
            let chosen = (0..<(1 + index % 3)).map { tagNames[(index / 3 + $0) % tagNames.count] }
            let source = index % 2 == 0 ? "Alpha" : "Beta"
            let outcome = try await database.importArticle(
                Sample.article("Item \(index)", date: date, tags: chosen, source: source, body: "Text \(index)."),
                now: Date()
            )
            guard case .created(let id) = outcome else {
                Issue.record("not created: \(outcome)")
                return
            }
            dates[id] = date
            tags[id] = Set(chosen.map { $0.lowercased() })
            sources[id] = source.lowercased()
        }
        let day = { (text: String) in try! Date(text + "T00:00:00Z", strategy: .iso8601) }
        func check(_ label: String) async throws {
            let ranges: [(String?, String?)] = [
                (nil, nil), ("2012-01-01", "2016-01-01"), ("2015-06-01", nil), (nil, "2011-03-01"),
                ("2030-01-01", nil),
            ]
            for tagSet in [["oil"], ["fish", "storm"], ["ferry"]] {
                for (from, until) in ranges {
                    for source in [nil, "beta"] {
                        var query = ArticleQuery()
                        query.tags = tagSet
                        query.sources = source.map { [$0] } ?? []
                        query.from = from.map(day)
                        query.until = until.map(day)
                        query.limit = 7
                        let expected = dates.keys.filter { id in
                            guard !tags[id]!.isDisjoint(with: tagSet), source == nil || sources[id] == source else {
                                return false
                            }
                            let date = dates[id]!.map { $0 + "T12:00:00Z" }
                            if let from, date == nil || date! < from { return false }
                            if let until, date == nil || date! >= until { return false }
                            return true
                        }
                        let order = expected.sorted { left, right in
                            switch (dates[left]!, dates[right]!) {
                            case (let a?, let b?): a != b ? a > b : left > right
                            case (nil, nil): left > right
                            case (nil, _): false
                            case (_, nil): true
                            }
                        }
                        var seen: [Int64] = []
                        repeat {
                            let page = try await database.articles(query)
                            #expect(
                                page.total == expected.count,
                                "\(label) \(tagSet) \(from ?? "-")…\(until ?? "-") \(source ?? "")"
                            )
                            seen += page.items.map(\.id)
                            query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
                        } while query.cursor != nil
                        #expect(seen == order, "\(label) \(tagSet) \(from ?? "-")…\(until ?? "-") \(source ?? "")")
                        // Facets count the same matches, over all pages.
                        query.cursor = nil
                        let facets = try await database.facets(Set(Facet.allCases), for: query, limit: 3)
                        let values: [Facet: (Int64) -> [String]] = [
                            .tag: { Array(tags[$0]!) }, .source: { [sources[$0]!] }, .language: { _ in ["en"] },
                            .year: { id in dates[id]!.map { [String($0.prefix(4))] } ?? [] },
                            .month: { id in dates[id]!.map { [String($0.prefix(7))] } ?? [] },
                        ]
                        for (facet, valuesOf) in values {
                            var counts: [String: Int] = [:]
                            for id in expected { for value in valuesOf(id) { counts[value, default: 0] += 1 } }
                            // The three commonest; every month (a histogram).
                            let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                .prefix(facet == .month ? counts.count : 3)
                            #expect(
                                facets[facet]?.map(\.value) == top.map(\.key)
                                    && facets[facet]?.map(\.count) == top.map(\.value),
                                "\(label) \(facet) \(tagSet) \(from ?? "-")…\(until ?? "-") \(source ?? "")"
                            )
                        }
                    }
                }
            }
        }
        try await check("imported")
        // Edits: new dates (one to undated, one from undated), new tags; the links follow their articles.
        let ids = dates.keys.sorted()
        for (offset, id) in ids.prefix(40).enumerated() {
            var changes = ArticleChanges()
            let newDate: String? = offset % 5 == 0 ? nil : String(format: "2013-%02d-15", 1 + offset % 12)
            changes.publishedAt = .some(newDate.map { try! Date($0 + "T12:00:00Z", strategy: .iso8601) })
            if offset % 3 == 0 {
                changes.tags = [Tag(slug: "storm", name: "Storm"), Tag(slug: "oil", name: "Oil")]
                tags[id] = ["storm", "oil"]
            }
            #expect(try await database.updateArticle(id: id, changes))
            dates[id] = newDate
        }
        try await check("edited")
        #expect(try await database.integrityProblems().isEmpty)
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE article_tag SET published_at = '1999-01-01T00:00:00Z'
                    WHERE (article_id, tag_id) IN (SELECT article_id, tag_id FROM article_tag LIMIT 1)
                    """
            )
        }
        #expect(try await database.integrityProblems().map(\.check) == ["tag_link_dates"])
    }

    @Test("tag listing: by count then name, prefix filter, cursor pages")
    func tagListing() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticle(Sample.article("One", tags: ["Zebra", "Apple", "Mango"]), now: Date())
        _ = try await database.importArticle(Sample.article("Two", tags: ["Mango", "Melon"]), now: Date())
        var query = DirectoryQuery()
        query.limit = 2
        let first = try await database.tags(query)
        #expect(first.items.map(\.slug) == ["mango", "apple"])
        #expect(first.total == 4)
        query.cursor = first.nextCursor.flatMap(Cursor.init(token:))
        #expect(try await database.tags(query).items.map(\.slug) == ["melon", "zebra"])
        var prefixed = DirectoryQuery()
        prefixed.prefix = "M"
        #expect(try await database.tags(prefixed).items.map(\.slug) == ["mango", "melon"])
        _ = try await database.importArticle(Sample.article("Three", tags: ["Østfold", "Ålesund"]), now: Date())
        prefixed.prefix = "øST"
        #expect(try await database.tags(prefixed).items.map(\.name) == ["Østfold"])
        prefixed.prefix = "%"
        #expect(try await database.tags(prefixed).items.isEmpty)
    }

    @Test("tag facets: the commonest first, ties by slug, cut at the limit among ties")
    func tagFacetLimit() async throws {
        let database = try AppDatabase.inMemory()
        // delta, bravo and charlie tie at 2 (imported in that order); echo and foxtrot at 1.
        let tagSets = [
            ["Alpha", "Delta", "Foxtrot"], ["Alpha", "Bravo", "Delta"], ["Alpha", "Charlie"],
            ["Bravo", "Charlie", "Echo"],
        ]
        for (index, tags) in tagSets.enumerated() {
            _ = try await database.importArticle(Sample.article("Item \(index)", tags: tags), now: Date())
        }
        func top(_ limit: Int, _ build: (inout ArticleQuery) -> Void = { _ in }) async throws -> [String] {
            var query = ArticleQuery()
            build(&query)
            return try await database.facets([.tag], for: query, limit: limit)[.tag]?.map { "\($0.value) \($0.count)" }
                ?? []
        }
        #expect(try await top(10) == ["alpha 3", "bravo 2", "charlie 2", "delta 2", "echo 1", "foxtrot 1"])
        #expect(try await top(3) == ["alpha 3", "bravo 2", "charlie 2"])
        #expect(try await top(1) == ["alpha 3"])
        #expect(try await top(5) == ["alpha 3", "bravo 2", "charlie 2", "delta 2", "echo 1"])
        #expect(try await top(2) { $0.tags = ["echo"] } == ["bravo 1", "charlie 1"])
        #expect(try await top(3) { $0.search = try? SearchQuery("nothingmatchesthis") } == [])
    }

    @Test("a cursor from another listing is refused")
    func foreignCursor() async throws {
        let database = try AppDatabase.inMemory()
        var query = ArticleQuery()
        query.cursor = Cursor(order: "tags", key: "x", count: 1, last: "x")
        await #expect(throws: QueryError.invalidCursor) { try await database.articles(query) }
        query.cursor = Cursor(order: "-published_at", key: nil, last: "not-a-number")
        await #expect(throws: QueryError.invalidCursor) { try await database.articles(query) }
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Facets from the postings and the facet columns against SQL's counts over the matching articles.
extension PostingsRankerTests {
    @Test("the facet cutoff is the limit-th largest positive count, ties counted, as sorting every count gives")
    func facetCutoff() {
        var random = Random(state: 7)
        for _ in 0..<500 {
            let counts = (0..<random.next(60)).map { _ in random.next(3) == 0 ? 0 : random.next(12) }
            let limit = 1 + random.next(25)
            let sorted = counts.filter { $0 > 0 }.sorted(by: >)
            let expected = sorted.isEmpty ? nil : sorted[min(limit, sorted.count) - 1]
            #expect(FacetColumns.cutoff(counts, limit: limit) == expected, "\(counts) limit \(limit)")
        }
    }

    @Test("a search's facets from its postings and the facet columns are the SQL count's, across writes")
    func facetsAsReference() async throws {
        var random = Random(state: 2_026)
        let database = try AppDatabase.inMemory()
        let sources = ["Coast News", "Bergens Tidende", "NRK", "Reuters"]
        let tags = ["Police", "Oslo", "Darknet", "Courts", "C++", "Bergen", "Europol"]
        func article(_ number: Int) -> ExtractedArticle {
            var article = Self.article(&random, number: number)
            article.language = ["en", "no", "sv"][random.next(3)]
            article.source = random.next(5) == 0 ? nil : Publisher(name: sources[random.next(sources.count)])
            article.publishedAt =
                random.next(6) == 0 ? nil : Date(timeIntervalSince1970: Double(random.next(600)) * 86_400 * 30)
            article.tags = (0..<random.next(4)).map { _ in
                let name = tags[random.next(tags.count)]
                return Tag(slug: name.lowercased(), name: name)
            }
            return article
        }
        _ = try await database.importArticles((0..<300).map(article), now: Date())
        for round in 0..<30 {
            var query = ArticleQuery()
            query.search = try Self.query(&random)
            let asked = query
            let facets = Set(Facet.allCases)
            let (answered, fast, reference) = try await database.writer.read { db in
                (
                    try PostingsRanker.matches(asked.search!, in: db) != nil,
                    try FacetCounter.counts(facets, for: asked, limit: 5, columns: database.facetColumns, in: db),
                    try FacetCounter.matchCounts(facets, for: asked, limit: 5, in: db)
                )
            }
            #expect(answered, "round \(round)")
            for facet in facets {
                #expect(
                    fast[facet]?.map { "\($0.value)=\($0.count)" }
                        == reference[facet]?.map { "\($0.value)=\($0.count)" },
                    "round \(round), \(facet), '\(asked.search!.ftsExpression)'"
                )
            }
            // The same search filtered, page by page, as FTS5 ranks it.
            var filtered = asked
            switch random.next(4) {
            case 0: filtered.languages = ["no"]
            case 1: filtered.sources = [sources[random.next(sources.count)]]
            case 2: filtered.tags = [tags[random.next(tags.count)]]
            default: filtered.from = Date(timeIntervalSince1970: Double(random.next(600)) * 86_400 * 30)
            }
            filtered.sort = .relevance
            filtered.limit = 1 + random.next(25)
            var cursors: (ClippingsStore.Cursor?, ClippingsStore.Cursor?) = (nil, nil)
            for page in 0..<3 {
                let context = "round \(round) '\(asked.search!.ftsExpression)', filtered, page \(page)"
                cursors = try await Self.comparePage(database, filtered, cursors: cursors, context)
                guard cursors.0 != nil else { break }
            }
            // Its facets, and the filtered listing's without the search, as SQL counts them.
            var listing = filtered
            listing.search = nil
            listing.sort = .newest
            // And a phrase's, whose matches FTS5 finds (two common words, so that some articles hold it).
            var phrase = asked
            let words = (0..<2).map { _ in Self.searchable[random.skewed(8)] }
            phrase.search = try SearchQuery("\"\(words.joined(separator: " "))\"")
            var filteredPhrase = filtered
            filteredPhrase.search = phrase.search
            for counted in [filtered, listing, phrase, filteredPhrase] {
                let (fast, reference) = try await database.writer.read { db in
                    (
                        try FacetCounter.counts(facets, for: counted, limit: 5, columns: database.facetColumns, in: db),
                        try FacetCounter.matchCounts(facets, for: counted, limit: 5, in: db)
                    )
                }
                for facet in facets {
                    #expect(
                        fast[facet]?.map { "\($0.value)=\($0.count)" }
                            == reference[facet]?.map { "\($0.value)=\($0.count)" },
                        "round \(round), \(facet), filtered, searched: \(counted.search != nil)"
                    )
                }
            }
            // A write between rounds: the columns must follow it.
            switch random.next(3) {
            case 0: _ = try await database.deleteArticle(id: Int64(1 + random.next(300)))
            case 1:
                var changes = ArticleChanges()
                changes.tags = [Tag(slug: "europol", name: "Europol")]
                changes.language = "no"
                _ = try await database.updateArticle(id: Int64(1 + random.next(300)), changes)
            default: _ = try await database.importArticle(article(1_000 + round))
            }
        }
    }

    @Test(
        "searches that find the facet columns stale build them once between them, and the refresh after writes keeps them current"
    )
    func facetColumnsBuiltOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase.open(path: folder.appendingPathComponent("archive.sqlite").path)
        var random = Random(state: 7)
        _ = try await database.importArticles((0..<200).map { Self.article(&random, number: $0) }, now: Date())
        var query = ArticleQuery()
        query.search = try SearchQuery("police")
        let asked = query
        func countAll() async throws -> [String] {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let counts = try await database.facets([.language, .year], for: asked, limit: 5)
                        return "\(counts[.language]?.map { "\($0.value)=\($0.count)" } ?? [])"
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        let first = try await countAll()
        #expect(Set(first).count == 1)
        #expect(database.facetColumns.buildCount == 1)

        _ = try await database.importArticle(Self.article(&random, number: 1_000))
        try await database.writer.read { db in try database.facetColumns.refresh(in: db) }
        #expect(database.facetColumns.buildCount == 2)
        _ = try await countAll()
        #expect(database.facetColumns.buildCount == 2, "the refresh left them current")
    }

    @Test("facets asked after a page count the matches the page kept, and a write between them is seen")
    func facetsAfterPage() async throws {
        var random = Random(state: 5)
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles((0..<200).map { Self.article(&random, number: $0) }, now: Date())
        var query = ArticleQuery()
        // Many words: the page ranks every match and keeps them for the facets.
        query.search = try SearchQuery("police OR oslo OR market OR the OR bergen OR dark")
        query.sort = .relevance
        query.languages = ["en"]
        let asked = query
        for round in 0..<3 {
            let total = try await database.articles(asked).total
            let fast = try await database.facets([.language, .year], for: asked, limit: 5)
            let reference = try await database.writer.read { db in
                try FacetCounter.matchCounts([.language, .year], for: asked, limit: 5, in: db)
            }
            #expect(fast[.language]?.first?.count == total, "round \(round)")
            #expect(fast[.language]?.map(\.count) == reference[.language]?.map(\.count), "round \(round)")
            // A write the kept matches do not know.
            _ = try await database.deleteArticle(id: Int64(1 + round))
            _ = try await database.importArticle(Self.article(&random, number: 1_000 + round))
        }
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Articles written for these tests, with the fields the store cares about.
enum Sample {
    static func article(
        _ title: String,
        url: String? = nil,
        date: String? = nil,
        tags: [String] = [],
        source: String? = nil,
        language: String = "en",
        author: String? = nil,
        body: String? = nil
    ) -> ExtractedArticle {
        ExtractedArticle(
            title: title,
            author: author,
            publishedAt: date.map { try! Date($0 + "T12:00:00Z", strategy: .iso8601) },
            source: source.map { Publisher(name: $0, domain: $0.lowercased() + ".example") },
            url: url,
            language: language,
            categories: ["News"],
            tags: tags.map { Tag(slug: Slugifier.slug($0), name: $0) },
            paragraphs: [body ?? "Body of \(title).", "A second paragraph about \(title)."],
            links: [Link(url: "https://example.org/ref", text: "a reference")],
            images: [Image(url: "https://example.org/a.jpg", alt: nil)],
            format: .plainText
        )
    }
}

@Suite("Archive storage")
struct StoreTests {
    @Test("schema: WAL file, foreign keys on, FTS5 table in sync with articles")
    func schema() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clippings-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try AppDatabase.open(path: path)
        _ = try await database.importArticle(
            Sample.article("Fjord ferries run late", body: "Ferries in the fjord ran late."),
            now: Date()
        )
        let (journal, foreignKeys, matches) = try await database.writer.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article_fts WHERE article_fts MATCH 'ferries'")
            )
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(matches == 1)
    }

    @Test("the integrity check passes on a sound archive and names what a damaged one lost")
    func integrityCheck() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles([
            Sample.article("Ferries return", tags: ["Ferries"], source: "NRK"), Sample.article("Quay approved"),
        ])
        #expect(try await database.integrityProblems().isEmpty)

        // An article whose index row vanished (what a torn write would leave) is caught twice over.
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM article_fts_docsize WHERE id = (SELECT max(id) FROM article)")
        }
        let problems = try await database.integrityProblems().map(\.check)
        #expect(problems.contains("fts_rows"))
        #expect(problems.contains("fts_integrity_check"))
        #expect(!problems.contains("article_counts"))
        try await database.writer.write { db in try db.execute(sql: "UPDATE tag SET article_count = 7") }
        #expect(try await database.integrityProblems().map(\.check).contains("article_counts"))
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE tag SET article_count = 1; UPDATE archive_count SET articles = 5")
        }
        let details = try await database.integrityProblems().filter { $0.check == "article_counts" }.map(\.detail)
        #expect(details == ["the archive is miscounted"])
    }

    @Test("closing folds the write-ahead log in: the database file alone is the whole archive")
    func closeCheckpoints() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("close-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("archive.sqlite").path
        let database = try AppDatabase.open(path: path)
        // Imports run with checkpoints on a connection of their own.
        let outcomes = try await database.checkpointingInBackground(every: .milliseconds(1)) {
            try await database.importArticles([Sample.article("Ferries return"), Sample.article("Quay approved")])
        }
        #expect(outcomes.count == 2)
        try database.close()
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        // A copy of the file without its -wal and -shm companions, as a backup would take it.
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let reopened = try AppDatabase.open(path: copy)
        #expect(try await reopened.articleCount() == 2)
        try reopened.close()
    }

    @Test("the data version moves at once for this process's commits, and for another's once checked")
    func dataVersion() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("version-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("archive.sqlite").path
        // An interval no test outlives: only this process's own commits can move the version.
        let served = try AppDatabase.open(path: path, changeCheckInterval: .seconds(3600))
        let start = try served.dataVersion()
        #expect(try served.dataVersion() == start)
        _ = try await served.importArticles([Sample.article("Ferries return")])
        let afterOwn = try served.dataVersion()
        #expect(afterOwn != start)

        let other = try AppDatabase.open(path: path)
        _ = try await other.importArticles([Sample.article("Quay approved")])
        #expect(try served.dataVersion() == afterOwn)  // not looked for yet

        // Checked on every call: another connection's commit shows on the next call.
        let watching = try AppDatabase.open(path: path, changeCheckInterval: .zero)
        let before = try watching.dataVersion()
        _ = try await other.importArticles([Sample.article("Storm hits coast")])
        #expect(try watching.dataVersion() != before)
        // A short interval: shows once it has passed.
        let brief = try AppDatabase.open(path: path, changeCheckInterval: .milliseconds(5))
        let briefBefore = try brief.dataVersion()
        _ = try await other.importArticles([Sample.article("Bridge reopens")])
        try await Task.sleep(for: .milliseconds(20))
        #expect(try brief.dataVersion() != briefBefore)
        for database in [served, other, watching, brief] { try database.close() }
    }

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

    @Test("a common tag's listing walks the order's index and gives the pages a rare tag's plan would")
    func commonTagListing() async throws {
        let database = try AppDatabase.inMemory()
        // Past the walk threshold: every article is `common`; every seventh is also `rare`, and a few are undated.
        let count = ArticleLister.orderedWalkThreshold + 100
        let articles: [ExtractedArticle] = (0..<count).map { (index: Int) -> ExtractedArticle in
            let year = 10 + index % 12
            let day = 1 + index % 28
            let date: String? = index % 50 == 0 ? nil : String(format: "20%02d-%02d-%02d", year, 1 + index % 12, day)
            let tags = index % 7 == 0 ? ["Common", "Rare"] : ["Common"]
            return Sample.article("Item \(index)", date: date, tags: tags, body: "Body number \(index).")
        }
        _ = try await database.importArticles(articles)
        for sort in [ArticleQuery.Sort.newest, .oldest, .title] {
            var common = ArticleQuery()
            common.tags = ["common"]
            common.sort = sort
            common.limit = 100
            var everything = common
            everything.tags = []
            var rare = common
            rare.tags = ["rare"]
            let (walksCommon, walksRare) = (common, rare)
            #expect(try await database.writer.read { try ArticleLister.walksInOrder(walksCommon, in: $0) })
            #expect(try await database.writer.read { try ArticleLister.walksInOrder(walksRare, in: $0) } == false)
            // Every article is `common`, so its pages are the unfiltered listing's, cursors included.
            for _ in 0..<3 {
                let walked = try await database.articles(common)
                let plain = try await database.articles(everything)
                #expect(walked.items.map(\.id) == plain.items.map(\.id))
                #expect(walked.total == count && walked.nextCursor == plain.nextCursor)
                common.cursor = walked.nextCursor.flatMap(Cursor.init(token:))
                everything.cursor = common.cursor
            }
            #expect(try await database.articles(rare).total == (count + 6) / 7)
        }
        // A date range with the common tag counts what it should.
        var ranged = ArticleQuery()
        ranged.tags = ["common"]
        ranged.from = try Date("2012-01-01T00:00:00Z", strategy: .iso8601)
        ranged.until = try Date("2014-01-01T00:00:00Z", strategy: .iso8601)
        let expected = articles.filter { article in
            article.publishedAt.map { $0 >= ranged.from! && $0 < ranged.until! } ?? false
        }.count
        #expect(try await database.articles(ranged).total == expected)
    }

    @Test("a page after a cursor seeks into the order's index: no sort, no read from the start")
    func deepPagePlan() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles(
            (1...30).map { Sample.article("Item \($0)", date: $0 % 5 == 0 ? nil : "2021-01-\(10 + $0 % 19)") }
        )
        for sort in [ArticleQuery.Sort.newest, .oldest, .title] {
            for key in [sort == .title ? "item" : "2021-01-15T12:00:00Z", nil] {
                guard sort == .title ? key != nil : true else { continue }
                var query = ArticleQuery()
                query.sort = sort
                query.cursor = Cursor(order: sort.rawValue, key: key, last: "12")
                let deep = query
                let plan = try await database.writer.read { db in
                    let (sql, arguments) = try ArticleLister.listSQL(deep, in: db)
                    return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                        .map { $0["detail"] as String }
                }
                let reads = plan.filter { $0.hasPrefix("SEARCH a ") || $0.hasPrefix("SCAN a ") }
                #expect(!reads.isEmpty && reads.allSatisfy { $0.hasPrefix("SEARCH a USING") }, "\(sort) \(plan)")
                // Only the union of the two date parts is sorted, and it holds two pages at most.
                #expect(plan.filter { $0.contains("TEMP B-TREE") }.count == (key != nil && sort != .title ? 1 : 0))
            }
        }
    }

    @Test(
        "a tag over a date range: walked, the order's index is sought at the range, unsorted; collected, only links in range"
    )
    func tagDateRangePlans() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles(
            (1...30).map { Sample.article("Item \($0)", date: "2021-01-\(10 + $0 % 19)", tags: ["Common"]) }
        )
        for sort in [ArticleQuery.Sort.newest, .oldest] {
            var query = ArticleQuery()
            query.sort = sort
            query.tags = ["common"]
            query.from = try Date("2021-01-12T00:00:00Z", strategy: .iso8601)
            query.until = try Date("2021-01-20T00:00:00Z", strategy: .iso8601)
            let ranged = query
            // Link counts either side of the walk threshold choose the plan.
            let (walked, collected) = try await database.writer.read { db in
                let plan = { (links: Int) in
                    let (sql, arguments) = try ArticleLister.listSQL(ranged, tagLinks: links, in: db)
                    return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                        .map { $0["detail"] as String }
                }
                return (try plan(ArticleLister.orderedWalkThreshold + 1), try plan(10))
            }
            let index = sort == .newest ? "article_by_newest" : "article_by_oldest"
            #expect(
                walked.contains { $0.hasPrefix("SEARCH a USING INDEX \(index) (<expr>=? AND published_at>?") },
                "\(walked)"
            )
            #expect(!walked.contains { $0.contains("TEMP B-TREE") }, "\(walked)")
            #expect(
                collected.contains {
                    $0.contains("article_tag_by_date (tag_id=? AND published_at>? AND published_at<?)")
                },
                "\(collected)"
            )
            // Both plans give the same page.
            let pages = try await database.writer.read { db in
                try [ArticleLister.orderedWalkThreshold + 1, 10].map { links in
                    let (sql, arguments) = try ArticleLister.listSQL(ranged, tagLinks: links, in: db)
                    return try Row.fetchAll(db, sql: sql, arguments: arguments).map { $0["id"] as Int64 }
                }
            }
            #expect(pages[0] == pages[1] && pages[0].count == 16, "\(pages)")
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
                        ]
                        for (facet, valuesOf) in values {
                            var counts: [String: Int] = [:]
                            for id in expected { for value in valuesOf(id) { counts[value, default: 0] += 1 } }
                            let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                .prefix(3)
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

    @Test("the importer reads folders, reports per file, and never stops at a bad file")
    func importer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clippings-import-\(UUID())")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("nested"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Headline one\n\nFirst body paragraph.".write(
            to: folder.appendingPathComponent("a.txt"),
            atomically: true,
            encoding: .utf8
        )
        try "   \n".write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try "Headline one\n\nFirst body paragraph.".write(
            to: folder.appendingPathComponent("nested/c.txt"),
            atomically: true,
            encoding: .utf8
        )
        let database = try AppDatabase.inMemory()
        let summary = await DocumentImporter(store: database).importPaths([
            folder.path, folder.appendingPathComponent("missing").path,
        ])
        #expect(summary.imported == 1)
        #expect(summary.duplicates == 1)
        #expect(summary.failed == 2)
        #expect(summary.results.first?.status == .failed("no such file or folder"))
        #expect(
            summary.results.map { ($0.path as NSString).lastPathComponent } == ["missing", "a.txt", "b.txt", "c.txt"]
        )

        // NDJSON files are read line by line when a line reader is given; bad lines cost only themselves.
        let lines = folder.appendingPathComponent("batch.ndjson")
        try "one\n\ntwo\nbad\n".write(to: lines, atomically: true, encoding: .utf8)
        let reader: @Sendable (String) throws -> PreparedArticle = { line in
            guard !line.contains("bad") else { throw ExtractionError.emptyDocument }
            return PreparedArticle(Sample.article("Line \(line)"))
        }
        let ndjson = await DocumentImporter(store: try AppDatabase.inMemory(), lineReader: reader).importPaths([
            lines.path
        ])
        #expect(ndjson.results.map(\.path) == ["\(lines.path):1", "\(lines.path):3", "\(lines.path):4"])
        #expect(ndjson.imported == 2 && ndjson.failed == 1)
        try FileManager.default.removeItem(at: lines)

        // A JSON file holds one article or an array of them, reported by index.
        let array = folder.appendingPathComponent("batch.json")
        try #"[{"title": "three"}, {"title": "bad"}]"#.write(to: array, atomically: true, encoding: .utf8)
        let single = folder.appendingPathComponent("single.json")
        try #"{"title": "four"}"#.write(to: single, atomically: true, encoding: .utf8)
        let json = await DocumentImporter(store: try AppDatabase.inMemory(), lineReader: reader).importPaths(
            [array.path, single.path],
            jobs: 2
        )
        #expect(json.results.map(\.path) == ["\(array.path)[0]", "\(array.path)[1]", single.path])
        #expect(json.imported == 2 && json.failed == 1)
        try FileManager.default.removeItem(at: array)
        try FileManager.default.removeItem(at: single)

        // The same files extracted four at a time, stored two per transaction, give the same results.
        let parallel = await DocumentImporter(store: try AppDatabase.inMemory()).importPaths(
            [folder.path],
            jobs: 4,
            batchSize: 2
        )
        #expect(parallel.imported == 1 && parallel.duplicates == 1 && parallel.failed == 1)
    }

    @Test("stored bodies split into the paragraphs they were joined from")
    func storedParagraphs() {
        for body in ["a", "one\n\ntwo", "line\nbreak\n\nnext", "Tromsø\n\nÆrlig 🚢\n\nslutt.", "trailing\n"] {
            #expect(ArticleRules.paragraphs(of: body) == body.components(separatedBy: "\n\n"))
        }
        #expect(ArticleRules.paragraphs(of: "").isEmpty)
    }

    @Test("import batches start small, double up to the batch size, and cover every item once")
    func importBatches() {
        let batches = DocumentImporter.batches(of: 10_000, size: 4096)
        #expect(batches.map(\.count) == [256, 512, 1024, 2048, 4096, 2064])
        #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(batches.first?.lowerBound == 0 && batches.last?.upperBound == 10_000)
        #expect(DocumentImporter.batches(of: 3, size: 1) == [0..<1, 1..<2, 2..<3])
        #expect(DocumentImporter.batches(of: 0, size: 4096).isEmpty)
    }

    @Test("a read-only or full archive is 'unavailable' (503), not an internal error")
    func unavailableStorage() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try AppDatabase.open(path: path)
        _ = try await database.importArticle(Sample.article("Ferries return"), now: Date())
        try database.close()

        var configuration = Configuration()
        configuration.readonly = true
        let readOnly = try DatabaseQueue(path: path, configuration: configuration)
        let count = try await readOnly.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM article") }
        #expect(count == 1)
        do {
            try readOnly.inDatabase { db in try db.execute(sql: "INSERT INTO tag (slug, name) VALUES ('x', 'x')") }
            Issue.record("a write to a read-only database succeeded")
        } catch {
            #expect(StorageAvailability.unavailability(of: error)?.contains("read-only") == true)
        }
        #expect(StorageAvailability.unavailability(of: DatabaseError(resultCode: .SQLITE_FULL)) != nil)
        #expect(StorageAvailability.unavailability(of: DatabaseError(resultCode: .SQLITE_CONSTRAINT)) == nil)
        #expect(StorageAvailability.unavailability(of: CancellationError()) == nil)
    }
}

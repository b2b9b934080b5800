import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// The plans SQLite chooses for listings: index walks and seeks, no sorts of whole ranges.
@Suite("Query plans")
struct QueryPlanTests {
    @Test("the facet columns are read from covering indexes, never from the article rows and their text")
    func facetColumnsFromIndexes() async throws {
        let database = try AppDatabase.inMemory()
        for sql in [FacetColumns.sourcesAndYears, FacetColumns.languagesOfArticles] {
            let plan = try await database.writer.read { try QueryPlan($0, sql) }
            #expect(!plan.reads("article").isEmpty && !plan.readsRows(of: "article"), "\(plan)")
            #expect(plan.temporarySorts == 0, "\(plan)")
        }
    }

    @Test("sorted by title, a common language or source walks the title index, with the pages sorting would give")
    func commonLanguageByTitle() async throws {
        let database = try AppDatabase.inMemory()
        // Past the walk threshold: two thirds are from Beta, all but every fiftieth in Norwegian.
        let count = ArticleLister.orderedWalkThreshold * 2
        let articles: [ExtractedArticle] = (0..<count).map { index in
            Sample.article(
                "Item \((index * 7919) % count)",
                tags: [],
                source: index % 3 == 0 ? "Alpha" : "Beta",
                language: index % 50 == 0 ? "en" : "no",
                body: "Body number \(index)."
            )
        }
        _ = try await database.importArticles(articles)
        for (languages, sources, walks) in [(["no"], [String](), true), (["en"], [], false), ([], ["beta"], true)] {
            var query = ArticleQuery()
            query.sort = .title
            query.languages = languages
            query.sources = sources
            query.limit = 100
            let total = try await database.articles(query).total
            let counted = query
            #expect(
                try await database.writer.read { try ArticleLister.walksInOrder(counted, matches: total, in: $0) }
                    == walks
            )
            // The order sorting would give: title key, then id.
            let expected = try await database.writer.read { db in
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT a.id FROM article a NOT INDEXED LEFT JOIN source s ON s.id = a.source_id
                        WHERE (? = '' OR a.language = ?) AND (? = '' OR s.slug = ?) ORDER BY a.title_key, a.id
                        """,
                    arguments: [languages.first ?? "", languages.first ?? "", sources.first ?? "", sources.first ?? ""]
                )
            }
            #expect(total == expected.count)
            var seen: [Int64] = []
            repeat {
                let page = try await database.articles(query)
                seen += page.items.map(\.id)
                query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
            } while query.cursor != nil && seen.count < 300
            #expect(seen == Array(expected.prefix(seen.count)), "\(languages) \(sources)")
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
            // Every article is `common`, so its pages are the unfiltered listing's, cursor positions included
            // (each listing's cursors are its own).
            for _ in 0..<3 {
                let walked = try await database.articles(common)
                let plain = try await database.articles(everything)
                #expect(walked.items.map(\.id) == plain.items.map(\.id))
                common.cursor = walked.nextCursor.flatMap(Cursor.init(token:))
                everything.cursor = plain.nextCursor.flatMap(Cursor.init(token:))
                #expect(walked.total == count && common.cursor?.key == everything.cursor?.key)
                #expect(
                    common.cursor?.last == everything.cursor?.last && common.cursor?.scope != everything.cursor?.scope
                )
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
                    return try QueryPlan(db, sql, arguments: arguments)
                }
                #expect(!plan.reads("a").isEmpty && !plan.scans("a"), "\(sort) \(plan)")
                // Only the union of the two date parts is sorted, and it holds two pages at most.
                #expect(plan.temporarySorts == (key != nil && sort != .title ? 1 : 0), "\(sort) \(plan)")
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
                    return try QueryPlan(db, sql, arguments: arguments)
                }
                return (try plan(ArticleLister.orderedWalkThreshold + 1), try plan(10))
            }
            let index = sort == .newest ? "article_by_newest" : "article_by_oldest"
            #expect(walked.seeks(index, constraining: ["published_at"]) && !walked.scans("a"), "\(walked)")
            #expect(walked.temporarySorts == 0, "\(walked)")
            #expect(collected.seeks("article_tag_by_date", constraining: ["tag_id", "published_at"]), "\(collected)")
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
}

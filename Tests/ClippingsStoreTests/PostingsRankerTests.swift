import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// The ranked search over the postings against FTS5's, its reference: on random archives and random
/// queries, every page must hold the same articles in the same order with the same scores, totals and
/// cursors, also while articles are added, edited and deleted between pages.
@Suite("Postings ranker")
struct PostingsRankerTests {
    /// xorshift64*: deterministic, so a failure is the same on every run.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
        }
        /// An index skewed to the front, as word frequencies are (roughly Zipf's).
        mutating func skewed(_ count: Int) -> Int { min(next(count), next(count), next(count)) }
    }

    /// Words whose tokens exercise the tokenizer: plurals it stems, letters it folds, digits, apostrophes.
    static let vocabulary = [
        "police", "oslo", "market", "markets", "operation", "operations", "the", "bergen", "fløystad", "floystad",
        "darknet", "dark", "room", "reikrås", "policies", "policy", "2016", "court", "court's", "sweden", "politiet",
        "etterforskning", "arrest", "arrests", "forum", "trader", "traders", "vendor", "drug", "drugs", "europol",
        "investigation", "raid", "raids", "server", "servers", "bitcoin", "crypto", "seizure", "seizures", "ær",
        "sak", "saken", "bus", "glass", "status", "cases", "case", "zero", "one", "two", "three",
    ]

    static func text(_ random: inout Random, words: Int) -> String {
        (0..<words).map { _ in vocabulary[random.skewed(vocabulary.count)] }.joined(separator: " ")
    }

    static func article(_ random: inout Random, number: Int) -> ExtractedArticle {
        let paragraphs = (0..<(1 + random.next(4))).map { _ in
            text(&random, words: 3 + random.next(random.next(10) == 0 ? 400 : 60)) + "."
        }
        return ExtractedArticle(
            title: text(&random, words: 1 + random.next(8)) + " \(number)",
            language: "en",
            paragraphs: paragraphs,
            format: .plainText
        )
    }

    /// The words a search can take from the postings: one token each (`court's` is a phrase of two).
    static let searchable = vocabulary.filter { !$0.contains("'") }

    static func query(_ random: inout Random) throws -> SearchQuery {
        let vocabulary = searchable
        var parts: [String] = []
        var prefixes = 0
        // Now and then many groups: more words than the ranking by bounds takes (`exhaustiveWords`).
        for _ in 0..<(random.next(4) == 0 ? 5 + random.next(4) : 1 + random.next(3)) {
            let alternatives = (0..<(1 + (random.next(4) == 0 ? 1 + random.next(3) : 0))).map { _ in
                let word = vocabulary[random.skewed(vocabulary.count)]
                // A prefix (`pol*`: police, policy, politiet), as long as the query language allows.
                guard random.next(5) == 0, word.count > SearchQuery.minimumPrefixLength,
                    prefixes < SearchQuery.maximumPrefixTerms
                else { return word }
                prefixes += 1
                return word.prefix(SearchQuery.minimumPrefixLength + random.next(word.count - 3)) + "*"
            }
            parts.append(alternatives.joined(separator: " OR "))
        }
        if random.next(5) == 0 { parts.append("-" + vocabulary[random.next(vocabulary.count)]) }
        if random.next(10) == 0 { parts.append("unheardof") }
        return try SearchQuery(parts.joined(separator: " "))
    }

    /// One page by both paths, compared; the next cursors of each. `ranked`: the page is one the postings
    /// rank by relevance (a sorted page may be FTS5's when its matches are few).
    static func comparePage(
        _ database: AppDatabase,
        _ query: ArticleQuery,
        cursors: (ClippingsStore.Cursor?, ClippingsStore.Cursor?),
        _ context: String,
        ranked: Bool = true
    ) async throws -> (ClippingsStore.Cursor?, ClippingsStore.Cursor?) {
        var fastQuery = query
        fastQuery.cursor = cursors.0
        var referenceQuery = query
        referenceQuery.cursor = cursors.1
        let (fast, reference) = (fastQuery, referenceQuery)
        let (answered, fastPage, referencePage) = try await database.writer.read { db in
            (
                try PostingsRanker.page(fast, query.search!, in: db) != nil,
                try ArticleLister.page(fast, in: db),
                try ArticleLister.page(reference, postings: false, in: db)
            )
        }
        #expect(answered || !ranked, "the postings did not answer \(context)")
        #expect(fastPage.items.map(\.id) == referencePage.items.map(\.id), "\(context)")
        for (a, b) in zip(fastPage.items, referencePage.items) {
            #expect(abs((a.hit?.score ?? 0) - (b.hit?.score ?? 0)) <= 1e-9, "\(context): article \(a.id)")
            #expect(a.hit?.snippet == b.hit?.snippet)
        }
        #expect(fastPage.total == referencePage.total, "\(context)")
        #expect(fastPage.nextCursor == referencePage.nextCursor, "\(context)")
        return (
            fastPage.nextCursor.flatMap(ClippingsStore.Cursor.init(token:)),
            referencePage.nextCursor.flatMap(ClippingsStore.Cursor.init(token:))
        )
    }

    @Test("random archives and queries: the same ids, order, scores, totals and cursors as FTS5's ranking")
    func sameAsReference() async throws {
        for seed: UInt64 in [7, 99_991] {
            var random = Random(state: seed)
            let database = try AppDatabase.inMemory()
            // Several commits, so terms span several blocks filled in several steps.
            for batch in 0..<4 {
                _ = try await database.importArticles(
                    (0..<100).map { Self.article(&random, number: batch * 100 + $0) },
                    now: Date()
                )
            }
            var compared = 0
            for round in 0..<25 {
                var query = ArticleQuery()
                query.search = try Self.query(&random)
                query.sort = .relevance
                query.limit = 1 + random.next(25)
                var cursors: (ClippingsStore.Cursor?, ClippingsStore.Cursor?) = (nil, nil)
                for page in 0..<4 {
                    let context = "seed \(seed), query \(round) '\(query.search!.ftsExpression)', page \(page)"
                    cursors = try await Self.comparePage(database, query, cursors: cursors, context)
                    compared += 1
                    guard cursors.0 != nil else { break }
                    // Writes between pages: the cursors' carried ranking must hold on both paths alike.
                    if random.next(3) == 0 {
                        let id = Int64(1 + random.next(400))
                        switch random.next(3) {
                        case 0: _ = try await database.deleteArticle(id: id)
                        case 1:
                            var changes = ArticleChanges()
                            changes.title = Self.text(&random, words: 3)
                            _ = try await database.updateArticle(id: id, changes)
                            // A new body, as re-extraction writes it.
                            let body = Self.text(&random, words: 20 + random.next(200))
                            try await database.writeArticles { db in
                                try db.execute(sql: "UPDATE article SET body = ? WHERE id = ?", arguments: [body, id])
                            }
                        default:
                            _ = try await database.importArticle(Self.article(&random, number: 1_000 + round))
                        }
                    }
                }
            }
            #expect(compared >= 25)
        }
    }

    @Test("many words OR'd, where only some words' articles are candidates once a page is full, rank as FTS5")
    func manyWordsOrAsReference() async throws {
        var random = Random(state: 4_242)
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles((0..<500).map { Self.article(&random, number: $0) }, now: Date())
        for round in 0..<20 {
            // Common and rare words together: the common ones' bounds are what the page's score passes.
            let words = (0..<(3 + random.next(8))).map { _ in
                Self.searchable[random.next(2) == 0 ? random.skewed(8) : random.next(Self.searchable.count)]
            }
            var query = ArticleQuery()
            query.search = try SearchQuery(words.joined(separator: " OR "))
            query.sort = .relevance
            query.limit = 1 + random.next(10)
            var cursors: (ClippingsStore.Cursor?, ClippingsStore.Cursor?) = (nil, nil)
            for page in 0..<3 {
                cursors = try await Self.comparePage(database, query, cursors: cursors, "round \(round), page \(page)")
                guard cursors.0 != nil else { break }
            }
        }
    }

    @Test("the integrity check compares the postings with the full-text index")
    func integrity() async throws {
        var random = Random(state: 11)
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles((0..<60).map { Self.article(&random, number: $0) }, now: Date())
        #expect(try await database.integrityProblems().isEmpty)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE search_term SET articles = articles + 1 WHERE term = 'police'")
        }
        let problems = try await database.integrityProblems().filter { $0.check == "search_postings" }
        #expect(problems.map(\.detail) == ["the postings of 'police' differ from the full-text index"])
    }

    @Test("changes another path leaves queued are searched by FTS5 until applied, then by the postings")
    func queuedChanges() async throws {
        var random = Random(state: 42)
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles((0..<50).map { Self.article(&random, number: $0) }, now: Date())
        var asked = ArticleQuery()
        asked.search = try SearchQuery("zebra OR police")
        asked.sort = .relevance
        let query = asked
        // A write that does not apply its changes (as a process without this code would leave them).
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE article SET body = 'zebra zebra zebra' WHERE id = 3")
        }
        let queued = try await database.writer.read { db in
            (try PostingsRanker.page(query, query.search!, in: db), try ArticleLister.page(query, in: db))
        }
        #expect(queued.0 == nil)
        #expect(queued.1.items.contains { $0.id == 3 })
        #expect(try await database.updateSearchPostings() == 1)
        let applied = try await database.writer.read { db in
            (try PostingsRanker.page(query, query.search!, in: db), try ArticleLister.page(query, in: db))
        }
        #expect(applied.0 != nil)
        #expect(applied.1.items.map(\.id) == queued.1.items.map(\.id))
    }

    @Test("article bitmaps: union, intersection, difference, count and ids as Swift's sets give them")
    func bitmapsAsSets() {
        var random = Random(state: 99)
        for _ in 0..<50 {
            let maxID = Int64(1 + random.next(5_000))
            let sets = (0..<3).map { _ in Set((0..<random.next(400)).map { _ in Int64(random.next(Int(maxID) + 1)) }) }
            let bitmaps = sets.map { set in
                var bitmap = ArticleBitmap(upTo: maxID)
                for id in set { bitmap.insert(id) }
                return bitmap
            }
            var result = bitmaps[0]
            result.formUnion(bitmaps[1])
            result.formIntersection(bitmaps[2])
            result.subtract(bitmaps[0])
            let expected = sets[0].union(sets[1]).intersection(sets[2]).subtracting(sets[0])
            #expect(result.ids == expected.sorted())
            #expect(result.count == expected.count)
        }
    }

    @Test("blocks round-trip, keep their bounds, and hold at most the block size")
    func blocks() async throws {
        let postings = (0..<300).map { (number: Int) -> Posting in
            Posting(
                id: Int64(number * 3 + 1),
                title: Int32(number % 4),
                body: Int32(number % 17),
                length: Int32(40 + number)
            )
        }
        let block = PostingBlock(postings: postings)
        #expect(PostingBlock(data: block.data) == block)
        // The frontier: no impact dominates another, and every posting's is dominated by one of them.
        let impacts = block.bound.impacts
        #expect(block.bound.lastID == 898)
        #expect(BlockBound(lastID: 898, impactData: block.bound.impactData) == block.bound)
        for impact in impacts {
            #expect(!impacts.contains { $0 != impact && $0.dominates(impact) })
        }
        #expect(postings.allSatisfy { posting in impacts.contains { $0.dominates(posting.impact) } })
        let database = try AppDatabase.inMemory()
        var random = Random(state: 3)
        _ = try await database.importArticles((0..<400).map { Self.article(&random, number: $0) }, now: Date())
        let sizes = try await database.writer.read { db in
            try Int.fetchAll(db, sql: "SELECT postings FROM search_block")
        }
        #expect(sizes.allSatisfy { (1...SearchPostings.blockSize).contains($0) })
        #expect(sizes.contains(SearchPostings.blockSize))
        // Every term's article count is what FTS5's vocabulary says.
        let mismatches = try await database.writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM article_vocab v LEFT JOIN search_term t ON t.term = v.term
                    WHERE t.articles IS NOT v.doc
                    """
            )
        }
        #expect(mismatches == 0)
    }
}

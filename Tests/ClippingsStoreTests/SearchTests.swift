import ClippingsExtraction
import Foundation
import Testing

@testable import ClippingsStore

/// Full-text search through the query language, over articles written for these tests.
@Suite("Search")
struct SearchTests {
    static func archive() async throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        let documents: [(String, String, String)] = [
            ("Fløystad leads the probe", "Chief Gunnar Fløystad said the operations continue in Bergen.", "2020-01-01"),
            ("Floystad speaks", "Gunnar Floystad spoke to reporters about the investigation.", "2020-01-02"),
            ("Reikrås on the dark room", "Hilde Reikrås described Operation Dark Room to the press.", "2020-01-03"),
            ("Politiet etterforsker", "Politiets etterforskning av saken fortsetter i Bergen og Oslo.", "2020-01-04"),
            ("Darknet markets", "A police operation closed two darknet markets in Sweden.", "2020-01-05"),
            ("Deepweb forum", "Investigators took down a deepweb forum used by traders.", "2020-01-06"),
            ("Room to grow", "The dark wood room was painted; a separate story about interiors.", "2020-01-07"),
        ]
        for (title, body, date) in documents {
            _ = try await database.importArticle(Sample.article(title, date: date, body: body), now: Date())
        }
        return database
    }

    static func titles(
        _ database: AppDatabase,
        _ text: String,
        sort: ArticleQuery.Sort = .relevance
    ) async throws
        -> [String]
    {
        var query = ArticleQuery()
        query.search = try SearchQuery(text)
        query.sort = sort
        query.limit = 100
        return try await database.articles(query).items.map(\.title)
    }

    @Test("accents and Norwegian letters fold: both spellings find both articles")
    func diacritics() async throws {
        let database = try await Self.archive()
        #expect(Set(try await Self.titles(database, "Fløystad")) == ["Fløystad leads the probe", "Floystad speaks"])
        #expect(Set(try await Self.titles(database, "floystad")) == ["Fløystad leads the probe", "Floystad speaks"])
        #expect(try await Self.titles(database, "REIKRAS") == ["Reikrås on the dark room"])
    }

    @Test("English plurals match singulars; Norwegian words still match themselves")
    func stemming() async throws {
        let database = try await Self.archive()
        #expect(Set(try await Self.titles(database, "operation")).contains("Fløystad leads the probe"))
        #expect(Set(try await Self.titles(database, "markets")) == ["Darknet markets"])
        #expect(try await Self.titles(database, "etterforskning") == ["Politiet etterforsker"])
        #expect(try await Self.titles(database, "politiets") == ["Politiet etterforsker"])
    }

    @Test("the tokenizer folds letters unicode61 keeps and strips English plurals, byte for byte")
    func tokenRewrites() {
        let cases = [
            ("fløystad", "floystad"), ("æresord", "aeresord"), ("straße", "strasse"), ("operations", "operation"),
            ("policies", "policy"), ("cases", "case"), ("glass", "glass"), ("status", "status"), ("news", "new"),
            ("goes", "goes"), ("bus", "bus"), ("politiets", "politiet"), ("søkes", "soke"), ("ærø", "aero"),
        ]
        for (token, expected) in cases {
            #expect(ArchiveTokenizer.normalize(token) == expected, "\(token)")
        }
        #expect(ArchiveTokenizer.normalize("operations", stem: false) == "operations")
    }

    @Test("phrases, prefixes, OR and exclusion")
    func language() async throws {
        let database = try await Self.archive()
        #expect(try await Self.titles(database, "\"dark room\"") == ["Reikrås on the dark room"])
        #expect(Set(try await Self.titles(database, "dark room")) == ["Reikrås on the dark room", "Room to grow"])
        #expect(Set(try await Self.titles(database, "investig*")) == ["Floystad speaks", "Deepweb forum"])
        #expect(Set(try await Self.titles(database, "darknet OR deepweb")) == ["Darknet markets", "Deepweb forum"])
        #expect(try await Self.titles(database, "dark -\"dark room\"") == ["Room to grow"])
        #expect(try await Self.titles(database, "bergen -politiets") == ["Fløystad leads the probe"])
    }

    @Test("the title weighs more than the body")
    func titleWeight() async throws {
        let database = try AppDatabase.inMemory()
        // Same length, same single occurrence: only where the word stands differs.
        _ = try await database.importArticle(
            Sample.article("Ferry news", body: "The council met about the harbour budget on Monday."),
            now: Date()
        )
        _ = try await database.importArticle(
            Sample.article("Harbour news", body: "The council met about the ferry budget on Monday."),
            now: Date()
        )
        #expect(try await Self.titles(database, "harbour") == ["Harbour news", "Ferry news"])
    }

    @Test("results carry a score and an escaped snippet with marked matches")
    func snippets() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticle(
            Sample.article("Tags <b>", body: "The <script> tag & the \"quoted\" darknet word."),
            now: Date()
        )
        var query = ArticleQuery()
        query.search = try SearchQuery("darknet")
        query.sort = .relevance
        let hit = try #require(try await database.articles(query).items.first?.hit)
        #expect(hit.score > 0)
        let snippet = try #require(hit.snippet)
        #expect(snippet.contains("<mark>darknet</mark>"))
        #expect(snippet.contains("&lt;script&gt;") && snippet.contains("&amp;") && snippet.contains("&quot;"))
        #expect(!snippet.contains("<script>"))
    }

    @Test("snippets mark phrases and prefixes, read a long body only in part, and show the title for a title hit")
    func snippetShapes() async throws {
        let database = try AppDatabase.inMemory()
        let filler = String(repeating: "harbour ships cargo tides ", count: 1_000)
        let documents = [
            ("Phrase", "Before it. Operation Dark Room ended in Bergen, said the police."),
            ("Prefix", "Politiet i Bergen etterforsker saken videre."),
            ("Long", filler + "a needle at the very end."),
            ("Needle in the title", "Nothing about it in the body at all."),
        ]
        for (title, body) in documents {
            let article = ExtractedArticle(title: title, language: "en", paragraphs: [body], format: .plainText)
            _ = try await database.importArticle(article, now: Date())
        }
        func snippets(_ text: String) async throws -> [String: String] {
            var query = ArticleQuery()
            query.search = try SearchQuery(text)
            query.sort = .relevance
            let items = try await database.articles(query).items
            return Dictionary(uniqueKeysWithValues: items.map { ($0.title, $0.hit?.snippet ?? "") })
        }
        #expect(try await snippets("\"dark room\"")["Phrase"]?.contains("<mark>Dark Room</mark> ended") == true)
        #expect(try await snippets("polit*")["Prefix"]?.hasPrefix("<mark>Politiet</mark> i Bergen") == true)
        let needle = try await snippets("needle")
        // The long body's match lies past the part read: its excerpt is the body's start, unmarked.
        #expect(needle["Long"]?.hasPrefix("harbour ships cargo") == true)
        #expect(needle["Long"]?.contains("<mark>") == false)
        #expect(needle["Long"]?.hasSuffix("…") == true)
        #expect(needle["Needle in the title"] == "<mark>Needle</mark> in the title")
    }

    @Test("hostile queries are refused with a reason or answered, never an SQL error")
    func hostileInput() async throws {
        let database = try await Self.archive()
        let inputs = [
            "\"unbalanced", "OR", "dark OR", "OR dark", "dark OR OR room", "*", "**", "-", "-dark", "NEAR(dark room)",
            "dark AND room", "title:dark", "dark NOT room", "^dark", "'; DROP TABLE article; --", "a\u{0}b\u{7}c",
            String(repeating: "x", count: 10_000), "💥 🧨", "\"\"", "dark*room", "( dark", "dark )", "-*", "🔍*",
            String(repeating: "word ", count: 40), "{dark room}", "dark + room", "U.S.", "e-post*",
        ]
        for input in inputs {
            do {
                let search = try SearchQuery(input)
                var query = ArticleQuery()
                query.search = search
                query.sort = .relevance
                _ = try await database.articles(query)
            } catch let error as SearchQuery.Error {
                #expect(!error.message.isEmpty, "\(input)")
            }
        }
        #expect(throws: SearchQuery.Error.self) { try SearchQuery("\"unbalanced") }
        #expect(throws: SearchQuery.Error.self) { try SearchQuery("-only -exclusions") }
        #expect(throws: SearchQuery.Error.self) { try SearchQuery(String(repeating: "x", count: 10_000)) }
        #expect(try SearchQuery("dark AND room").ftsExpression == "\"dark\" AND \"room\"")
        #expect(try SearchQuery("dark NOT room").ftsExpression == "(\"dark\") NOT (\"room\")")
        #expect(try SearchQuery("polit* \"dark room\"").ftsExpression == "\"polit\"* AND \"dark room\"")
    }

    @Test("paging through relevance-sorted results neither repeats nor skips")
    func relevancePaging() async throws {
        let database = try AppDatabase.inMemory()
        for index in 0..<23 {
            let repeats = String(repeating: "harbour ", count: index % 5 + 1)
            _ = try await database.importArticle(
                Sample.article("Report \(index)", body: "\(repeats)news number \(index)."),
                now: Date()
            )
        }
        // A word is counted apart; a phrase's matches are counted in the ranking pass.
        for text in ["harbour", "\"harbour news\""] {
            #expect(try SearchQuery(text).hasPhrase == text.hasPrefix("\""))
            var query = ArticleQuery()
            query.search = try SearchQuery(text)
            query.sort = .relevance
            query.limit = 4
            var seen: [Int64] = []
            var scores: [Double] = []
            repeat {
                let page = try await database.articles(query)
                #expect(page.total == 23)
                seen += page.items.map(\.id)
                scores += page.items.compactMap { $0.hit?.score }
                query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
            } while query.cursor != nil
            #expect(seen.count == 23 && Set(seen).count == 23)
            #expect(scores == scores.sorted(by: >))
            // A cursor after the last match: no items, and the total still counts every match.
            query.cursor = Cursor(order: "relevance", key: String(scores.last ?? 0), last: String(seen.last ?? 0))
            let past = try await database.articles(query)
            #expect(past.items.isEmpty && past.total == 23 && past.nextCursor == nil)
        }
    }

    @Test("merging the index's segments leaves fewer and changes no search's answers")
    func segmentMerging() async throws {
        // One commit per article: one segment each, as a server's single writes leave them.
        let database = try AppDatabase.inMemory()
        let words = ["harbour", "strike", "ferry", "council", "budget", "storm", "election", "fishery"]
        for index in 0..<60 {
            let body = (0..<12).map { words[($0 * 7 + index) % words.count] }.joined(separator: " ")
            _ = try await database.importArticle(
                Sample.article("Bulletin \(index) \(words[index % words.count])", body: "\(body) item\(index)."),
                now: Date()
            )
        }
        func answers() async throws -> [String] {
            var lines: [String] = []
            for text in ["harbour", "\"storm election\"", "fish*", "budget OR ferry", "item7", "council -strike"] {
                var query = ArticleQuery()
                query.search = try SearchQuery(text)
                query.sort = .relevance
                query.limit = 100
                let page = try await database.articles(query)
                lines.append(
                    "\(text) \(page.total): "
                        + page.items.map { "\($0.id)@\($0.hit?.score ?? 0)" }.joined(separator: " ")
                )
            }
            return lines
        }
        let before = try await answers()
        let segments = try await database.searchIndexSegments()
        #expect(segments >= 4)
        #expect(try await database.mergeSearchIndex() > 0)
        let merged = try await database.searchIndexSegments()
        #expect(merged < segments)
        #expect(try await answers() == before)
        // Nothing left to merge: a second pass does nothing and bumps no data version.
        let version = try database.dataVersion()
        #expect(try await database.mergeSearchIndex() == 0)
        #expect(try await database.searchIndexSegments() == merged)
        #expect(try database.dataVersion() == version)
    }

    @Test("the server's merger merges the segments single commits left, once writes pause")
    func quietMerging() async throws {
        let database = try AppDatabase.inMemory()
        let (passes, pass) = AsyncStream.makeStream(of: (version: Int64, steps: Int).self)
        // Quiet means 200 ms without a commit; the 40 commits below take a few milliseconds each (a loaded
        // machine may let passes in between, which is fine: what counts is the pass after the last one).
        let merger = Task {
            await database.mergingSearchIndexWhenQuiet(after: .milliseconds(200)) { pass.yield(($0, $1)) }
        }
        defer { merger.cancel() }
        for index in 0..<40 {
            _ = try await database.importArticle(
                Sample.article("Note \(index)", body: "tide note \(index)"),
                now: Date()
            )
        }
        let written = try database.dataVersion()
        // Every pass until the one that started after the last commit; 30 s only guards the wait.
        let steps = try await Self.within(.seconds(30)) {
            var steps = 0
            for await done in passes {
                steps += done.steps
                if done.version >= written { return steps }
            }
            return steps
        }
        // 40 single commits leave more than FTS5's `usermerge` (4) segments on the first level, so the merger
        // had work; after its pass nothing is left to merge.
        #expect((steps ?? 0) > 0, "the merger merged nothing after 40 commits")
        #expect(try await database.mergeSearchIndex() == 0)
    }

    /// What `body` returns, or nil when it has not returned within `limit` (a guard against waiting
    /// forever, not a clock the test depends on).
    static func within<Value: Sendable>(
        _ limit: Duration,
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value? {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    @Test("search combines with filters and other orders, and total counts every match")
    func filtersAndSorts() async throws {
        let database = try await Self.archive()
        var query = ArticleQuery()
        query.search = try SearchQuery("bergen OR darknet")
        query.sort = .newest
        query.from = try Date("2020-01-02T00:00:00Z", strategy: .iso8601)
        let page = try await database.articles(query)
        #expect(page.items.map(\.title) == ["Darknet markets", "Politiet etterforsker"])
        #expect(page.total == 2)
        var unsearched = ArticleQuery()
        unsearched.sort = .relevance
        await #expect(throws: QueryError.relevanceWithoutSearch) { try await database.articles(unsearched) }
    }
}

@Suite("Related")
struct RelatedStoreTests {
    @Test("shared rare words and tags make articles related; a different story is not")
    func related() async throws {
        let database = try AppDatabase.inMemory()
        let ferry = try await database.importArticle(
            Sample.article(
                "Ferry strike in Hordaland",
                tags: ["Ferries"],
                body: "Ferry crews in Hordaland went on strike over rosters."
            ),
            now: Date()
        ).articleID
        let ferryFollowUp = try await database.importArticle(
            Sample.article(
                "Strike ends",
                tags: ["Ferries"],
                body: "The Hordaland ferry strike ended after talks on rosters."
            ),
            now: Date()
        ).articleID
        let opera = try await database.importArticle(
            Sample.article(
                "Opera premiere",
                tags: ["Culture"],
                body: "The opera house staged a new premiere on Friday."
            ),
            now: Date()
        ).articleID
        let related = try #require(try await database.relatedArticles(to: ferry, limit: 10))
        #expect(related.first?.id == ferryFollowUp)
        #expect(!related.map(\.id).contains(ferry))
        #expect(related.first { $0.id == opera }.map { $0.hit!.score < related[0].hit!.score } ?? true)
        #expect(try await database.relatedArticles(to: 999, limit: 10) == nil)
        let tags = try await database.relatedTags(to: "ferries", limit: 5)
        #expect(tags.isEmpty)  // each ferry article has only that tag
    }

    @Test("repeated terms collapse before the caps; prefixes are bounded in number and length")
    func searchCaps() throws {
        let repeated = try SearchQuery(Array(repeating: "police", count: 40).joined(separator: " ") + " -oslo -oslo")
        #expect(repeated.ftsExpression == "(\"police\") NOT (\"oslo\")")
        #expect(
            try SearchQuery("polit* polit* \"dark room\" \"dark room\"").ftsExpression == "\"polit\"* AND \"dark room\""
        )
        // A repeat only collapses when it asks nothing new: `oslo oslo OR bergen` still needs oslo.
        #expect(try SearchQuery("oslo oslo OR bergen").ftsExpression == "\"oslo\" AND (\"oslo\" OR \"bergen\")")
        #expect(try SearchQuery("pol* osl* ber* nor*").required.count == 4)
        for (text, words) in [
            ("pol* osl* ber* nor* tro*", "more than 4 prefix terms"), ("po*", "at least 3 letters"),
            ("a*", "at least 3 letters"), ("e-p*", "at least 3 letters"),
            ((0..<33).map { "w\($0)" }.joined(separator: " "), "more than 32 different words"),
        ] {
            #expect {
                try SearchQuery(text)
            } throws: { error in
                (error as? SearchQuery.Error)?.message.contains(words) == true
            }
        }
    }
}

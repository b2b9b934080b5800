import ClippingsExtraction
import ClippingsStories
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// The memo a write transaction shares between its articles changes nothing placed, and an archive from
/// before the signature bands of two gets them.
@Suite("Story memo and bands")
struct StoryMemoTests {
    /// Invented reports of invented events: each event has its own words, names, figure and place, and
    /// every report takes a few of them and mixes them with words all events share. Some reports are
    /// copies of an earlier one under another headline. The shared words name more stories than
    /// `StoryAssigner.storiesPerKey`. An event's first two reports take halves of its words and names
    /// that do not meet, and start two stories that its later reports, taking from both, merge.
    static func reports(count: Int, seed: UInt64) -> [ExtractedArticle] {
        var random = PostingsRankerTests.Random(state: seed)
        let common = (0..<60).map { "word\($0)" }
        let events = (0..<45).map { event in
            (
                words: (0..<8).map { "topic\(event)x\($0)" },
                names: (0..<3).map { "Name\(event)x\($0)" },
                place: "Place\(event % 12)",
                figure: "\(1900 + event)",
                day: Double(event % 20)
            )
        }
        var written: [ExtractedArticle] = []
        var reported = [Int](repeating: 0, count: events.count)
        for index in 0..<count {
            if index > 10, random.next(8) == 0 {
                var copy = written[random.next(written.count)]
                copy.title = "Copy \(index): " + copy.title
                copy.url = "https://copies.test/\(index)"
                copy.source = Publisher(name: "Copier \(index % 3)")
                written.append(copy)
                continue
            }
            let number = random.next(events.count)
            let event = events[number]
            // The first report takes the first half of the event's words and names, the second the other.
            let half = event.words.count / 2
            let (words, names) =
                switch reported[number] {
                case 0: (Array(event.words[..<half]), [event.names[0]])
                case 1: (Array(event.words[half...]), [event.names[1]])
                default: (event.words, event.names)
                }
            reported[number] += 1
            let paragraphs = (0..<3).map { _ in
                let words =
                    (0..<4).map { _ in common[random.next(common.count)] }
                    + (0..<3).map { _ in words[random.next(words.count)] }
                let name = names[random.next(names.count)]
                return "The \(words.joined(separator: " ")) said \(name) in \(event.place) in \(event.figure)."
            }
            let published = Date(timeIntervalSince1970: 1_700_000_000 + event.day * 86_400)
            written.append(
                ExtractedArticle(
                    title: "\(words[random.next(words.count)]) for \(names[random.next(names.count)]), report \(index)",
                    publishedAt: published.addingTimeInterval(Double(index) * 60),
                    source: Publisher(name: "Source \(index % 5)"),
                    url: "https://reports.test/\(index)",
                    language: "en",
                    paragraphs: paragraphs,
                    format: .plainText
                )
            )
        }
        return written
    }

    /// Where the articles went, the stories' redirects and the stories as stored.
    struct Placements: Equatable {
        var stories: [Int64?] = []
        var originals: [Int64?] = []
        var redirects: [[Int64]] = []
        var storyRows: [String] = []
    }

    /// Each article placed in one transaction, with one memo for all or a fresh one each: what a
    /// transaction's memo must not change.
    static func placements(_ articles: [PreparedArticle], sharing: Bool) throws -> Placements {
        let database = try AppDatabase.inMemory()
        return try database.writer.write { db in
            let shared = StoryMemo()
            for article in articles {
                _ = try ArticleWriter.insert(
                    article,
                    stamp: "2026-12-07T00:00:00Z",
                    memo: sharing ? shared : StoryMemo(),
                    in: db
                )
            }
            var placements = Placements()
            for row in try Row.fetchAll(db, sql: "SELECT story_id, near_duplicate_of FROM article ORDER BY id") {
                placements.stories.append(row[0])
                placements.originals.append(row[1])
            }
            placements.redirects = try Row.fetchAll(db, sql: "SELECT id, story_id FROM story_redirect ORDER BY id")
                .map { [$0[0], $0[1]] }
            placements.storyRows = try Row.fetchAll(
                db,
                sql: "SELECT id, article_count, copy_count, hex(profile) FROM story ORDER BY id"
            ).map(\.description)
            return placements
        }
    }

    @Test(
        "one memo for a transaction's articles places them as reading the tables for each does",
        arguments: [1, 2, 3] as [UInt64]
    )
    func memoChangesNothing(seed: UInt64) throws {
        let articles = Self.reports(count: 200, seed: seed).map { PreparedArticle($0) }
        let shared = try Self.placements(articles, sharing: true)
        let fresh = try Self.placements(articles, sharing: false)
        #expect(shared == fresh)
        // The comparison means something: many stories, copies found, stories merged.
        #expect(Set(shared.stories).count > 20)
        #expect(shared.originals.contains { $0 != nil })
        #expect(!shared.redirects.isEmpty)
    }

    @Test("an archive banded as v13 did gets its signatures banded again, and finds copies of its articles")
    func bandsOfTwo() async throws {
        let queue = try DatabaseQueue(configuration: AppDatabase.configuration)
        try AppDatabase.migrator.migrate(queue, upTo: "v15: subscriptions")
        let reports = Self.reports(count: 12, seed: 9)
        let original = try #require(reports.first)
        let signature = PreparedArticle(original).signature
        #expect(signature.isComparable)
        // The article as a v15 archive held it: written as now, its bands then laid out otherwise.
        try await queue.write { db in
            _ = try ArticleWriter.insert(PreparedArticle(original), stamp: "2026-01-01T00:00:00Z", in: db)
            try SearchPostings.catchUp(db, after: 0)
            try db.execute(sql: "DELETE FROM article_band")
            try db.execute(sql: "INSERT INTO article_band (band, article_id) VALUES (7, 1), (8, 1)")
        }
        let database = try AppDatabase(queue)
        let bands = try await queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT band FROM article_band WHERE article_id = 1")
        }
        #expect(Set(bands) == Set(signature.bandKeys))
        #expect(bands.count == ShingleSignature.bands)
        var copy = original
        copy.title = "A new headline over the same wire text"
        copy.url = "https://copies.test/1"
        let outcome = try await database.importArticle(copy, now: Date())
        let stored = try #require(try await database.article(id: outcome.articleID))
        #expect(stored.summary.nearDuplicateOf == 1)
    }
}

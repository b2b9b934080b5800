import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// The change feed as the triggers keep it: each article once at its latest change, tombstones, pruning,
/// and the `updated_after` / `updated_before` filters.
@Suite("Change feed")
struct ChangeFeedTests {
    static func article(_ n: Int) -> ExtractedArticle {
        ExtractedArticle(
            title: "Harbour report number \(n) from the coast",
            publishedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400),
            source: Publisher(name: "Coast Wire \(n % 3)", domain: nil),
            url: "https://coast.test/\(n)",
            language: "en",
            paragraphs: [
                "Ships number \(n) arrived at the quay on a grey morning.", "Crews unloaded \(n * 7) crates.",
            ],
            format: .plainText
        )
    }

    static func date(_ text: String) -> Date { try! Date(text + "T00:00:00Z", strategy: .iso8601) }

    static func ids(_ outcomes: [ImportOutcome]) -> [Int64] {
        outcomes.compactMap { if case .created(let id) = $0 { id } else { nil } }
    }

    @Test("each article once, at its latest change, in commit order; a deletion is a tombstone")
    func latestChangeOnce() async throws {
        let database = try AppDatabase.inMemory()
        let ids = Self.ids(try await database.importArticles((0..<4).map(Self.article)))
        #expect(ids.count == 4)
        let first = try await database.changes(since: 0, limit: 100)
        #expect(first.items.map(\.articleID) == ids)
        #expect(first.items.map(\.seq) == first.items.map(\.seq).sorted())
        #expect(first.items.allSatisfy { $0.article?.summary.id == $0.articleID })
        #expect(first.nextSince == first.items.last?.seq && first.latest == first.nextSince)

        var edit = ArticleChanges()
        edit.title = "Harbour report, corrected"
        #expect(try await database.updateArticle(id: ids[1], edit))
        #expect(try await database.deleteArticle(id: ids[2]))
        let after = try await database.changes(since: first.nextSince, limit: 100)
        #expect(after.items.map(\.articleID) == [ids[1], ids[2]])
        #expect(after.items[0].article?.summary.title == "Harbour report, corrected")
        #expect(after.items[1].article == nil)
        // From the start: the untouched articles where they were, the edited and deleted ones moved to the end.
        let all = try await database.changes(since: 0, limit: 100)
        #expect(all.items.map(\.articleID) == [ids[0], ids[3], ids[1], ids[2]])
        // Pages: `limit` at a time, resuming from `next_since`.
        let page = try await database.changes(since: 0, limit: 3)
        #expect(page.items.count == 3)
        let rest = try await database.changes(since: page.nextSince, limit: 3)
        #expect(rest.items.map(\.articleID) == [ids[2]])
        let none = try await database.changes(since: rest.nextSince, limit: 3)
        #expect(none.items.isEmpty && none.nextSince == rest.nextSince)
    }

    @Test("an enrichment moves the feed: a story merge that changes an article's story_id")
    func enrichmentMoves() async throws {
        let database = try AppDatabase.inMemory()
        let ids = Self.ids(try await database.importArticles([Self.article(1)]))
        let before = try await database.changes(since: 0, limit: 10).latest
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE article SET story_id = NULL WHERE id = ?", arguments: [ids[0]])
        }
        let after = try await database.changes(since: before, limit: 10)
        #expect(after.items.map(\.articleID) == ids)
    }

    @Test("renaming a tag or a source moves every article that shows it")
    func renamesMove() async throws {
        let database = try AppDatabase.inMemory()
        var tagged = Self.article(1)
        tagged.tags = [Tag(slug: "harbour", name: "Harbour")]
        let ids = Self.ids(try await database.importArticles([tagged, Self.article(2)]))
        let before = try await database.changes(since: 0, limit: 10).latest
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE tag SET name = 'Harbours' WHERE slug = 'harbour'")
        }
        #expect(try await database.changes(since: before, limit: 10).items.map(\.articleID) == [ids[0]])
        let renamed = try await database.changes(since: 0, limit: 10).latest
        try await database.writer.write { db in
            try db.execute(
                sql:
                    "UPDATE source SET name = 'Coast Wire Two' WHERE id = (SELECT source_id FROM article WHERE id = ?)",
                arguments: [ids[1]]
            )
        }
        #expect(try await database.changes(since: renamed, limit: 10).items.map(\.articleID) == [ids[1]])
    }

    @Test("pruned tombstones: an older `since` expires with the oldest one still answered")
    func pruning() async throws {
        let database = try AppDatabase.inMemory()
        let ids = Self.ids(try await database.importArticles((0..<3).map(Self.article)))
        #expect(try await database.deleteArticle(id: ids[0]))
        let tombstone = try #require(try await database.changes(since: 0, limit: 10).items.last)
        #expect(tombstone.article == nil)
        // Nothing old enough yet.
        #expect(try await database.pruneChanges(before: Date().addingTimeInterval(-3_600)) == 0)
        #expect(try await database.changes(since: 0, limit: 10).items.count == 3)
        #expect(try await database.pruneChanges(before: Date().addingTimeInterval(3_600)) == 1)
        await #expect(throws: ChangeFeedError.expired(oldestSince: tombstone.seq)) {
            try await database.changes(since: tombstone.seq - 1, limit: 10)
        }
        let resumed = try await database.changes(since: tombstone.seq, limit: 10)
        #expect(resumed.items.isEmpty)
        // The live articles are still there from the start of what is kept, for a client that re-exported.
        #expect(Set(try await database.articles(ArticleQuery()).items.map(\.id)) == Set(ids.dropFirst()))
    }

    @Test("updated_after and updated_before select by the last edit, strictly, and page with their own cursors")
    func updatedFilters() async throws {
        let database = try AppDatabase.inMemory()
        let ids = Self.ids(try await database.importArticles((0..<3).map(Self.article), now: Self.date("2026-01-01")))
        var edit = ArticleChanges()
        edit.tags = [Tag(slug: "edited", name: "Edited")]
        #expect(try await database.updateArticle(id: ids[2], edit, now: Self.date("2026-02-01")))
        var query = ArticleQuery()
        query.updatedAfter = Self.date("2026-01-15")
        #expect(try await database.articles(query).items.map(\.id) == [ids[2]])
        #expect(try await database.articles(query).total == 1)
        query.updatedAfter = Self.date("2026-02-01")
        #expect(try await database.articles(query).items.isEmpty)
        query = ArticleQuery()
        query.updatedBefore = Self.date("2026-02-01")
        #expect(Set(try await database.articles(query).items.map(\.id)) == Set(ids.prefix(2)))
        // With a tag, whose total is otherwise read from its kept count.
        query.tags = ["edited"]
        #expect(try await database.articles(query).total == 0)
        query.updatedBefore = nil
        query.updatedAfter = Self.date("2026-01-15")
        #expect(try await database.articles(query).total == 1)
        // A cursor carries the filter: it does not continue a listing without it.
        query = ArticleQuery()
        query.updatedBefore = Self.date("2026-03-01")
        query.limit = 1
        let cursor = try #require(try await database.articles(query).nextCursor.flatMap(Cursor.init(token:)))
        var other = ArticleQuery()
        other.cursor = cursor
        await #expect(throws: QueryError.invalidCursor) { try await database.articles(other) }
    }
}

import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

/// Stories and copies as every backend keeps them through the write path: copies found, stories merged
/// with redirects, counts that follow imports, edits and deletes, and rebuilds that keep ids; and each
/// other backend places a generated stream of reports exactly as SQLite does.
@Suite("Store conformance: stories")
struct StoryConformanceTests {
    static let flood = StoryAssignmentTests.flood
    static let election = StoryAssignmentTests.election

    static func article(_ title: String, _ paragraphs: [String], source: String, url: String) -> ExtractedArticle {
        StoryAssignmentTests.article(title, paragraphs, source: source, url: url)
    }

    static func stored(_ store: any ArchiveStore, _ id: Int64) async throws -> ArticleSummary {
        try #require(try await store.article(id: id)).summary
    }

    /// Every article's story and original, by id, and each story's lookup.
    static func placements(_ store: any ArchiveStore) async throws -> [Int64: [Int64?]] {
        var query = ArticleQuery()
        query.sort = .oldest
        query.limit = 100
        var placements: [Int64: [Int64?]] = [:]
        repeat {
            let page = try await store.articles(query)
            for item in page.items { placements[item.id] = [item.storyID, item.nearDuplicateOf] }
            query.cursor = page.nextCursor.flatMap(Cursor.init(token:))
        } while query.cursor != nil
        return placements
    }

    @Test(
        "a syndicated copy points to the first article, joins its story and counts once; deleting it unmarks it",
        arguments: StoreBackend.all
    )
    func syndicatedCopy(_ backend: StoreBackend) async throws {
        let store = try await backend.make()
        let ids = try await store.importArticles(
            [
                Self.article(
                    "Floods force 43 homes evacuated in Voss",
                    Self.flood,
                    source: "Vestland Daily",
                    url: "https://a.test/1"
                ),
                Self.article("Lisbon elects Quintela", Self.election, source: "Iberia Wire", url: "https://b.test/1"),
                Self.article(
                    "Voss under water: evacuations overnight",
                    ["Share this article"] + Self.flood.prefix(4) + [
                        "Read more: Storm closes mountain pass", "© 2026 Fjord Post",
                    ],
                    source: "Fjord Post",
                    url: "https://c.test/9"
                ),
            ],
            now: Date()
        ).map(\.articleID)
        #expect(ids.count == 3)
        let (original, other, copy) = try await (
            Self.stored(store, ids[0]), Self.stored(store, ids[1]), Self.stored(store, ids[2])
        )
        #expect(copy.nearDuplicateOf == original.id)
        #expect(original.nearDuplicateOf == nil && other.nearDuplicateOf == nil)
        #expect(copy.storyID == original.storyID && original.storyID != nil)
        #expect(other.storyID != original.storyID)
        guard case .found(let story) = try await store.story(id: try #require(original.storyID)) else {
            Issue.record("no story")
            return
        }
        #expect(story.story.articleCount == 1 && story.story.copyCount == 1)
        #expect(story.sources.map(\.value) == ["vestland-daily"])

        #expect(try await store.deleteArticle(id: original.id))
        let orphan = try await Self.stored(store, copy.id)
        #expect(orphan.nearDuplicateOf == nil && orphan.storyID == copy.storyID)
        guard case .found(let after) = try await store.story(id: try #require(copy.storyID)) else {
            Issue.record("no story after the delete")
            return
        }
        #expect(after.story.articleCount == 1 && after.story.copyCount == 0)
        #expect(try await store.integrityProblems().isEmpty)
    }

    @Test(
        "an article that shows two stories are one event merges them; the old id names the survivor",
        arguments: StoreBackend.all
    )
    func merge(_ backend: StoreBackend) async throws {
        let store = try await backend.make()
        let a = try await store.importArticle(
            Self.article("Floods in Voss", Self.flood, source: "Vestland Daily", url: "https://a.test/1")
        ).articleID
        let b = try await store.importArticle(
            Self.article("Lisbon elects Quintela", Self.election, source: "Iberia Wire", url: "https://b.test/1")
        ).articleID
        let (storyA, storyB) = try await (
            try #require(Self.stored(store, a).storyID), try #require(Self.stored(store, b).storyID)
        )
        #expect(storyA != storyB)
        // A roundup telling both in its own words (so it is no copy): it fits both stories.
        let roundup = Self.article(
            "Floods in Voss; Lisbon elects Quintela",
            [
                "In Voss, firefighters moved people from 43 homes as the river reached its highest level since 1987. Mayor Hilde Aasen opened the school gym, and a landslide shut the Bergen railway.",
                "In Lisbon, Marta Quintela beat Rui Salgado by 41 percent to 33, ending twelve years of the Aliança coalition in charge of the city.",
            ],
            source: "Morning Brief",
            url: "https://c.test/2"
        )
        _ = try await store.importArticle(roundup)
        let after = try await [Self.stored(store, a).storyID, Self.stored(store, b).storyID]
        #expect(after[0] == after[1])
        let survivor = try #require(after[0])
        let loser = survivor == storyA ? storyB : storyA
        #expect(try await store.story(id: loser) == .merged(into: survivor))
        guard case .found(let merged) = try await store.story(id: survivor) else {
            Issue.record("no survivor")
            return
        }
        #expect(merged.story.articleCount == 3)
        #expect(try await store.stories(StoryQuery()).items.map(\.id) == [survivor])
        #expect(try await store.story(id: 9_999) == nil)
    }

    @Test("story counts equal the stored articles through imports, edits and deletes", arguments: StoreBackend.all)
    func countsFollowWrites(_ backend: StoreBackend) async throws {
        let store = try await backend.make()
        var ids: [Int64] = []
        for round in 0..<12 {
            let paragraphs = round % 3 == 0 ? Self.flood : round % 3 == 1 ? Self.election : Array(Self.flood.prefix(3))
            let outcome = try await store.importArticle(
                Self.article(
                    "Report \(round)",
                    paragraphs + ["Filed as report number \(round)."],
                    source: "S\(round % 4)",
                    url: "https://x.test/\(round)"
                )
            )
            if case .created(let id) = outcome { ids.append(id) }
        }
        var changes = ArticleChanges()
        changes.title = "Lisbon's new mayor Quintela"
        #expect(try await store.updateArticle(id: ids[0], changes, now: Date()))
        for id in ids.prefix(5) where id % 2 == 0 { #expect(try await store.deleteArticle(id: id)) }
        #expect(try await store.integrityProblems() == [])
        let placements = try await Self.placements(store)
        #expect(placements.count == ids.count - 2)
        #expect(placements.values.allSatisfy { $0[0] != nil })
    }

    @Test("a rebuild reclusters from scratch, keeps the ids it can, and counts right", arguments: StoreBackend.all)
    func rebuild(_ backend: StoreBackend) async throws {
        let store = try await backend.make()
        _ = try await store.importArticles(StoryAssignmentTests.twoStoriesAndACopy, now: Date())
        let before = try await Self.placements(store)
        let report = try await store.rebuildStories(now: Date())
        #expect(report.articles == 3 && report.stories == 2 && report.copies == 1)
        #expect(report.keptIDs == 2 && report.newIDs == 0 && report.movedArticles == 0)
        #expect(try await Self.placements(store) == before)
        #expect(try await store.integrityProblems() == [])
    }

    @Test(
        "a stream of reports with copies and merges is placed as SQLite places it, batch by batch",
        arguments: StoreBackend.all.filter { $0.name != "SQLite" }
    )
    func agreesWithSQLite(_ backend: StoreBackend) async throws {
        let reports = StoryMemoTests.reports(count: 240, seed: 5)
        let reference = try AppDatabase.inMemory()
        let store = try await backend.make()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for start in stride(from: 0, to: reports.count, by: 40) {
            let batch = Array(reports[start..<min(start + 40, reports.count)])
            _ = try await reference.importArticles(batch, now: now)
            _ = try await store.importArticles(batch, now: now)
        }
        let expected = try await Self.placements(reference)
        #expect(try await Self.placements(store) == expected)
        let storyIDs = Set(expected.values.compactMap { $0[0] })
        // The comparison means something: many stories, copies found, stories merged.
        #expect(storyIDs.count > 20 && expected.values.contains { $0[1] != nil })
        let merged = try #require(storyIDs.max()).advanced(by: 1)
        for id in 1..<merged {
            #expect(try await store.story(id: id) == reference.story(id: id), "story \(id)")
        }
        #expect(try await (1..<merged).asyncContains { try await reference.story(id: $0)?.isMerged == true })
    }
}

extension StoryLookup {
    var isMerged: Bool {
        if case .merged = self { true } else { false }
    }
}

extension Range where Bound == Int64 {
    func asyncContains(_ predicate: (Int64) async throws -> Bool) async rethrows -> Bool {
        for value in self where try await predicate(value) { return true }
        return false
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Stories and copies as the write path keeps them, on articles written for these tests.
@Suite("Story assignment")
struct StoryAssignmentTests {
    static let flood = [
        "Heavy rain flooded the lower town of Voss overnight, and the fire service evacuated 43 homes along the river before dawn on Thursday.",
        "The river rose almost two metres in six hours, the highest level measured since the station opened in 1987, according to the water authority.",
        "Mayor Hilde Aasen said the municipality had opened the school gym for those who could not stay with family or friends.",
        "The railway line towards Bergen was closed after a landslide near the tunnel mouth, and buses replace trains until further notice.",
        "Forecasters expect the rain to ease on Friday afternoon, but warn that the ground is saturated and more slides may follow.",
    ]
    static let election = [
        "Voters in Lisbon elected Marta Quintela as mayor on Sunday, ending twelve years of rule by the Aliança coalition.",
        "Quintela won 41 percent of the vote against 33 percent for the incumbent Rui Salgado, the electoral commission said.",
        "She promised cheaper trams, a housing fund and an audit of the harbour concession signed by her predecessor.",
    ]

    static func article(_ title: String, _ paragraphs: [String], source: String, url: String) -> ExtractedArticle {
        ExtractedArticle(
            title: title,
            publishedAt: try! Date("2026-03-05T08:00:00Z", strategy: .iso8601),
            source: Publisher(name: source, domain: nil),
            url: url,
            language: "en",
            paragraphs: paragraphs,
            format: .plainText
        )
    }

    static func stored(_ database: AppDatabase, _ id: Int64) async throws -> ArticleSummary {
        try #require(try await database.article(id: id)).summary
    }

    @Test("a syndicated copy points to the first article, joins its story and counts once; deleting it unmarks it")
    func syndicatedCopy() async throws {
        let database = try AppDatabase.inMemory()
        let outcomes = try await database.importArticles([
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
        ])
        let ids = outcomes.compactMap { if case .created(let id) = $0 { id } else { nil } }
        #expect(ids.count == 3)
        let (original, other, copy) = try await (
            Self.stored(database, ids[0]), Self.stored(database, ids[1]), Self.stored(database, ids[2])
        )
        #expect(copy.nearDuplicateOf == original.id)
        #expect(original.nearDuplicateOf == nil && other.nearDuplicateOf == nil)
        #expect(copy.storyID == original.storyID && original.storyID != nil)
        #expect(other.storyID != original.storyID)
        guard case .found(let story) = try await database.story(id: try #require(original.storyID)) else {
            Issue.record("no story")
            return
        }
        #expect(story.story.articleCount == 1 && story.story.copyCount == 1)
        #expect(story.sources.map(\.value) == ["vestland-daily"])

        #expect(try await database.deleteArticle(id: original.id))
        let orphan = try await Self.stored(database, copy.id)
        #expect(orphan.nearDuplicateOf == nil && orphan.storyID == copy.storyID)
        guard case .found(let after) = try await database.story(id: try #require(copy.storyID)) else {
            Issue.record("no story after the delete")
            return
        }
        #expect(after.story.articleCount == 1 && after.story.copyCount == 0)
    }

    @Test("an article that shows two stories are one event merges them; the old id names the survivor")
    func merge() async throws {
        let database = try AppDatabase.inMemory()
        let first = try await database.importArticle(
            Self.article("Floods in Voss", Self.flood, source: "Vestland Daily", url: "https://a.test/1")
        )
        let second = try await database.importArticle(
            Self.article("Lisbon elects Quintela", Self.election, source: "Iberia Wire", url: "https://b.test/1")
        )
        guard case .created(let a) = first, case .created(let b) = second else {
            Issue.record("not stored")
            return
        }
        let (storyA, storyB) = try await (
            Self.stored(database, a).storyID!, Self.stored(database, b).storyID!
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
        _ = try await database.importArticle(roundup)
        let after = try await [Self.stored(database, a).storyID, Self.stored(database, b).storyID]
        #expect(after[0] == after[1])
        let survivor = try #require(after[0])
        let loser = survivor == storyA ? storyB : storyA
        #expect(try await database.story(id: loser) == .merged(into: survivor))
        guard case .found(let merged) = try await database.story(id: survivor) else {
            Issue.record("no survivor")
            return
        }
        #expect(merged.story.articleCount == 3)
        #expect(try await database.story(id: 9_999) == nil)
    }

    @Test("story counts equal the stored articles through imports, edits and deletes")
    func countsFollowWrites() async throws {
        let database = try AppDatabase.inMemory()
        var ids: [Int64] = []
        for round in 0..<12 {
            let paragraphs = round % 3 == 0 ? Self.flood : round % 3 == 1 ? Self.election : Array(Self.flood.prefix(3))
            let outcome = try await database.importArticle(
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
        #expect(try await database.updateArticle(id: ids[0], changes))
        for id in ids.prefix(5) where id % 2 == 0 { #expect(try await database.deleteArticle(id: id)) }
        let mismatches = try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id FROM story s WHERE s.article_count !=
                        (SELECT COUNT(*) FROM article WHERE story_id = s.id AND near_duplicate_of IS NULL)
                    OR s.copy_count != (SELECT COUNT(*) FROM article WHERE story_id = s.id AND near_duplicate_of IS NOT NULL)
                    """
            )
        }
        #expect(mismatches.isEmpty)
        let unassigned = try await database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE story_id IS NULL")
        }
        #expect(unassigned == 0)
    }

    @Test("a rebuild reclusters from scratch, keeps the ids it can, redirects the others, and counts right")
    func rebuild() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles([
            Self.article("Floods in Voss", Self.flood, source: "Vestland Daily", url: "https://a.test/1"),
            Self.article("Lisbon elects Quintela", Self.election, source: "Iberia Wire", url: "https://b.test/1"),
            Self.article(
                "Voss under water",
                Array(Self.flood.prefix(4)) + ["Share this article"],
                source: "Fjord Post",
                url: "https://c.test/1"
            ),
        ])
        let before = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, story_id FROM article ORDER BY id").map { [$0[0], $0[1]] as [Int64] }
        }
        let report = try await database.rebuildStories()
        #expect(report.articles == 3 && report.stories == 2 && report.copies == 1)
        #expect(report.keptIDs == 2 && report.newIDs == 0 && report.movedArticles == 0)
        let after = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, story_id FROM article ORDER BY id").map { [$0[0], $0[1]] as [Int64] }
        }
        #expect(after == before)

        // As an older algorithm might have left it: the copy alone in a story of its own, id 50.
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO story (id, title, activity_at, profile, created_at, updated_at)
                    VALUES (50, 'Voss under water', '2026-03-05T08:00:00Z', X'', '2026-03-05T08:00:00Z', '2026-03-05T08:00:00Z');
                    UPDATE article SET story_id = 50 WHERE id = 3;
                    """
            )
        }
        let second = try await database.rebuildStories()
        #expect(second.stories == 2 && second.keptIDs == 2 && second.redirectedIDs == 1 && second.movedArticles == 1)
        #expect(try await database.story(id: 50) == .merged(into: try #require(before[0].last)))
        let mismatches = try await database.writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM story s WHERE s.article_count + s.copy_count !=
                        (SELECT COUNT(*) FROM article WHERE story_id = s.id)
                    """
            )
        }
        #expect(mismatches == 0)
    }
}

import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Stories as SQLite keeps them where the conformance suite cannot reach (a state an older algorithm left),
/// and the articles written for both.
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

    /// A flood, an election, and a trimmed copy of the flood's report.
    static let twoStoriesAndACopy = [
        article("Floods in Voss", flood, source: "Vestland Daily", url: "https://a.test/1"),
        article("Lisbon elects Quintela", election, source: "Iberia Wire", url: "https://b.test/1"),
        article(
            "Voss under water",
            Array(flood.prefix(4)) + ["Share this article"],
            source: "Fjord Post",
            url: "https://c.test/1"
        ),
    ]

    @Test("a rebuild redirects an old id no new story keeps to where its articles went, and counts right")
    func rebuild() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.importArticles(Self.twoStoriesAndACopy)
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

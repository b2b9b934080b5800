import ClippingsStore
import Foundation
import PostgresNIO

extension PostgresArchive {
    /// Reclusters every article into stories from scratch, in article order, in one transaction, keeping
    /// story ids as `StoryRenumbering` says (as `StoryRebuild` does on SQLite).
    public func rebuildStories(now: Date = Date()) async throws -> StoryRebuildReport {
        let stamp = Timestamp.string(now)
        return try await write { connection in
            let oldStory = try await storyOfArticles(connection)
            for statement in [
                "DELETE FROM story_key", "DELETE FROM article_band", "DELETE FROM article_signature",
                "UPDATE article SET story_id = NULL, near_duplicate_of = NULL WHERE story_id IS NOT NULL",
                "DELETE FROM story",
            ] as [PostgresQuery] {
                try await connection.run(statement, logger: logger)
            }
            let ids = try await connection.rows("SELECT id FROM article ORDER BY id", logger: logger)
                .map { try $0.decode(Int64.self) }
            let stories = PostgresStoryTables(connection: connection, logger: logger)
            for id in ids { try await stories.reassign(id, stamp: stamp) }
            try await stories.finish()

            let renumbering = StoryRenumbering(old: oldStory, new: try await storyOfArticles(connection))
            // A story's new id moves its articles with it (`ON UPDATE CASCADE`); new ids are above every old one.
            for (story, old) in renumbering.renamed {
                try await run("UPDATE story SET id = $1 WHERE id = $2", old, story, on: connection)
                try await run("UPDATE story_key SET story_id = $1 WHERE story_id = $2", old, story, on: connection)
                try await run("DELETE FROM story_redirect WHERE id = $1", old, on: connection)
            }
            for (old, target) in renumbering.redirects {
                try await run(
                    "UPDATE story_redirect SET story_id = $2 WHERE story_id = $1",
                    old,
                    target,
                    on: connection
                )
                try await run(
                    "INSERT INTO story_redirect (id, story_id) VALUES ($1, $2) "
                        + "ON CONFLICT (id) DO UPDATE SET story_id = EXCLUDED.story_id",
                    old,
                    target,
                    on: connection
                )
            }
            // Renumbering moved articles between rows the count trigger followed twice: count again.
            try await connection.run(
                """
                UPDATE story SET
                    article_count = (SELECT count(*) FROM article WHERE story_id = story.id AND near_duplicate_of IS NULL),
                    copy_count = (SELECT count(*) FROM article WHERE story_id = story.id AND near_duplicate_of IS NOT NULL)
                """,
                logger: logger
            )
            var report = StoryRebuildReport()
            report.articles = ids.count
            let totals = try await connection.rows(
                "SELECT (SELECT count(*) FROM story), (SELECT count(*) FROM article WHERE near_duplicate_of IS NOT NULL)",
                logger: logger
            )
            guard let (storyCount, copies) = try totals.first?.decode((Int64, Int64).self) else {
                throw PostgresArchiveError.noRowReturned
            }
            report.stories = Int(storyCount)
            report.copies = Int(copies)
            renumbering.fill(&report)
            return report
        }
    }

    /// Each placed article's story.
    private func storyOfArticles(_ connection: PostgresConnection) async throws -> [Int64: Int64] {
        var stories: [Int64: Int64] = [:]
        for row in try await connection.rows(
            "SELECT id, story_id FROM article WHERE story_id IS NOT NULL",
            logger: logger
        ) {
            let (article, story) = try row.decode((Int64, Int64).self)
            stories[article] = story
        }
        return stories
    }

    /// Runs a statement whose `$1`, `$2`… are `values`.
    private func run(_ text: String, _ values: Int64..., on connection: PostgresConnection) async throws {
        let statement = SQLBuilder()
        for value in values { _ = statement.bind(value) }
        statement.append(text)
        try await connection.run(statement, logger: logger)
    }
}

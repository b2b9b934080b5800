import Foundation
import GRDB

/// What `clippings stories rebuild` did.
public struct StoryRebuildReport: Sendable, Equatable {
    public var articles = 0
    public var stories = 0
    /// Stories that kept the id of the old story most of their articles were in.
    public var keptIDs = 0
    /// Stories with an id they did not have before.
    public var newIDs = 0
    /// Old ids that now redirect to the story most of their articles went to.
    public var redirectedIDs = 0
    /// Articles whose story changed (a new id, or an old id other than their own).
    public var movedArticles = 0
    public var copies = 0

    public init() {}
}

/// Reclusters the whole archive from scratch, in article order, as if every article arrived again: for a
/// changed algorithm, or for an archive from before stories. One transaction: all or nothing. Story ids
/// are kept where they can be, so links to stories keep working (`StoryRenumbering`).
enum StoryRebuild {
    static func rebuild(stamp: String, in db: Database) throws -> StoryRebuildReport {
        var report = StoryRebuildReport()
        var oldStory: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, story_id FROM article WHERE story_id IS NOT NULL") {
            oldStory[row[0]] = row[1]
        }
        // New stories get ids above every old one (AUTOINCREMENT), and are renumbered below, which their articles' references follow only when checked at commit.
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        try db.execute(
            sql: """
                DELETE FROM story_key;
                DELETE FROM article_band;
                DELETE FROM article_signature;
                UPDATE article SET story_id = NULL, near_duplicate_of = NULL WHERE story_id IS NOT NULL;
                DELETE FROM story;
                """
        )
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM article ORDER BY id")
        let memo = StoryMemo()
        for id in ids {
            try SQLiteStoryTables(db: db).reassign(id, stamp: stamp, memo: memo)
        }
        report.articles = ids.count

        var newStory: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, story_id FROM article WHERE story_id IS NOT NULL") {
            newStory[row[0]] = row[1]
        }
        let renumbering = StoryRenumbering(old: oldStory, new: newStory)
        for (story, old) in renumbering.renamed {
            try db.execute(
                sql: """
                    UPDATE story SET id = :old WHERE id = :story;
                    UPDATE article SET story_id = :old WHERE story_id = :story;
                    UPDATE story_key SET story_id = :old WHERE story_id = :story;
                    DELETE FROM story_redirect WHERE id = :old;
                    """,
                arguments: ["old": old, "story": story]
            )
        }
        for (old, target) in renumbering.redirects {
            try db.execute(
                sql: """
                    UPDATE story_redirect SET story_id = :target WHERE story_id = :old;
                    INSERT OR REPLACE INTO story_redirect (id, story_id) VALUES (:old, :target);
                    """,
                arguments: ["old": old, "target": target]
            )
        }
        // Renumbering moved articles between rows the count triggers could not see: count again.
        try db.execute(
            sql: """
                UPDATE story SET
                    article_count = (SELECT COUNT(*) FROM article WHERE story_id = story.id AND near_duplicate_of IS NULL),
                    copy_count = (SELECT COUNT(*) FROM article WHERE story_id = story.id AND near_duplicate_of IS NOT NULL)
                """
        )
        report.stories = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM story") ?? 0
        renumbering.fill(&report)
        report.copies =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE near_duplicate_of IS NOT NULL") ?? 0
        return report
    }
}

/// Which ids a rebuild's stories keep: each new story takes the old id most of its articles had (largest
/// overlaps first, each old id once); an old id no new story took redirects to the story most of its
/// articles went to. The same for both backends, from where each article was and is now.
package struct StoryRenumbering: Sendable {
    /// New story id → the old id it takes.
    package private(set) var renamed: [Int64: Int64] = [:]
    /// Old id no story kept → the (renamed) story it now redirects to.
    package private(set) var redirects: [Int64: Int64] = [:]
    /// Articles whose story changed (a new id, or an old id other than their own).
    package private(set) var movedArticles = 0

    /// `old` and `new`: each placed article's story before and after reclustering.
    package init(old: [Int64: Int64], new: [Int64: Int64]) {
        var overlaps: [Int64: [Int64: Int]] = [:]
        for (article, story) in new {
            if let previous = old[article] { overlaps[story, default: [:]][previous, default: 0] += 1 }
        }
        let pairs = overlaps.flatMap { story, olds in olds.map { (story: story, old: $0.key, count: $0.value) } }
            .sorted { ($0.count, -$0.story, -$0.old) > ($1.count, -$1.story, -$1.old) }
        var taken = Set<Int64>()
        for pair in pairs where renamed[pair.story] == nil && !taken.contains(pair.old) {
            renamed[pair.story] = pair.old
            taken.insert(pair.old)
        }
        var destinations: [Int64: [Int64: Int]] = [:]
        for (article, previous) in old where !taken.contains(previous) {
            if let story = new[article] {
                destinations[previous, default: [:]][renamed[story] ?? story, default: 0] += 1
            }
        }
        for (previous, counts) in destinations {
            if let target = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key {
                redirects[previous] = target
            }
        }
        movedArticles = new.filter { article, story in old[article] != (renamed[story] ?? story) }.count
    }

    /// Completes a report whose `stories` is counted.
    package func fill(_ report: inout StoryRebuildReport) {
        report.keptIDs = renamed.count
        report.newIDs = report.stories - renamed.count
        report.redirectedIDs = redirects.count
        report.movedArticles = movedArticles
    }
}

extension AppDatabase {
    /// Reclusters every article into stories from scratch (`StoryRebuild`).
    public func rebuildStories(now: Date = Date()) async throws -> StoryRebuildReport {
        let stamp = Timestamp.string(now)
        return try await writer.write { db in try StoryRebuild.rebuild(stamp: stamp, in: db) }
    }
}

import Foundation
import GRDB
import Logging

extension AppDatabase {
    /// Pages of the full-text index one merge step writes (4 MB): one short write transaction, so a merge
    /// queues between other writes instead of holding the writer for seconds.
    static let searchIndexMergePages = 1_000

    /// Merges the full-text index's segments level by level until no level holds four or more, in short
    /// write transactions. Returns the number of steps that did some work; stops early when cancelled.
    ///
    /// FTS5 writes a segment per commit and, with `automerge` at 16 (v3, for import speed), lets up to 15
    /// pile up on each level. A search looks its terms up in every segment, so fewer segments make every
    /// search cheaper. This is FTS5's own `merge` command with a positive page count (only levels with
    /// `usermerge`, 4, segments or more), so its work is amortized over what was written, as FTS5's
    /// automerge is, not a rewrite of the whole index each time.
    @discardableResult
    public func mergeSearchIndex() async throws -> Int {
        try await inSteps {
            try await writer.writeWithoutTransaction { db in
                var merged = false
                try db.inTransaction {
                    let before = db.totalChangesCount
                    try db.execute(
                        sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('merge', ?)",
                        arguments: [Self.searchIndexMergePages]
                    )
                    // FTS5's documented test: a step that changed fewer than two rows found nothing to merge.
                    // Rolled back then, so an archive with nothing to merge sees no commit (caches stay valid).
                    merged = db.totalChangesCount - before >= 2
                    return merged ? .commit : .rollback
                }
                return merged ? 1 : 0
            }
        }
    }

    /// Runs `step` until it does nothing or the task is cancelled; returns what the steps did, summed.
    func inSteps(_ step: () async throws -> Int) async throws -> Int {
        var done = 0
        while !Task.isCancelled {
            let work = try await step()
            guard work > 0 else { break }
            done += work
        }
        return done
    }

    /// Merges the full-text index, applies what is queued for the search postings (another process's
    /// writes, a migration's backlog) and refreshes the facet columns searches use, once the archive has been quiet for `quiet` after opening (a file
    /// written by an older version may hold many segments) and after every run of writes, until cancelled:
    /// what the server runs, so an archive grown by many small commits keeps its searches fast. Never
    /// during a run of writes (a bulk import), where merging segments about to be merged again would only
    /// slow it. With nothing to merge a pass commits nothing. `passed` hears, after each pass, the data
    /// version it started from and how many merge steps it took (what a test waits on).
    public func mergingSearchIndexWhenQuiet(
        after quiet: Duration = .seconds(5),
        passed: @Sendable (_ version: Int64, _ mergeSteps: Int) -> Void = { _, _ in }
    ) async {
        guard var seen = try? dataVersion() else { return }
        var merged: Int64? = nil
        while !Task.isCancelled {
            try? await Task.sleep(for: quiet)
            guard let version = try? dataVersion() else { continue }
            if version != seen {
                seen = version  // still being written: wait for a quiet interval
                continue
            }
            guard version != merged else { continue }
            do {
                let applied = try await updateSearchPostings()
                if applied > 0 { logger.debug("search postings updated", metadata: ["articles": "\(applied)"]) }
                let steps = try await mergeSearchIndex()
                if steps > 0 { logger.debug("search index merged", metadata: ["steps": "\(steps)"]) }
                try await writer.read { db in try self.facetColumns.refresh(in: db) }
                passed(version, steps)
            } catch is CancellationError {
                break  // the server is stopping
            } catch {
                logger.warning("merging the search index failed", metadata: ["error": "\(error)"])
            }
            seen = (try? dataVersion()) ?? version
            merged = seen
        }
    }

    /// How many segments the full-text index is split into (what merging reduces; for tests).
    func searchIndexSegments() async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT segid) FROM article_fts_idx") ?? 0
        }
    }
}

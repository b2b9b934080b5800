import GRDB

/// One finding of `AppDatabase.integrityProblems()`: which check failed and what it said.
public struct IntegrityProblem: Sendable, Equatable, CustomStringConvertible {
    public let check: String
    public let detail: String

    public var description: String { "\(check): \(detail)" }

    public init(check: String, detail: String) {
        self.check = check
        self.detail = detail
    }
}

extension AppDatabase {
    /// The names of the checks `integrityProblems()` runs, in order, for reports that list what passed.
    public static let integrityChecks = [
        "integrity_check", "foreign_key_check", "fts_integrity_check", "fts_rows", "article_counts", "tag_link_dates",
        "article_authors", "search_postings", "story_counts",
    ]

    /// Everything wrong with the file, or nothing: SQLite's own page-level check, foreign keys, the FTS5
    /// index against the articles it was built from, one index row per article, the article counts
    /// the archive, its tags and its sources keep, the dates tag links copy from their articles, and each
    /// byline against its writers (the names joined by ", "), and the search postings against the full-text
    /// index.
    ///
    /// What crash tests and operators run after a kill or a disk incident; it reads the whole file, so it is
    /// a maintenance command, never a request path.
    /// The FTS5 check is an `INSERT` command, so this runs on the writer (it changes nothing).
    public func integrityProblems() async throws -> [IntegrityProblem] {
        try await writer.write { db in
            var problems: [IntegrityProblem] = []
            let pages = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if pages != ["ok"] {
                problems += pages.map { IntegrityProblem(check: "integrity_check", detail: $0) }
            }
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += orphans.map { row in
                IntegrityProblem(
                    check: "foreign_key_check",
                    detail: "\(row[0] as String? ?? "?") rowid \(row[1] as Int64? ?? 0) → \(row[2] as String? ?? "?")"
                )
            }
            do {
                // With rank 1, FTS5 also compares the index with the content of `article`, row by row.
                try db.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")
            } catch let error as DatabaseError {
                problems.append(IntegrityProblem(check: "fts_integrity_check", detail: error.message ?? "\(error)"))
            }
            let articles = try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0
            let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM article_fts_docsize") ?? 0
            if articles != indexed {
                problems.append(
                    IntegrityProblem(check: "fts_rows", detail: "\(articles) articles, \(indexed) indexed")
                )
            }
            let miscounted = try String.fetchAll(
                db,
                sql: """
                    SELECT 'tag ' || slug FROM tag
                    WHERE article_count != (SELECT COUNT(*) FROM article_tag WHERE tag_id = tag.id)
                    UNION ALL
                    SELECT 'source ' || slug FROM source
                    WHERE article_count != (SELECT COUNT(*) FROM article WHERE source_id = source.id)
                    UNION ALL
                    SELECT 'the archive' FROM archive_count WHERE articles != (SELECT COUNT(*) FROM article)
                    """
            )
            problems += miscounted.map { IntegrityProblem(check: "article_counts", detail: "\($0) is miscounted") }
            let misdated =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM article_tag at JOIN article a ON a.id = at.article_id
                        WHERE at.published_at IS NOT a.published_at
                        """
                ) ?? 0
            if misdated > 0 {
                problems.append(
                    IntegrityProblem(
                        check: "tag_link_dates",
                        detail: "\(misdated) tag links differ from their article's date"
                    )
                )
            }
            let unmatched =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM article a
                        WHERE a.author IS NOT (
                            SELECT group_concat(name, ', ') FROM
                                (SELECT name FROM article_author WHERE article_id = a.id ORDER BY position)
                        )
                        """
                ) ?? 0
            if unmatched > 0 {
                problems.append(
                    IntegrityProblem(check: "article_authors", detail: "\(unmatched) bylines differ from their writers")
                )
            }
            problems += try searchPostingsProblems(db)
            problems += try String.fetchAll(db, sql: Self.miscountedStories + " LIMIT 20").map {
                IntegrityProblem(check: "story_counts", detail: $0)
            }
            return problems
        }
    }

    /// Each story's counts of articles and copies against the articles it holds (SQL both backends run).
    package static let miscountedStories = """
        SELECT 'story ' || s.id || ' counts ' || s.article_count || ' articles and ' || s.copy_count
            || ' copies, but holds ' || COALESCE(h.articles, 0) || ' and ' || COALESCE(h.copies, 0)
        FROM story s LEFT JOIN (
            SELECT story_id, SUM(CASE WHEN near_duplicate_of IS NULL THEN 1 ELSE 0 END) AS articles,
                SUM(CASE WHEN near_duplicate_of IS NULL THEN 0 ELSE 1 END) AS copies
            FROM article WHERE story_id IS NOT NULL GROUP BY story_id
        ) h ON h.story_id = s.id
        WHERE s.article_count != COALESCE(h.articles, 0) OR s.copy_count != COALESCE(h.copies, 0)
        """

    /// The search postings against FTS5's vocabulary: each term's article count, and its blocks' postings
    /// summed. Only when nothing is queued for them (a queue is applied by the next write or the server).
    func searchPostingsProblems(_ db: Database) throws -> [IntegrityProblem] {
        guard try SearchPostings.isCurrent(db) else { return [] }
        let drifted = try String.fetchAll(
            db,
            sql: """
                SELECT v.term FROM article_vocab v LEFT JOIN search_term t ON t.term = v.term
                WHERE t.articles IS NOT v.doc
                UNION
                SELECT term FROM search_term WHERE term NOT IN (SELECT term FROM article_vocab)
                UNION
                SELECT term FROM search_term t
                WHERE articles IS NOT (SELECT SUM(postings) FROM search_block WHERE term_id = t.id)
                LIMIT 20
                """
        )
        return drifted.map {
            IntegrityProblem(
                check: "search_postings",
                detail: "the postings of '\($0)' differ from the full-text index"
            )
        }
    }
}

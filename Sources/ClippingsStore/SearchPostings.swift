import Foundation
import GRDB

/// Postings kept beside FTS5 for ranked search (`PostingsRanker`): for each term, the articles it occurs in
/// with their frequencies and lengths, in blocks of `blockSize` that carry the bound of their scores.
///
/// Triggers on `article` (v10) queue every change in `search_pending`, whichever process or path makes
/// it; the write path applies its own changes in its transaction (`catchUp(after:)`), and whatever is
/// left (a migration's backlog, an interrupted import) is applied by `AppDatabase.updateSearchPostings()`.
/// While anything is queued, searches take the FTS5 path, so an answer never depends on stale postings.
enum SearchPostings {
    /// Postings per block: small enough that a block's bound is close to its best article, large enough
    /// that a common term's blocks are few to read.
    static let blockSize = 128

    /// Whether the postings hold every committed change.
    static func isCurrent(_ db: Database) throws -> Bool {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM search_pending LIMIT 1")) == nil
    }

    /// The last queued change: what `catchUp(after:)` takes to apply only what came after.
    static func mark(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM search_pending")) ?? 0
    }

    /// Applies the queued changes of the articles changed after `mark` (every change queued for those
    /// articles, older ones too), in the caller's transaction.
    static func catchUp(_ db: Database, after mark: Int64) throws {
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT DISTINCT article_id FROM search_pending WHERE seq > ?",
            arguments: [mark]
        )
        try apply(articles: ids, in: db)
    }

    /// Applies the queued changes of up to `limit` articles, oldest first; returns how many were applied.
    static func catchUp(_ db: Database, limit: Int) throws -> Int {
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT article_id FROM search_pending ORDER BY seq LIMIT ?",
            arguments: [limit]
        )
        let distinct = Array(Set(ids))
        try apply(articles: distinct, in: db)
        return distinct.count
    }

    /// Brings the postings of `ids` to their articles' current text: every term of a text they had before
    /// (queued by the triggers) loses the article, every term of its text now gains it.
    static func apply(articles ids: [Int64], in db: Database) throws {
        guard !ids.isEmpty else { return }
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let counter = try TermCounter(db)
        var removals: [String: Set<Int64>] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT article_id, title, body FROM search_pending
                WHERE article_id IN (SELECT value FROM json_each(?)) AND title IS NOT NULL
                """,
            arguments: [list]
        ) {
            let id: Int64 = row["article_id"]
            for term in try counter.count(title: row["title"], body: row["body"] ?? "").terms.keys {
                removals[term, default: []].insert(id)
            }
        }
        var additions: [String: [Posting]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT id, title, body FROM article WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            arguments: [list]
        ) {
            let id: Int64 = row["id"]
            let (terms, length) = try counter.count(title: row["title"], body: row["body"])
            for (term, counts) in terms {
                additions[term, default: []]
                    .append(Posting(id: id, title: counts.title, body: counts.body, length: length))
            }
        }
        for term in Set(removals.keys).union(additions.keys) {
            try apply(term: term, removing: removals[term] ?? [], adding: additions[term] ?? [], in: db)
        }
        try db.execute(
            sql: "DELETE FROM search_pending WHERE article_id IN (SELECT value FROM json_each(?))",
            arguments: [list]
        )
    }

    /// Removes `removing` from a term's postings and puts `adding` in (replacing an article's old
    /// posting), rewriting only the blocks they fall in, and keeps the term's article count.
    static func apply(term: String, removing: Set<Int64>, adding: [Posting], in db: Database) throws {
        // The term, its last block and that block's postings in one read: most changes are additions of
        // new articles, which all go to the last block.
        let known = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT t.id, b.last_id, b.data FROM search_term t
                    LEFT JOIN search_block b ON b.term_id = t.id
                        AND b.last_id = (SELECT MAX(last_id) FROM search_block WHERE term_id = t.id)
                    WHERE t.term = ?
                    """
            ),
            arguments: [term]
        )
        let termID: Int64
        if let known {
            termID = known[0]
        } else {
            guard !adding.isEmpty else { return }
            try db.cachedStatement(sql: "INSERT INTO search_term (term, articles) VALUES (?, 0)")
                .execute(arguments: [term])
            termID = db.lastInsertedRowID
        }
        let lastBlock: Int64? = known?[1]
        let lastData: Data? = known?[2]
        // Each change falls in the first block ending at or after its article, or past the last block.
        var changes: [Int64?: (removing: Set<Int64>, adding: [Posting])] = [:]
        var current: Int64? = nil
        for id in removing.sorted() {
            if current == nil || id > current! {
                current =
                    try Int64.fetchOne(
                        db.cachedStatement(
                            sql:
                                "SELECT last_id FROM search_block WHERE term_id = ? AND last_id >= ? ORDER BY last_id LIMIT 1"
                        ),
                        arguments: [termID, id]
                    ) ?? lastBlock
            }
            changes[current, default: ([], [])].removing.insert(id)
        }
        for posting in adding {
            let block =
                try lastBlock.flatMap { last in posting.id > last ? last : nil }
                ?? Int64.fetchOne(
                    db.cachedStatement(
                        sql:
                            "SELECT last_id FROM search_block WHERE term_id = ? AND last_id >= ? ORDER BY last_id LIMIT 1"
                    ),
                    arguments: [termID, posting.id]
                )
            changes[block, default: ([], [])].adding.append(posting)
        }
        var delta = 0
        for (lastID, change) in changes {
            var postings: [Posting] = []
            if let lastID,
                let data = try lastID == lastBlock
                    ? lastData
                    : Data.fetchOne(
                        db.cachedStatement(sql: "SELECT data FROM search_block WHERE term_id = ? AND last_id = ?"),
                        arguments: [termID, lastID]
                    )
            {
                postings = PostingBlock(data: data).postings
                try db.cachedStatement(sql: "DELETE FROM search_block WHERE term_id = ? AND last_id = ?")
                    .execute(arguments: [termID, lastID])
            }
            let before = postings.count
            postings.removeAll { change.removing.contains($0.id) }
            let kept = postings.count
            let added = Dictionary(change.adding.map { ($0.id, $0) }) { _, last in last }
            postings.removeAll { added[$0.id] != nil }
            delta += kept - before + (added.count - (kept - postings.count))
            postings += added.values
            postings.sort { $0.id < $1.id }
            for start in stride(from: 0, to: postings.count, by: blockSize) {
                let block = PostingBlock(postings: Array(postings[start..<min(start + blockSize, postings.count)]))
                let bound = block.bound
                try db.cachedStatement(
                    sql: """
                        INSERT INTO search_block (term_id, last_id, postings, impacts, data) VALUES (?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [termID, bound.lastID, block.postings.count, bound.impactData, block.data])
            }
        }
        guard delta != 0 else { return }
        try db.cachedStatement(sql: "UPDATE search_term SET articles = articles + ? WHERE id = ?")
            .execute(arguments: [delta, termID])
        if delta < 0 {
            try db.cachedStatement(sql: "DELETE FROM search_term WHERE id = ? AND articles <= 0")
                .execute(arguments: [termID])
        }
    }
}

extension AppDatabase {
    /// Articles one step of `updateSearchPostings()` applies: one write transaction of about half a second,
    /// so a server's writes queue between the steps of a large backlog rather than behind all of it.
    static let searchPostingsStep = 500

    /// Applies every queued change to the search postings in short write transactions (a migration's
    /// backlog, or what an interrupted import left); returns how many articles were applied.
    @discardableResult
    public func updateSearchPostings() async throws -> Int {
        try await inSteps {
            try await writer.write { db in try SearchPostings.catchUp(db, limit: Self.searchPostingsStep) }
        }
    }

    /// A write of articles that applies its own changes to the search postings before it commits.
    func writeArticles<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write { db in
            let mark = try SearchPostings.mark(db)
            let result = try body(db)
            try SearchPostings.catchUp(db, after: mark)
            return result
        }
    }
}

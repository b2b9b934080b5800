import ClippingsStories
import Foundation
import GRDB

/// The SQLite archive's story tables, read and written as placement goes, in the caller's transaction.
struct SQLiteStoryTables: StoryTables {
    let db: Database

    func articleCount() throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT articles FROM archive_count")) ?? 0
    }

    func frequencies(of terms: Set<String>) throws -> [String: Double] {
        // A JSON array of the terms, for `json_each`: one statement for all of them. Terms hold letters,
        // digits and `'.,:` only, never what JSON escapes.
        let json = "[" + terms.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        var found: [String: Double] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT term, articles FROM search_term WHERE term IN (SELECT value FROM json_each(?))"
            ),
            arguments: [json]
        ) {
            found[row[0]] = row[1]
        }
        return found
    }

    func stories(forKey key: String, limit: Int) throws -> [(stored: Int64, story: Int64)] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT k.story_id, COALESCE(r.story_id, k.story_id) FROM story_key k
                    LEFT JOIN story_redirect r ON r.id = k.story_id
                    WHERE k.key = ? ORDER BY k.story_id DESC LIMIT ?
                    """
            ),
            arguments: [key, limit]
        ).map { (stored: $0[0] as Int64, story: $0[1] as Int64) }
    }

    func profile(of story: Int64) throws -> StoryProfile? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT profile FROM story WHERE id = ?"), arguments: [story])
            .map { StoryProfile(bytes: [UInt8]($0)) }
    }

    func neighbours(inBand band: Int64, excluding articleID: Int64?, limit: Int) throws -> [BandNeighbour] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT s.article_id, s.shingles, s.signature, a.story_id, a.near_duplicate_of
                    FROM article_band b
                    JOIN article_signature s ON s.article_id = b.article_id
                    JOIN article a ON a.id = b.article_id
                    WHERE b.band = ? AND b.article_id != ?
                    ORDER BY b.article_id LIMIT ?
                    """
            ),
            arguments: [band, articleID ?? 0, limit]
        ).compactMap { row in
            ShingleSignature(bytes: [UInt8](row[2] as Data), shingles: row[1]).map {
                BandNeighbour(id: row[0], signature: $0, story: row[3], original: row[4])
            }
        }
    }

    func createStory(_ profile: StoryProfile, title: String, stamp: String) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO story (title, first_published_at, last_published_at, activity_at, profile,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            title, profile.first.map(Timestamp.string), profile.last.map(Timestamp.string),
            profile.last.map(Timestamp.string) ?? stamp, Data(profile.bytes), stamp, stamp,
        ])
        return db.lastInsertedRowID
    }

    func saveStory(_ profile: StoryProfile, of story: Int64, stamp: String) throws {
        try db.cachedStatement(
            sql: """
                UPDATE story SET profile = ?, first_published_at = ?, last_published_at = ?,
                    activity_at = COALESCE(?, activity_at), updated_at = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            Data(profile.bytes), profile.first.map(Timestamp.string), profile.last.map(Timestamp.string),
            profile.last.map(Timestamp.string), stamp, story,
        ])
    }

    func mergeStory(_ loser: Int64, into survivor: Int64) throws {
        try db.execute(
            sql: """
                UPDATE article SET story_id = :survivor WHERE story_id = :loser;
                UPDATE story_redirect SET story_id = :survivor WHERE story_id = :loser;
                INSERT OR REPLACE INTO story_redirect (id, story_id) VALUES (:loser, :survivor);
                UPDATE story SET activity_at = MAX(activity_at, (SELECT activity_at FROM story WHERE id = :loser))
                WHERE id = :survivor;
                DELETE FROM story WHERE id = :loser;
                """,
            arguments: ["survivor": survivor, "loser": loser]
        )
    }

    func addKey(_ key: String, story: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO story_key (key, story_id) VALUES (?, ?)")
            .execute(arguments: [key, story])
    }

    func storeSignature(_ signature: ShingleSignature, of article: Int64) throws {
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO article_signature (article_id, shingles, signature) VALUES (?, ?, ?)"
        ).execute(arguments: [article, signature.shingles, Data(signature.bytes)])
        try storeBands(of: signature, for: article)
    }

    /// What finds the article as an original: its signature's bands.
    func storeBands(of signature: ShingleSignature, for article: Int64) throws {
        for band in signature.bandKeys {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO article_band (band, article_id) VALUES (?, ?)")
                .execute(arguments: [band, article])
        }
    }

    /// Assigns an article again after its text, tags or date changed: it leaves its story (whose profile
    /// keeps what it added: profiles are sums, and an edit is rare) and is matched as if new.
    func reassign(_ articleID: Int64, stamp: String, memo: StoryMemo = StoryMemo()) throws {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT title, body, published_at FROM article WHERE id = ?",
                arguments: [articleID]
            )
        else { return }
        try forget(articleID)
        try db.execute(
            sql: "UPDATE article SET story_id = NULL, near_duplicate_of = NULL WHERE id = ?",
            arguments: [articleID]
        )
        let publishedAt: String? = row["published_at"]
        let title: String = row["title"]
        let body: String = row["body"]
        let tags = try String.fetchAll(
            db,
            sql: "SELECT t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = ?",
            arguments: [articleID]
        )
        let links = try String.fetchAll(db, sql: "SELECT url FROM link WHERE article_id = ?", arguments: [articleID])
        let (features, signature) = StoryAssigner.matchedBy(
            title: title,
            body: body,
            publishedAt: publishedAt,
            tags: tags,
            links: links
        )
        let placement = try StoryAssigner.place(
            features: features,
            signature: signature,
            title: title,
            stamp: stamp,
            excluding: articleID,
            indexed: true,
            memo: memo,
            tables: self
        )
        try db.cachedStatement(sql: "UPDATE article SET story_id = ?, near_duplicate_of = ? WHERE id = ?")
            .execute(arguments: [placement.story, placement.original, articleID])
        try StoryAssigner.remember(articleID, placement, signature: signature, memo: memo, tables: self)
    }

    /// Removes an article's signature and bands, before it is deleted or matched again.
    func forget(_ articleID: Int64) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT shingles, signature FROM article_signature WHERE article_id = ?"),
                arguments: [articleID]
            ), let signature = ShingleSignature(bytes: [UInt8](row["signature"] as Data), shingles: row["shingles"])
        else { return }
        for band in signature.bandKeys {
            try db.cachedStatement(sql: "DELETE FROM article_band WHERE band = ? AND article_id = ?")
                .execute(arguments: [band, articleID])
        }
        try db.cachedStatement(sql: "DELETE FROM article_signature WHERE article_id = ?").execute(arguments: [articleID]
        )
    }
}

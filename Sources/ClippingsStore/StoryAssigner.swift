import ClippingsExtraction
import ClippingsStories
import Foundation
import GRDB

/// Puts each article written into a story, inside the write's transaction and from what the archive
/// already holds: the article joins the story it fits best (`StoryMatcher`) or starts one, and a
/// syndicated copy of an earlier article joins that article's story, pointing to it. Nothing else is
/// reclustered; `clippings stories rebuild` does that on demand (`StoryRebuild`).
///
/// The work per article is bounded whatever the archive's size: one lookup of its words' document
/// frequencies, one per band of its signature and per key word (each a `LIMIT`ed index range), and the
/// profiles of at most `candidateLimit` stories.
enum StoryAssigner {
    static let matcher = StoryMatcher()
    /// How many of its heaviest words an article is looked for by. Its very heaviest are often its own,
    /// which no story has yet: enough are taken to reach the words it shares.
    static let keysPerArticle = 24
    /// How many of its heaviest words an article adds to its story's keys: every article of a story adds
    /// its own, so a story is found by many more, and each is a row written into an ever larger index
    /// (12 and 24 score alike on both labelled sets; BENCHMARKS.md).
    static let keysRemembered = 12
    /// How many stories a key word proposes, newest first: a common word names many.
    static let storiesPerKey = 30
    /// How many of the stories sharing most key words are scored.
    static let candidateLimit = 8
    /// Articles a young archive is weighed as if it had besides its own. Names weigh by idf cubed
    /// (`StoryFeatures.nameIDFPower`), and in an archive of five articles a name two of them share would
    /// weigh a fifth of one only one has: the reports of one event would share nothing that counts. Past a
    /// few thousand articles it makes no difference (measured: ECB+ moves by 0.002).
    static let idfPrior = 300.0
    /// How many earlier articles a band of a signature proposes.
    static let articlesPerBand = 20

    /// Where an article goes: its story, the article it copies, and the key words it adds to the story.
    struct Placement {
        var story: Int64
        var original: Int64?
        var keys: [String]
    }

    /// Finds an article's story (joining, starting or merging stories as it must), before the article is
    /// stored, so its row is written once with its story. `excluding`: the article itself, when it is
    /// matched again; `indexed`: whether the archive's counts already hold it.
    static func place(
        features: StoryFeatures,
        signature: ShingleSignature,
        title: String,
        stamp: String,
        excluding articleID: Int64? = nil,
        indexed: Bool = false,
        memo: StoryMemo,
        in db: Database
    ) throws -> Placement {
        let copied = signature.isComparable ? try findOriginal(of: signature, excluding: articleID, in: db) : nil
        let vectors = try weigh(features, indexed: indexed, memo: memo, in: db)
        let story: Int64
        if let copiedStory = copied?.story, var profile = try memo.profile(of: copiedStory, in: db) {
            profile.add(vectors)
            try save(profile, of: copiedStory, stamp: stamp, memo: memo, in: db)
            story = copiedStory
        } else {
            story = try join(vectors, title: title, stamp: stamp, memo: memo, in: db)
        }
        return Placement(story: story, original: copied?.id, keys: vectors.keys(keysRemembered))
    }

    /// Records what later articles find a stored article by: its signature's bands and its key words.
    static func remember(
        _ articleID: Int64,
        _ placement: Placement,
        signature: ShingleSignature,
        memo: StoryMemo,
        in db: Database
    ) throws {
        if signature.isComparable { try store(signature, of: articleID, in: db) }
        for key in placement.keys {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO story_key (key, story_id) VALUES (?, ?)")
                .execute(arguments: [key, placement.story])
            memo.add(key: key, story: placement.story)
        }
    }

    /// Assigns an article again after its text, tags or date changed: it leaves its story (whose profile
    /// keeps what it added: profiles are sums, and an edit is rare) and is matched as if new.
    static func reassign(_ articleID: Int64, stamp: String, memo: StoryMemo = StoryMemo(), in db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT title, body, published_at FROM article WHERE id = ?",
                arguments: [articleID]
            )
        else { return }
        try forget(articleID, in: db)
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
        let features = StoryFeatures(
            title: title,
            body: body,
            links: links,
            tags: tags,
            published: publishedAt.flatMap(Timestamp.date)
        )
        let signature = ShingleSignature(text: body)
        let placement = try place(
            features: features,
            signature: signature,
            title: title,
            stamp: stamp,
            excluding: articleID,
            indexed: true,
            memo: memo,
            in: db
        )
        try db.cachedStatement(sql: "UPDATE article SET story_id = ?, near_duplicate_of = ? WHERE id = ?")
            .execute(arguments: [placement.story, placement.original, articleID])
        try remember(articleID, placement, signature: signature, memo: memo, in: db)
    }

    /// Removes an article's signature and bands, before it is deleted or matched again.
    static func forget(_ articleID: Int64, in db: Database) throws {
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

    // MARK: - Copies

    /// The earliest article this one is a copy of (or, when that is itself a copy, the article it copies),
    /// with its story.
    private static func findOriginal(
        of signature: ShingleSignature,
        excluding articleID: Int64?,
        in db: Database
    ) throws -> (id: Int64, story: Int64?)? {
        var seen = Set<Int64>()
        var best: (id: Int64, story: Int64?)?
        for band in signature.bandKeys {
            let rows = try Row.fetchAll(
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
                arguments: [band, articleID ?? 0, articlesPerBand]
            )
            for row in rows {
                let id: Int64 = row[0]
                guard seen.insert(id).inserted,
                    let other = ShingleSignature(bytes: [UInt8](row[2] as Data), shingles: row[1]),
                    signature.isNearDuplicate(of: other)
                else { continue }
                let originalID: Int64 = row[4] ?? id
                if best == nil || originalID < best!.id { best = (originalID, row[3]) }
            }
        }
        return best
    }

    private static func store(_ signature: ShingleSignature, of articleID: Int64, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO article_signature (article_id, shingles, signature) VALUES (?, ?, ?)"
        ).execute(arguments: [articleID, signature.shingles, Data(signature.bytes)])
        try storeBands(of: signature, for: articleID, in: db)
    }

    /// What finds the article as an original: its signature's bands.
    static func storeBands(of signature: ShingleSignature, for articleID: Int64, in db: Database) throws {
        for band in signature.bandKeys {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO article_band (band, article_id) VALUES (?, ?)")
                .execute(arguments: [band, articleID])
        }
    }

    // MARK: - Stories

    /// Weighs an article's words by the archive's document frequencies (those the search index keeps):
    /// `ln((N + idfPrior) / (df + 1)) + 1` over the N other articles, so a word no other article has weighs
    /// most.
    /// `indexed`: the archive and its search index already count the article (it is matched again).
    static func weigh(
        _ features: StoryFeatures,
        indexed: Bool,
        memo: StoryMemo,
        in db: Database
    ) throws -> StoryVectors {
        let words = Set(features.terms.keys).union(features.names.keys)
        let terms = Dictionary(uniqueKeysWithValues: words.map { ($0, ArchiveTokenizer.normalize($0)) })
        let frequencies = try memo.frequencies(of: Set(terms.values), in: db)
        let own = indexed ? 1.0 : 0
        let others = Double(try Int.fetchOne(db.cachedStatement(sql: "SELECT articles FROM archive_count")) ?? 0) - own
        let frequency = { (word: String) in max(0, (terms[word].flatMap { frequencies[$0] } ?? own) - own) }
        return features.weighted { word in log((max(0, others) + idfPrior) / (frequency(word) + 1)) + 1 }
    }

    /// Joins the best-fitting story, or starts one; returns its id. When a second story fits as well
    /// as `mergeThreshold`, the two are one event told twice, and merge.
    private static func join(
        _ vectors: StoryVectors,
        title: String,
        stamp: String,
        memo: StoryMemo,
        in db: Database
    ) throws -> Int64 {
        let scored = try candidates(for: vectors, memo: memo, in: db)
            .map { (id: $0.id, profile: $0.profile, score: matcher.score(vectors, $0.profile)) }
            .sorted { ($0.score, $0.id) > ($1.score, $1.id) }
        guard let best = scored.first, best.score >= matcher.threshold else {
            return try create(StoryProfile(vectors), title: title, stamp: stamp, memo: memo, in: db)
        }
        var profile = best.profile
        profile.add(vectors)
        var storyID = best.id
        if scored.count > 1, scored[1].score >= matcher.mergeThreshold {
            storyID = try merge(storyID, profile: &profile, with: scored[1].id, scored[1].profile, memo: memo, in: db)
        }
        try save(profile, of: storyID, stamp: stamp, memo: memo, in: db)
        return storyID
    }

    /// The stories sharing most key words with the article, at most `candidateLimit`, with their profiles.
    private static func candidates(
        for vectors: StoryVectors,
        memo: StoryMemo,
        in db: Database
    ) throws -> [(id: Int64, profile: StoryProfile)] {
        var found: [Int64: Int] = [:]
        for key in vectors.keys(keysPerArticle) {
            for id in try memo.stories(forKey: key, in: db) { found[id, default: 0] += 1 }
        }
        let chosen = found.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(candidateLimit).map(\.key)
        return try chosen.compactMap { id in try memo.profile(of: id, in: db).map { (id, $0) } }
    }

    private static func create(
        _ profile: StoryProfile,
        title: String,
        stamp: String,
        memo: StoryMemo,
        in db: Database
    ) throws -> Int64 {
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
        memo.save(profile, of: db.lastInsertedRowID)
        return db.lastInsertedRowID
    }

    private static func save(
        _ profile: StoryProfile,
        of storyID: Int64,
        stamp: String,
        memo: StoryMemo,
        in db: Database
    ) throws {
        memo.save(profile, of: storyID)
        try db.cachedStatement(
            sql: """
                UPDATE story SET profile = ?, first_published_at = ?, last_published_at = ?,
                    activity_at = COALESCE(?, activity_at), updated_at = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            Data(profile.bytes), profile.first.map(Timestamp.string), profile.last.map(Timestamp.string),
            profile.last.map(Timestamp.string), stamp, storyID,
        ])
    }

    /// Merges two stories into the one with more articles (the older on a tie); the other's id redirects
    /// to it from now on. Returns the survivor's id, with `profile` now the two stories' sum.
    private static func merge(
        _ first: Int64,
        profile: inout StoryProfile,
        with second: Int64,
        _ secondProfile: StoryProfile,
        memo: StoryMemo,
        in db: Database
    ) throws -> Int64 {
        let firstKeeps =
            (profile.articles - 1, -first) >= (secondProfile.articles, -second)
        let (survivor, loser) = firstKeeps ? (first, second) : (second, first)
        profile.absorb(secondProfile)
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
        memo.merge(loser, into: survivor)
        return survivor
    }
}

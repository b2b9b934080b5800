import ClippingsStore
import ClippingsStories
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL archive's story tables, for one write transaction. Placement (`StoryAssigner`) is
/// synchronous and PostgreSQL's statements are not, so `place` reads ahead, in a few statements, what
/// placing the article will read (its words' frequencies, its bands' neighbours, its key words' stories,
/// its candidates' profiles), and applies what placement wrote, in order, before the article is stored.
/// A read that was not read ahead is a fault of this type, never answered with a guess. What is read
/// ahead is asked for by the memo right away, and the memo keeps it (and what placement writes) from
/// then on, so the rows read ahead need not follow later writes; a band's neighbours, which the memo
/// does not keep, are read afresh for each article.
final class PostgresStoryTables: StoryTables {
    let connection: PostgresConnection
    let logger: Logger
    /// What placement has read in this transaction, shared by its articles.
    let memo = StoryMemo()
    /// Articles stored in this transaction before the counts in `archive_state` are moved (`finish`).
    var articlesStored = 0

    private var storedBefore: Int?
    private var nextStoryID: Int64?
    private var firstStoryID: Int64?
    private var frequencyRows: [String: Double] = [:]
    private var termsRead: Set<String> = []
    private var keyRows: [String: [(stored: Int64, story: Int64)]] = [:]
    private var profileRows: [Int64: StoryProfile?] = [:]
    private var bandRows: [Int64: [BandNeighbour]] = [:]
    private var bandsExcluding: Int64?
    private var pending: [SQLBuilder] = []
    private var pendingKeys: [(key: String, story: Int64)] = []
    private var pendingSignature: (article: Int64, signature: ShingleSignature)?

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Places an article (before it is stored): reads ahead, places, and writes the stories placement changed.
    func place(
        features: StoryFeatures,
        signature: ShingleSignature,
        title: String,
        stamp: String,
        excluding articleID: Int64? = nil,
        indexed: Bool = false
    ) async throws -> StoryAssigner.Placement {
        try await readState()
        let terms = Set(StoryAssigner.searchTerms(of: features).values)
        try await readFrequencies(memo.missingFrequencies(of: terms))
        try await readNeighbours(of: signature, excluding: articleID)
        let vectors = try StoryAssigner.weigh(features, indexed: indexed, memo: memo, tables: self)
        try await readKeys(memo.missingKeys(of: vectors.keys(StoryAssigner.keysPerArticle)))
        var stories = try StoryAssigner.candidateIDs(for: vectors, memo: memo, tables: self)
        if let copied = try StoryAssigner.findOriginal(of: signature, excluding: articleID, tables: self)?.story {
            stories.append(copied)
        }
        try await readProfiles(memo.missingProfiles(of: stories))
        let placement = try StoryAssigner.place(
            features: features,
            signature: signature,
            title: title,
            stamp: stamp,
            excluding: articleID,
            indexed: indexed,
            memo: memo,
            tables: self
        )
        try await apply()
        return placement
    }

    /// Stores what later articles find a stored article by (its bands and key words).
    func remember(_ articleID: Int64, _ placement: StoryAssigner.Placement, signature: ShingleSignature) async throws {
        try StoryAssigner.remember(articleID, placement, signature: signature, memo: memo, tables: self)
        try await apply()
    }

    /// Removes an article's signature and bands, before it is deleted or matched again.
    func forget(_ articleID: Int64) async throws {
        let delete = SQLBuilder()
        delete.append(
            "DELETE FROM article_signature WHERE article_id = \(delete.bind(articleID)) RETURNING shingles, signature"
        )
        guard let row = try await connection.rows(delete, logger: logger).first else { return }
        let (shingles, bytes) = try row.decode((Int, ByteBuffer).self)
        guard let signature = ShingleSignature(bytes: Array(bytes.readableBytesView), shingles: shingles) else {
            return
        }
        let bands = SQLBuilder()
        bands.append(
            "DELETE FROM article_band WHERE band = ANY(\(bands.bind(signature.bandKeys))) "
                + "AND article_id = \(bands.bind(articleID))"
        )
        try await connection.run(bands, logger: logger)
    }

    /// Places a stored article again after its title, tags or date changed: it leaves its story (whose
    /// profile keeps what it added, as on SQLite) and is matched as if new.
    func reassign(_ articleID: Int64, stamp: String) async throws {
        let select = SQLBuilder()
        let id = select.bind(articleID)
        select.append(
            """
            SELECT title, body, published_at,
                ARRAY(SELECT t.slug::text FROM article_tag at JOIN tag t ON t.id = at.tag_id
                    WHERE at.article_id = \(id) ORDER BY at.position),
                ARRAY(SELECT url FROM link WHERE article_id = \(id) ORDER BY position)
            FROM article WHERE id = \(id)
            """
        )
        guard let row = try await connection.rows(select, logger: logger).first else { return }
        let (title, body, publishedAt, tags, links) = try row.decode((String, String, String?, [String], [String]).self)
        try await forget(articleID)
        let (features, signature) = StoryAssigner.matchedBy(
            title: title,
            body: body,
            publishedAt: publishedAt,
            tags: tags,
            links: links
        )
        let unplace = SQLBuilder()
        unplace.append(
            "UPDATE article SET story_id = NULL, near_duplicate_of = NULL WHERE id = \(unplace.bind(articleID))"
        )
        try await connection.run(unplace, logger: logger)
        let placement = try await place(
            features: features,
            signature: signature,
            title: title,
            stamp: stamp,
            excluding: articleID,
            indexed: true
        )
        let update = SQLBuilder()
        update.append(
            "UPDATE article SET story_id = \(update.bind(placement.story)), "
                + "near_duplicate_of = \(update.bind(placement.original)) WHERE id = \(update.bind(articleID))"
        )
        try await connection.run(update, logger: logger)
        try await remember(articleID, placement, signature: signature)
    }

    /// Moves the next story id on to what this transaction took.
    func finish() async throws {
        guard let nextStoryID, nextStoryID != firstStoryID else { return }
        let update = SQLBuilder()
        update.append("UPDATE story_state SET next_id = \(update.bind(nextStoryID))")
        try await connection.run(update, logger: logger)
        firstStoryID = nextStoryID
    }

    // MARK: Reading ahead

    private func readState() async throws {
        guard storedBefore == nil else { return }
        let rows = try await connection.rows(
            "SELECT (SELECT articles FROM archive_state), (SELECT next_id FROM story_state)",
            logger: logger
        )
        guard let row = rows.first else { throw PostgresArchiveError.noRowReturned }
        let (articles, next) = try row.decode((Int64, Int64).self)
        storedBefore = Int(articles)
        nextStoryID = next
        firstStoryID = next
    }

    /// Reads the frequencies of every word of a batch's articles in one statement, before the first is
    /// placed: the search index's counts hold still until the batch ends (`finish`), so they serve all.
    func readFrequencies(of articles: [StoryFeatures]) async throws {
        let terms = articles.reduce(into: Set<String>()) { $0.formUnion(StoryAssigner.searchTerms(of: $1).values) }
        try await readFrequencies(memo.missingFrequencies(of: terms))
    }

    private func readFrequencies(_ terms: Set<String>) async throws {
        // Work in the size of `terms`, not of everything read so far (which grows with the batch).
        let unread = terms.filter { !termsRead.contains($0) }
        guard !unread.isEmpty else { return }
        termsRead.formUnion(unread)
        let select = SQLBuilder()
        select.append("SELECT lexeme, articles FROM search_lexeme WHERE lexeme = ANY(\(select.bind(Array(unread))))")
        for row in try await connection.rows(select, logger: logger) {
            let (term, articles) = try row.decode((String, Int).self)
            frequencyRows[term] = Double(articles)
        }
    }

    /// The neighbours of every band of the signature, `articlesPerBand` each, in one statement.
    private func readNeighbours(of signature: ShingleSignature, excluding articleID: Int64?) async throws {
        bandRows = [:]
        bandsExcluding = articleID
        guard signature.isComparable else { return }
        let select = SQLBuilder()
        select.append(
            """
            SELECT wanted.band, s.article_id, s.shingles, s.signature, a.story_id, a.near_duplicate_of
            FROM unnest(\(select.bind(signature.bandKeys))::bigint[]) AS wanted(band)
            CROSS JOIN LATERAL (
                SELECT b.article_id FROM article_band b
                WHERE b.band = wanted.band AND b.article_id <> \(select.bind(articleID ?? 0))
                ORDER BY b.article_id LIMIT \(select.bind(StoryAssigner.articlesPerBand))
            ) AS near
            JOIN article_signature s ON s.article_id = near.article_id
            JOIN article a ON a.id = near.article_id
            ORDER BY wanted.band, s.article_id
            """
        )
        for band in signature.bandKeys { bandRows[band] = [] }
        for row in try await connection.rows(select, logger: logger) {
            let (band, id, shingles, bytes, story, original) = try row.decode(
                (Int64, Int64, Int, ByteBuffer, Int64?, Int64?).self
            )
            if let neighbour = ShingleSignature(bytes: Array(bytes.readableBytesView), shingles: shingles) {
                bandRows[band, default: []].append(
                    BandNeighbour(id: id, signature: neighbour, story: story, original: original)
                )
            }
        }
    }

    private func readKeys(_ keys: [String]) async throws {
        let unread = keys.filter { keyRows[$0] == nil }
        guard !unread.isEmpty else { return }
        for key in unread { keyRows[key] = [] }
        let select = SQLBuilder()
        select.append(
            """
            SELECT wanted.key, k.story_id, coalesce(r.story_id, k.story_id)
            FROM unnest(\(select.bind(unread))::text[]) AS wanted(key)
            CROSS JOIN LATERAL (
                SELECT story_id FROM story_key WHERE key = wanted.key COLLATE "C"
                ORDER BY story_id DESC LIMIT \(select.bind(StoryAssigner.storiesPerKey))
            ) AS k
            LEFT JOIN story_redirect r ON r.id = k.story_id
            ORDER BY wanted.key, k.story_id DESC
            """
        )
        for row in try await connection.rows(select, logger: logger) {
            let (key, stored, story) = try row.decode((String, Int64, Int64).self)
            keyRows[key, default: []].append((stored, story))
        }
    }

    private func readProfiles(_ stories: [Int64]) async throws {
        let unread = Array(Set(stories.filter { profileRows[$0] == nil }))
        guard !unread.isEmpty else { return }
        for story in unread { profileRows[story] = .some(nil) }
        let select = SQLBuilder()
        select.append("SELECT id, profile FROM story WHERE id = ANY(\(select.bind(unread)))")
        for row in try await connection.rows(select, logger: logger) {
            let (id, bytes) = try row.decode((Int64, ByteBuffer).self)
            profileRows[id] = StoryProfile(bytes: Array(bytes.readableBytesView))
        }
    }

    // MARK: StoryTables

    func articleCount() throws -> Int {
        guard let storedBefore else { throw StoryTablesError.notReadAhead("the article count") }
        return storedBefore + articlesStored
    }

    func frequencies(of terms: Set<String>) throws -> [String: Double] {
        guard terms.isSubset(of: termsRead) else { throw StoryTablesError.notReadAhead("term frequencies") }
        var found: [String: Double] = [:]
        for term in terms { found[term] = frequencyRows[term] }
        return found
    }

    func stories(forKey key: String, limit: Int) throws -> [(stored: Int64, story: Int64)] {
        guard let stories = keyRows[key] else { throw StoryTablesError.notReadAhead("the stories of a key") }
        return Array(stories.prefix(limit))
    }

    func profile(of story: Int64) throws -> StoryProfile? {
        guard let profile = profileRows[story] else { throw StoryTablesError.notReadAhead("a story's profile") }
        return profile
    }

    func neighbours(inBand band: Int64, excluding articleID: Int64?, limit: Int) throws -> [BandNeighbour] {
        guard let neighbours = bandRows[band], articleID == bandsExcluding else {
            throw StoryTablesError.notReadAhead("a band's articles")
        }
        return Array(neighbours.prefix(limit))
    }

    func createStory(_ profile: StoryProfile, title: String, stamp: String) throws -> Int64 {
        guard let id = nextStoryID else { throw StoryTablesError.notReadAhead("the next story id") }
        nextStoryID = id + 1
        let insert = SQLBuilder()
        let last = insert.bind(profile.last.map(Timestamp.string))
        insert.append(
            """
            INSERT INTO story (id, title, first_published_at, last_published_at, activity_at, profile, created_at,
                updated_at)
            VALUES (\(insert.bind(id)), \(insert.bind(title)), \(insert.bind(profile.first.map(Timestamp.string))),
                \(last), coalesce(\(last), \(insert.bind(stamp))), \(insert.bind(ByteBuffer(bytes: profile.bytes))),
                \(insert.bind(stamp)), \(insert.bind(stamp)))
            """
        )
        pending.append(insert)
        profileRows[id] = .some(profile)
        return id
    }

    func saveStory(_ profile: StoryProfile, of story: Int64, stamp: String) throws {
        let update = SQLBuilder()
        let last = update.bind(profile.last.map(Timestamp.string))
        update.append(
            """
            UPDATE story SET profile = \(update.bind(ByteBuffer(bytes: profile.bytes))),
                first_published_at = \(update.bind(profile.first.map(Timestamp.string))), last_published_at = \(last),
                activity_at = coalesce(\(last), activity_at), updated_at = \(update.bind(stamp))
            WHERE id = \(update.bind(story))
            """
        )
        pending.append(update)
        profileRows[story] = .some(profile)
    }

    func mergeStory(_ loser: Int64, into survivor: Int64) throws {
        for text in [
            "UPDATE article SET story_id = $1 WHERE story_id = $2",
            "UPDATE story_redirect SET story_id = $1 WHERE story_id = $2",
            "INSERT INTO story_redirect (id, story_id) VALUES ($2, $1) "
                + "ON CONFLICT (id) DO UPDATE SET story_id = EXCLUDED.story_id",
            "UPDATE story SET activity_at = greatest(activity_at, (SELECT activity_at FROM story WHERE id = $2)) "
                + "WHERE id = $1",
            "DELETE FROM story WHERE id = $2",
        ] {
            let statement = SQLBuilder()
            _ = statement.bind(survivor)
            _ = statement.bind(loser)
            statement.append(text)
            pending.append(statement)
        }
        profileRows[loser] = .some(nil)
    }

    func addKey(_ key: String, story: Int64) throws {
        pendingKeys.append((key, story))
    }

    func storeSignature(_ signature: ShingleSignature, of article: Int64) throws {
        pendingSignature = (article, signature)
    }

    /// Runs the writes placement made, in order; then what finds a stored article (its signature, bands
    /// and key words) in one statement.
    private func apply() async throws {
        for statement in pending { try await connection.run(statement, logger: logger) }
        pending = []
        guard pendingSignature != nil || !pendingKeys.isEmpty else { return }
        let insert = SQLBuilder()
        var writes: [String] = []
        if let (article, signature) = pendingSignature {
            let id = insert.bind(article)
            writes.append(
                """
                INSERT INTO article_signature (article_id, shingles, signature)
                VALUES (\(id), \(insert.bind(signature.shingles)), \(insert.bind(ByteBuffer(bytes: signature.bytes))))
                ON CONFLICT (article_id) DO UPDATE SET shingles = EXCLUDED.shingles, signature = EXCLUDED.signature
                """
            )
            writes.append(
                "INSERT INTO article_band (band, article_id) SELECT band, \(id) "
                    + "FROM unnest(\(insert.bind(signature.bandKeys))::bigint[]) AS band ON CONFLICT DO NOTHING"
            )
        }
        if !pendingKeys.isEmpty {
            writes.append(
                "INSERT INTO story_key (key, story_id) SELECT * FROM unnest(\(insert.bind(pendingKeys.map(\.key)))::text[], "
                    + "\(insert.bind(pendingKeys.map(\.story)))::bigint[]) ON CONFLICT DO NOTHING"
            )
        }
        // Data-modifying statements in `WITH` all run, once, whatever the last one reads.
        let last = writes.removeLast()
        insert.append(
            (writes.isEmpty
                ? "" : "WITH " + writes.enumerated().map { "w\($0) AS (\($1))" }.joined(separator: ", ") + " ")
                + last
        )
        try await connection.run(insert, logger: logger)
        pendingSignature = nil
        pendingKeys = []
    }
}

/// A read placement made that the PostgreSQL store had not read ahead: a fault in the store, not input.
enum StoryTablesError: Error, Equatable {
    case notReadAhead(String)
}

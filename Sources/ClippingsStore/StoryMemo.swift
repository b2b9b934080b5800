import ClippingsStories
import Foundation
import GRDB

/// What placing articles in stories reads from the archive, remembered for the rest of one write
/// transaction: the words' document frequencies, the stories each key word names, the redirects of
/// merged stories and the profiles of stories read or written.
///
/// The articles of one import batch share most of their words and candidate stories, so each is read
/// once per transaction instead of once per article. It changes nothing placed: within the transaction
/// the search index's frequencies hold still (its postings catch up at commit), and every write of keys,
/// profiles and redirects goes through the memo, which keeps what it holds as the tables now are. Made
/// for one transaction and dropped with it: another writer may change the archive between two.
final class StoryMemo {
    /// Term → the articles holding it, as `search_term` counts; nil for a term no article holds.
    private var frequencies: [String: Double?] = [:]
    /// Key word → the ids of the stories it names, as stored (before redirects), newest first, at most
    /// `StoryAssigner.storiesPerKey`.
    private var storiesByKey: [String: [Int64]] = [:]
    /// Merged story → the story it now is; read whole on first use (merges are rare).
    private var redirects: [Int64: Int64]?
    private var profiles: [Int64: StoryProfile] = [:]

    init() {}

    /// The document frequencies of `terms` (folded and normalised as the search index keeps them).
    func frequencies(of terms: Set<String>, in db: Database) throws -> [String: Double] {
        let missing = terms.filter { frequencies[$0] == nil }
        if !missing.isEmpty {
            // A JSON array of the terms, for `json_each`: one statement for all of them. Terms hold letters,
            // digits and `'.,:` only, never what JSON escapes.
            let json = "[" + missing.map { "\"\($0)\"" }.joined(separator: ",") + "]"
            for term in missing { frequencies[term] = .some(nil) }
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT term, articles FROM search_term WHERE term IN (SELECT value FROM json_each(?))"
                ),
                arguments: [json]
            ) {
                frequencies[row[0]] = .some(row[1])
            }
        }
        var found: [String: Double] = [:]
        for term in terms { if let frequency = frequencies[term] ?? nil { found[term] = frequency } }
        return found
    }

    /// The stories a key word names, newest first, each resolved through its redirect.
    func stories(forKey key: String, in db: Database) throws -> [Int64] {
        let stored: [Int64]
        if let known = storiesByKey[key] {
            stored = known
        } else {
            stored = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT story_id FROM story_key WHERE key = ? ORDER BY story_id DESC LIMIT ?"),
                arguments: [key, StoryAssigner.storiesPerKey]
            )
            storiesByKey[key] = stored
        }
        let redirects = try self.redirects(in: db)
        return redirects.isEmpty ? stored : stored.map { redirects[$0] ?? $0 }
    }

    /// Records that `key` names `story` (stored in `story_key` by the caller).
    func add(key: String, story: Int64) {
        guard var stored = storiesByKey[key], !stored.contains(story) else { return }
        let position = stored.firstIndex { $0 < story } ?? stored.endIndex
        // A full list holds the newest ids only: an older one than all of them stays out, as in the table.
        guard position < StoryAssigner.storiesPerKey else { return }
        stored.insert(story, at: position)
        storiesByKey[key] = Array(stored.prefix(StoryAssigner.storiesPerKey))
    }

    func profile(of story: Int64, in db: Database) throws -> StoryProfile? {
        if let profile = profiles[story] { return profile }
        let profile = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT profile FROM story WHERE id = ?"),
            arguments: [story]
        ).map { StoryProfile(bytes: [UInt8]($0)) }
        profiles[story] = profile
        return profile
    }

    /// Records a story's profile as written.
    func save(_ profile: StoryProfile, of story: Int64) {
        profiles[story] = profile
    }

    /// Records that `loser` was merged into `survivor`, as `story_redirect` now says.
    func merge(_ loser: Int64, into survivor: Int64, in db: Database) throws {
        var redirects = try self.redirects(in: db)
        for (from, to) in redirects where to == loser { redirects[from] = survivor }
        redirects[loser] = survivor
        self.redirects = redirects
        profiles[loser] = nil
    }

    private func redirects(in db: Database) throws -> [Int64: Int64] {
        if let redirects { return redirects }
        var loaded: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, story_id FROM story_redirect") { loaded[row[0]] = row[1] }
        redirects = loaded
        return loaded
    }
}

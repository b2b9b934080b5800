import ClippingsStories
import Foundation

/// What placing articles in stories reads from the archive, remembered for the rest of one write
/// transaction: the words' document frequencies, the stories each key word names (through the redirects
/// of merged stories) and the profiles of stories read or written.
///
/// The articles of one import batch share most of their words and candidate stories, so each is read
/// once per transaction instead of once per article. It changes nothing placed: within the transaction
/// the search index's frequencies hold still (its postings catch up at commit), and every write of keys,
/// profiles and merges goes through the memo, which keeps what it holds as the tables now are. Made
/// for one transaction and dropped with it: another writer may change the archive between two.
package final class StoryMemo {
    /// Term → the articles holding it, as `search_term` counts; nil for a term no article holds.
    private var frequencies: [String: Double?] = [:]
    /// Key word → the stories it names, at most `StoryAssigner.storiesPerKey`, newest first by the id
    /// stored with the key; `story` is that id through its redirect, if the story was merged.
    private var storiesByKey: [String: [(stored: Int64, story: Int64)]] = [:]
    private var profiles: [Int64: StoryProfile] = [:]

    package init() {}

    /// The document frequencies of `terms` (folded and normalised as the search index keeps them).
    func frequencies(of terms: Set<String>, from tables: some StoryTables) throws -> [String: Double] {
        let missing = missingFrequencies(of: terms)
        if !missing.isEmpty {
            for term in missing { frequencies[term] = .some(nil) }
            for (term, frequency) in try tables.frequencies(of: missing) { frequencies[term] = .some(frequency) }
        }
        var found: [String: Double] = [:]
        for term in terms { if let frequency = frequencies[term] ?? nil { found[term] = frequency } }
        return found
    }

    /// The terms of `terms` whose frequencies the memo does not hold yet.
    package func missingFrequencies(of terms: Set<String>) -> Set<String> {
        terms.filter { frequencies[$0] == nil }
    }

    /// The stories a key word names, newest first, each resolved through its redirect.
    func stories(forKey key: String, from tables: some StoryTables) throws -> [Int64] {
        if let known = storiesByKey[key] { return known.map(\.story) }
        let found = try tables.stories(forKey: key, limit: StoryAssigner.storiesPerKey)
        storiesByKey[key] = found
        return found.map(\.story)
    }

    /// The key words of `keys` whose stories the memo does not hold yet.
    package func missingKeys(of keys: [String]) -> [String] {
        keys.filter { storiesByKey[$0] == nil }
    }

    /// Records that `key` names `story`, a story that is no redirect (stored in `story_key` by the caller).
    func add(key: String, story: Int64) {
        guard var known = storiesByKey[key], !known.contains(where: { $0.stored == story }) else { return }
        let position = known.firstIndex { $0.stored < story } ?? known.endIndex
        // A full list holds the newest ids only: an older one than all of them stays out, as in the table.
        guard position < StoryAssigner.storiesPerKey else { return }
        known.insert((story, story), at: position)
        storiesByKey[key] = Array(known.prefix(StoryAssigner.storiesPerKey))
    }

    func profile(of story: Int64, from tables: some StoryTables) throws -> StoryProfile? {
        if let profile = profiles[story] { return profile }
        let profile = try tables.profile(of: story)
        profiles[story] = profile
        return profile
    }

    /// The stories of `stories` whose profiles the memo does not hold yet.
    package func missingProfiles(of stories: [Int64]) -> [Int64] {
        stories.filter { profiles[$0] == nil }
    }

    /// Records a story's profile as written.
    func save(_ profile: StoryProfile, of story: Int64) {
        profiles[story] = profile
    }

    /// Records that `loser` was merged into `survivor`: what named the one names the other, as
    /// `story_redirect` now says.
    func merge(_ loser: Int64, into survivor: Int64) {
        for (key, known) in storiesByKey where known.contains(where: { $0.story == loser }) {
            storiesByKey[key] = known.map { ($0.stored, $0.story == loser ? survivor : $0.story) }
        }
        profiles[loser] = nil
    }
}

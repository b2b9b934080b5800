import ClippingsExtraction
import ClippingsStories
import Foundation

/// Puts each article written into a story, inside the write's transaction and from what the archive
/// already holds: the article joins the story it fits best (`StoryMatcher`) or starts one, and a
/// syndicated copy of an earlier article joins that article's story, pointing to it. Nothing else is
/// reclustered; `clippings stories rebuild` does that on demand (`StoryRebuild`).
///
/// The work per article is bounded whatever the archive's size: one lookup of its words' document
/// frequencies, one per band of its signature and per key word (each a `LIMIT`ed index range), and the
/// profiles of at most `candidateLimit` stories.
package enum StoryAssigner {
    static let matcher = StoryMatcher()
    /// How many of its heaviest words an article is looked for by. Its very heaviest are often its own,
    /// which no story has yet: enough are taken to reach the words it shares.
    package static let keysPerArticle = 24
    /// How many of its heaviest words an article adds to its story's keys: every article of a story adds
    /// its own, so a story is found by many more, and each is a row written into an ever larger index
    /// (12 and 24 score alike on both labelled sets; BENCHMARKS.md).
    static let keysRemembered = 12
    /// How many stories a key word proposes, newest first: a common word names many.
    package static let storiesPerKey = 30
    /// How many of the stories sharing most key words are scored.
    static let candidateLimit = 8
    /// Articles a young archive is weighed as if it had besides its own. Names weigh by idf cubed
    /// (`StoryFeatures.nameIDFPower`), and in an archive of five articles a name two of them share would
    /// weigh a fifth of one only one has: the reports of one event would share nothing that counts. Past a
    /// few thousand articles it makes no difference (measured: ECB+ moves by 0.002).
    static let idfPrior = 300.0
    /// How many earlier articles a band of a signature proposes.
    package static let articlesPerBand = 20

    /// Where an article goes: its story, the article it copies, and the key words it adds to the story.
    package struct Placement: Sendable {
        package var story: Int64
        package var original: Int64?
        package var keys: [String]
    }

    /// Finds an article's story (joining, starting or merging stories as it must), before the article is
    /// stored, so its row is written once with its story. `excluding`: the article itself, when it is
    /// matched again; `indexed`: whether the archive's counts already hold it.
    package static func place(
        features: StoryFeatures,
        signature: ShingleSignature,
        title: String,
        stamp: String,
        excluding articleID: Int64? = nil,
        indexed: Bool = false,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws -> Placement {
        let copied = try findOriginal(of: signature, excluding: articleID, tables: tables)
        let vectors = try weigh(features, indexed: indexed, memo: memo, tables: tables)
        let story: Int64
        if let copiedStory = copied?.story, var profile = try memo.profile(of: copiedStory, from: tables) {
            profile.add(vectors)
            try save(profile, of: copiedStory, stamp: stamp, memo: memo, tables: tables)
            story = copiedStory
        } else {
            story = try join(vectors, title: title, stamp: stamp, memo: memo, tables: tables)
        }
        return Placement(story: story, original: copied?.id, keys: vectors.keys(keysRemembered))
    }

    /// What a stored article is matched by again (`reassign` on either backend): its features and copy
    /// signature, from its stored columns.
    package static func matchedBy(
        title: String,
        body: String,
        publishedAt: String?,
        tags: [String],
        links: [String]
    ) -> (features: StoryFeatures, signature: ShingleSignature) {
        let features = StoryFeatures(
            title: title,
            body: body,
            links: links,
            tags: tags,
            published: publishedAt.flatMap(Timestamp.date)
        )
        return (features, ShingleSignature(text: body))
    }

    /// Records what later articles find a stored article by: its signature's bands and its key words.
    package static func remember(
        _ articleID: Int64,
        _ placement: Placement,
        signature: ShingleSignature,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws {
        if signature.isComparable { try tables.storeSignature(signature, of: articleID) }
        for key in placement.keys {
            try tables.addKey(key, story: placement.story)
            memo.add(key: key, story: placement.story)
        }
    }

    // MARK: - Copies

    /// The earliest article this one is a copy of (or, when that is itself a copy, the article it copies),
    /// with its story.
    package static func findOriginal(
        of signature: ShingleSignature,
        excluding articleID: Int64?,
        tables: some StoryTables
    ) throws -> (id: Int64, story: Int64?)? {
        guard signature.isComparable else { return nil }
        var seen = Set<Int64>()
        var best: (id: Int64, story: Int64?)?
        for band in signature.bandKeys {
            for neighbour in try tables.neighbours(inBand: band, excluding: articleID, limit: articlesPerBand) {
                guard seen.insert(neighbour.id).inserted, signature.isNearDuplicate(of: neighbour.signature) else {
                    continue
                }
                let originalID = neighbour.original ?? neighbour.id
                if best == nil || originalID < best!.id { best = (originalID, neighbour.story) }
            }
        }
        return best
    }

    // MARK: - Stories

    /// Weighs an article's words by the archive's document frequencies (those the search index keeps):
    /// `ln((N + idfPrior) / (df + 1)) + 1` over the N other articles, so a word no other article has weighs
    /// most.
    /// `indexed`: the archive and its search index already count the article (it is matched again).
    package static func weigh(
        _ features: StoryFeatures,
        indexed: Bool,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws -> StoryVectors {
        let terms = searchTerms(of: features)
        let frequencies = try memo.frequencies(of: Set(terms.values), from: tables)
        let own = indexed ? 1.0 : 0
        let others = Double(try tables.articleCount()) - own
        let frequency = { (word: String) in max(0, (terms[word].flatMap { frequencies[$0] } ?? own) - own) }
        return features.weighted { word in log((max(0, others) + idfPrior) / (frequency(word) + 1)) + 1 }
    }

    /// Each of an article's words and names, and the term the search index counts it under.
    package static func searchTerms(of features: StoryFeatures) -> [String: String] {
        let words = Set(features.terms.keys).union(features.names.keys)
        return Dictionary(uniqueKeysWithValues: words.map { ($0, ArchiveTokenizer.normalize($0)) })
    }

    /// Joins the best-fitting story, or starts one; returns its id. When a second story fits as well
    /// as `mergeThreshold`, the two are one event told twice, and merge.
    private static func join(
        _ vectors: StoryVectors,
        title: String,
        stamp: String,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws -> Int64 {
        let scored = try candidates(for: vectors, memo: memo, tables: tables)
            .map { (id: $0.id, profile: $0.profile, score: matcher.score(vectors, $0.profile)) }
            .sorted { ($0.score, $0.id) > ($1.score, $1.id) }
        guard let best = scored.first, best.score >= matcher.threshold else {
            let profile = StoryProfile(vectors)
            let id = try tables.createStory(profile, title: title, stamp: stamp)
            memo.save(profile, of: id)
            return id
        }
        var profile = best.profile
        profile.add(vectors)
        var storyID = best.id
        if scored.count > 1, scored[1].score >= matcher.mergeThreshold {
            storyID = try merge(
                storyID,
                profile: &profile,
                with: scored[1].id,
                scored[1].profile,
                memo: memo,
                tables: tables
            )
        }
        try save(profile, of: storyID, stamp: stamp, memo: memo, tables: tables)
        return storyID
    }

    /// The stories sharing most key words with the article, at most `candidateLimit`, with their profiles.
    private static func candidates(
        for vectors: StoryVectors,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws -> [(id: Int64, profile: StoryProfile)] {
        try candidateIDs(for: vectors, memo: memo, tables: tables).compactMap { id in
            try memo.profile(of: id, from: tables).map { (id, $0) }
        }
    }

    /// The ids of the stories sharing most key words with the article, at most `candidateLimit`.
    package static func candidateIDs(
        for vectors: StoryVectors,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws -> [Int64] {
        var found: [Int64: Int] = [:]
        for key in vectors.keys(keysPerArticle) {
            for id in try memo.stories(forKey: key, from: tables) { found[id, default: 0] += 1 }
        }
        return found.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(candidateLimit).map(\.key)
    }

    private static func save(
        _ profile: StoryProfile,
        of storyID: Int64,
        stamp: String,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws {
        memo.save(profile, of: storyID)
        try tables.saveStory(profile, of: storyID, stamp: stamp)
    }

    /// Merges two stories into the one with more articles (the older on a tie); the other's id redirects
    /// to it from now on. Returns the survivor's id, with `profile` now the two stories' sum.
    private static func merge(
        _ first: Int64,
        profile: inout StoryProfile,
        with second: Int64,
        _ secondProfile: StoryProfile,
        memo: StoryMemo,
        tables: some StoryTables
    ) throws -> Int64 {
        let firstKeeps =
            (profile.articles - 1, -first) >= (secondProfile.articles, -second)
        let (survivor, loser) = firstKeeps ? (first, second) : (second, first)
        profile.absorb(secondProfile)
        try tables.mergeStory(loser, into: survivor)
        memo.merge(loser, into: survivor)
        return survivor
    }
}

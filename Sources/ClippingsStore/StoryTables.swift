import ClippingsStories

/// Where story placement reads and writes stories, their key words and the copy signatures, inside one
/// write transaction. SQLite's tables are read and written as placement goes (`SQLiteStoryTables`);
/// PostgreSQL's statements are asynchronous and placement is not, so its tables answer from what was
/// read ahead for the article and apply the writes after (`PostgresStoryTables`). `StoryAssigner` is
/// the one placement both run.
package protocol StoryTables {
    /// The number of articles the archive holds now.
    func articleCount() throws -> Int
    /// How many articles hold each of `terms`, as the search index counts them; a term none holds is absent.
    func frequencies(of terms: Set<String>) throws -> [String: Double]
    /// The stories a key word names, at most `limit`, newest first by the id stored with the key: each as
    /// stored and as it is now (through the redirect of a merged story).
    func stories(forKey key: String, limit: Int) throws -> [(stored: Int64, story: Int64)]
    func profile(of story: Int64) throws -> StoryProfile?
    /// The stored articles whose signatures share `band`, at most `limit`, in id order, `excluding` aside.
    func neighbours(inBand band: Int64, excluding: Int64?, limit: Int) throws -> [BandNeighbour]

    /// Stores a new story; its id.
    func createStory(_ profile: StoryProfile, title: String, stamp: String) throws -> Int64
    func saveStory(_ profile: StoryProfile, of story: Int64, stamp: String) throws
    /// Moves the loser's articles, redirects and activity to the survivor, deletes it, and redirects its id.
    func mergeStory(_ loser: Int64, into survivor: Int64) throws
    func addKey(_ key: String, story: Int64) throws
    /// Stores an article's copy signature and its bands.
    func storeSignature(_ signature: ShingleSignature, of article: Int64) throws
}

/// A stored article whose copy signature shares a band with the one being placed.
package struct BandNeighbour: Sendable {
    package var id: Int64
    package var signature: ShingleSignature
    package var story: Int64?
    /// The article it is itself a copy of.
    package var original: Int64?

    package init(id: Int64, signature: ShingleSignature, story: Int64?, original: Int64?) {
        self.id = id
        self.signature = signature
        self.story = story
        self.original = original
    }
}

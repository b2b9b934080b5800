import Foundation

/// What story matching reads of one article: its distinctive words, the names and figures it mentions,
/// where it links, its tags and when it was published. Counts only: weighing them needs the archive's
/// document frequencies, which the caller has (`weighted(idf:)`).
public struct StoryFeatures: Sendable, Equatable {
    /// How often each word of the title (counted twice) and the lead occurs, stop words left out.
    public var terms: [String: Double] = [:]
    /// How often each name occurs: a capitalised word away from a sentence's start, or one that opens a
    /// sentence but is written so elsewhere in the text. Names are what tell two events of one kind apart,
    /// and they are spelled alike across languages.
    public var names: [String: Double] = [:]
    /// Figures (years, ages, counts, scores), as written without thousands separators.
    public var figures: Set<String> = []
    /// Outbound links, without scheme, `www.` or a trailing `/`.
    public var links: Set<String> = []
    /// Tag slugs.
    public var tags: Set<String> = []
    public var published: Date?

    /// The lead is the body's first `leadLength` characters; names and figures are read from twice as much.
    public static let leadLength = 1500

    public init() {}

    public init(title: String, body: String, links: [String] = [], tags: [String] = [], published: Date? = nil) {
        self.init(
            title: title,
            body: body,
            bodyWords: StoryWords.words(in: body.prefix(Self.leadLength * 2)),
            links: links,
            tags: tags,
            published: published
        )
    }

    /// `bodyWords`: the words of the body, read once for this and the copy signature
    /// (`ShingleSignature(words:)`); at least those of its first `2 * leadLength` characters.
    public init(
        title: String,
        body: String,
        bodyWords: [StoryWord],
        links: [String] = [],
        tags: [String] = [],
        published: Date? = nil
    ) {
        let leadEnd = body.index(body.startIndex, offsetBy: Self.leadLength, limitedBy: body.endIndex) ?? body.endIndex
        let nameEnd = body.index(leadEnd, offsetBy: Self.leadLength, limitedBy: body.endIndex) ?? body.endIndex
        let (leadBytes, nameBytes) = (
            body.utf8.distance(from: body.startIndex, to: leadEnd),
            body.utf8.distance(from: body.startIndex, to: nameEnd)
        )
        let titleWords = StoryWords.words(in: Substring(title))
        let lead = bodyWords.prefix { $0.start < leadBytes }
        for word in titleWords + titleWords + lead where Self.isDistinctive(word) {
            terms[word.folded, default: 0] += 1
        }
        let bodyWords = Array(bodyWords.prefix { $0.start < nameBytes })
        // A headline in title case capitalises every word: its capitals say nothing about names.
        let titleCase = titleWords.filter(\.capitalised).count * 2 > titleWords.count + 1
        let spellings = titleCase ? bodyWords : titleWords + bodyWords
        let namedInText = Set(
            spellings.filter { $0.capitalised && !$0.opensSentence }.map(\.folded)
        )
        for word in spellings where word.capitalised && Self.isDistinctive(word) {
            guard !StopWords.notNames.contains(word.folded) else { continue }
            if !word.opensSentence || namedInText.contains(word.folded) { names[word.folded, default: 0] += 1 }
        }
        for word in titleWords + bodyWords where word.isFigure && word.folded.count >= 2 {
            figures.insert(word.folded)
        }
        self.links = Set(links.map(Self.linkKey).filter { !$0.isEmpty })
        self.tags = Set(tags)
        self.published = published
    }

    private static func isDistinctive(_ word: StoryWord) -> Bool {
        word.folded.count > 1 && !StopWords.all.contains(word.folded)
    }

    /// A link as compared: `https://www.example.com/a/` and `http://example.com/a` are one link.
    static func linkKey(_ url: String) -> String {
        var key = Substring(url.lowercased())
        for scheme in ["https://", "http://"] where key.hasPrefix(scheme) { key = key.dropFirst(scheme.count) }
        if key.hasPrefix("www.") { key = key.dropFirst(4) }
        while key.hasSuffix("/") { key = key.dropLast() }
        return String(key)
    }

    /// How much more a rare name says than a common one: names weigh by idf to this power. Two events of one
    /// kind share their common names (a team, a city, a ministry) and differ in their rare ones (the
    /// player, the suspect); measured on the labelled sets, 3 told them apart best (see BENCHMARKS.md).
    public static let nameIDFPower = 3.0

    /// Terms weighed by tf-idf (`1 + ln tf` times the word's idf), names by `1 + ln tf` times idf to
    /// `nameIDFPower`; each vector of length one.
    public func weighted(idf: (String) -> Double) -> StoryVectors {
        func weigh(_ counts: [String: Double], _ power: Double) -> [String: Double] {
            var vector: [String: Double] = [:]
            for (word, count) in counts { vector[word] = (1 + log(count)) * pow(idf(word), power) }
            return StoryVectors.normalized(vector)
        }
        return StoryVectors(
            terms: weigh(terms, 1),
            names: weigh(names, Self.nameIDFPower),
            figures: figures,
            links: links,
            tags: tags,
            published: published
        )
    }
}

/// An article's features weighed, ready to compare with a story's profile.
public struct StoryVectors: Sendable, Equatable {
    public var terms: [String: Double]
    public var names: [String: Double]
    public var figures: Set<String>
    public var links: Set<String>
    public var tags: Set<String>
    public var published: Date?

    /// The `count` heaviest terms and names: what the article is found by among stories, and what its
    /// story is found by.
    public func keys(_ count: Int) -> [String] {
        var weights = terms
        for (name, weight) in names { weights[name] = max(weights[name] ?? 0, weight) }
        return weights.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(count).map(\.key)
    }

    static func normalized(_ vector: [String: Double]) -> [String: Double] {
        let length = vector.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return [:] }
        return vector.mapValues { $0 / length }
    }
}

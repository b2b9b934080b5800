import ClippingsExtraction
import Foundation

/// Makes articles from a seeded pseudo-random stream: same seed, same corpus, on any machine.
struct CorpusGenerator {
    private var random: SplitMix64
    private let english: Vocabulary
    private let norwegian: Vocabulary
    private let sources: [Publisher]
    private let tags: [Tag]
    /// 2005-01-01, the start of the 20 years articles are spread over.
    private let epoch = Date(timeIntervalSince1970: 1_104_537_600)

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        var vocabularyRandom = SplitMix64(seed: seed ^ 0x5EED)
        english = Vocabulary(
            functionWords:
                "the of and to in a is that for it was on with as by at from has be are said this which an or not"
                .split(separator: " ").map(String.init),
            syllables: [
                "ar", "ben", "cor", "dis", "en", "fal", "gra", "hol", "in", "jor", "ket", "lam", "mor", "nes", "or",
                "pol", "quen", "ros", "ster", "tan", "ul", "ver", "win", "yard",
            ],
            suffixes: ["", "", "s", "ing", "ed", "er", "ion", "ity"],
            size: 30_000,
            random: &vocabularyRandom
        )
        norwegian = Vocabulary(
            functionWords:
                "og i det er som en på av for til med har de ikke den om var fra han hun seg å skal ble kan etter"
                .split(separator: " ").map(String.init),
            syllables: [
                "al", "bru", "dal", "elv", "fjell", "gård", "hav", "is", "kyst", "li", "myr", "nes", "øy", "ros", "sjø",
                "skog", "sund", "tind", "vik", "våg", "ær", "å",
            ],
            suffixes: ["", "", "en", "et", "ene", "er", "ing", "het"],
            size: 20_000,
            random: &vocabularyRandom
        )
        sources = (0..<50).map { index in
            let name = "Source \(index + 1) News"
            return Publisher(name: name, domain: "source\(index + 1).example")
        }
        let (englishWords, norwegianWords) = (english.content, norwegian.content)
        tags = (0..<5_000).map { index in
            let word =
                index.isMultiple(of: 3)
                ? norwegianWords[index % norwegianWords.count] : englishWords[index % englishWords.count]
            let name = "\(word.capitalized) \(index)"
            return Tag(slug: Slugifier.slug(name), name: name)
        }
    }

    mutating func article(number: Int) -> ExtractedArticle {
        let isNorwegian = random.next() % 10 < 3
        let vocabulary = isNorwegian ? norwegian : english
        let wordCount = 400 + Int(random.next() % 801)
        var paragraphs: [String] = []
        var written = 0
        while written < wordCount {
            let length = min(wordCount - written, 40 + Int(random.next() % 60))
            paragraphs.append(sentence(length, vocabulary))
            written += length
        }
        let tagCount = 3 + Int(random.next() % 8)
        var chosen: [Tag] = []
        while chosen.count < tagCount {
            // Tags are Zipf-popular too: a few very common, a long tail.
            let tag = tags[zipfIndex(tags.count)]
            if !chosen.contains(tag) { chosen.append(tag) }
        }
        let day = TimeInterval(random.next() % (20 * 365)) * 86_400 + TimeInterval(random.next() % 86_400)
        return ExtractedArticle(
            title: sentence(6 + Int(random.next() % 6), vocabulary, title: true),
            author: "Reporter \(random.next() % 400)",
            publishedAt: random.next() % 50 == 0 ? nil : epoch.addingTimeInterval(day),
            source: sources[zipfIndex(sources.count)],
            url: "https://\(sources[number % sources.count].domain!)/articles/\(number)",
            language: isNorwegian ? "no" : "en",
            categories: ["News"],
            tags: chosen,
            paragraphs: paragraphs,
            format: .plainText
        )
    }

    private mutating func sentence(_ words: Int, _ vocabulary: Vocabulary, title: Bool = false) -> String {
        var parts: [String] = []
        for _ in 0..<words {
            parts.append(
                random.next() % 3 == 0 && !title
                    ? vocabulary.functionWords[Int(random.next() % UInt64(vocabulary.functionWords.count))]
                    : vocabulary.content[zipfIndex(vocabulary.content.count)]
            )
        }
        let text = parts.joined(separator: " ")
        return title
            ? text.prefix(1).uppercased() + text.dropFirst() : text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// An index in 0..<count drawn with probability ∝ 1/(rank+1): Zipf's law with s = 1.
    private mutating func zipfIndex(_ count: Int) -> Int {
        // Inverse of the continuous approximation of the harmonic CDF.
        let u = Double(random.next() % 1_000_000) / 1_000_000
        let index = Int(exp(u * log(Double(count) + 1))) - 1
        return min(max(index, 0), count - 1)
    }
}

/// The words of one synthetic language: real function words plus generated content words.
struct Vocabulary {
    let functionWords: [String]
    let content: [String]

    init(functionWords: [String], syllables: [String], suffixes: [String], size: Int, random: inout SplitMix64) {
        self.functionWords = functionWords
        var seen = Set<String>()
        var words: [String] = []
        while words.count < size {
            let length = 1 + Int(random.next() % 3)
            let word =
                (0..<length).map { _ in syllables[Int(random.next() % UInt64(syllables.count))] }.joined()
                + suffixes[Int(random.next() % UInt64(suffixes.count))]
            if word.count > 2, seen.insert(word).inserted { words.append(word) }
        }
        content = words
    }
}

/// A small, fast, seedable generator (the same numbers on every platform, unlike the system one).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Snippets skip a body's text before the first place a query word may begin (`WordLeads`): on random
/// texts full of what the tokenizer folds, splits and stems, the excerpts must be the ones made from the
/// body's start, and no match may lie before the place the skip finds.
@Suite("Snippet skipping")
struct SnippetSkipTests {
    /// Words that fold, stem and split in every way the tokenizer does: Latin-1 letters first and inside,
    /// letters it expands (æ, þ, ß), plurals, digits, separators outside ASCII, combining marks.
    static let exotic = [
        "Øyfjell", "oyfjell", "øyfjells", "OYFJELL", "Åsane", "asane", "Ærø", "aero", "Þing", "thing", "ßtraße", "Ðe",
        "de", "ÿes", "yes", "Ébène", "ebene", "policies", "policy", "abies", "aby", "bus", "glass", "case", "cases",
        "«sitat»", "“quoted”", "it’s", "–", "a\u{A0}b", "3×4", "6÷2", "x²", "µm", "co\u{AD}op", "e\u{301}cole",
        "école", "中文", "emoji🙂", "2016", "the", "of", "on", "or", "other", "politiet", "police", "ørken", "år",
        "å", "Œuvre", "oeuvre", "çava", "Ñandu", "nandu", "x", "Xylo", "xylo",
    ]
    /// Plain words, most of a text as of news text.
    static let plain = [
        "the", "police", "said", "on", "of", "in", "a", "report", "court", "and", "to", "it", "was", "year",
        "market", "markets", "politiet", "saken", "og", "er", "det", "i", "på", "går", "«Vi", "sier»", "it’s",
    ]
    static let vocabulary = exotic + plain

    /// A word: mostly plain, one in eight from the exotic.
    static func word(_ random: inout Random) -> String {
        random.next(8) == 0 ? exotic[random.next(exotic.count)] : plain[random.next(plain.count)]
    }

    typealias Random = PostingsRankerTests.Random

    static func text(_ random: inout Random, words: Int) -> String {
        let separators = [" ", " ", " ", ", ", ". ", "\n", " (", ") ", "-", "'"]
        return (0..<words).map { _ in word(&random) + separators[random.next(separators.count)] }
            .joined()
    }

    static func query(_ random: inout Random) -> String {
        var terms: [String] = []
        for _ in 0..<(1 + random.next(2)) {
            // Mostly rarer words, which a text holds late if at all: what skipping is for.
            let word = random.next(4) == 0 ? plain[random.next(plain.count)] : exotic[random.next(exotic.count)]
            switch random.next(4) {
            case 0: terms.append(String(word.prefix(4)) + "*")
            case 1: terms.append("\"\(word) \(Self.word(&random))\"")
            default: terms.append(word)
            }
        }
        return terms.joined(separator: " OR ")
    }

    @Test("excerpts made after skipping are those made from the start, and skipping happens")
    func sameExcerpts() async throws {
        let database = try AppDatabase.inMemory()
        var random = Random(state: 0x5EED_CAFE)
        let cases = (0..<1_000).map { _ in
            (body: Self.text(&random, words: 40 + random.next(400)), query: Self.query(&random))
        }
        let (compared, skipped) = try await database.writer.read { db in
            var compared = 0
            var skipped = 0
            for (body, text) in cases {
                guard let search = try? SearchQuery(text) else { continue }
                var reference = try SnippetMaker(search, in: db)
                reference.skipsAhead = false
                let skipping = try SnippetMaker(search, in: db)
                let bytes = Array(body.utf8)
                let title = Array("A title".utf8)
                #expect(
                    try skipping.snippet(title: title, body: bytes) == reference.snippet(title: title, body: bytes),
                    "query \(text)"
                )
                compared += 1
                if skipping.skipStart(bytes) > 0 { skipped += 1 }
            }
            return (compared, skipped)
        }
        #expect(compared > 800)
        // The comparison means something only if many bodies were in fact skipped into.
        #expect(skipped > 60)
    }

    @Test("no token that folds to a query word starts before the first candidate")
    func noMatchBeforeTheCandidate() async throws {
        let database = try AppDatabase.inMemory()
        var random = Random(state: 42)
        let cases = (0..<300).map { _ in
            (text: Self.text(&random, words: 200), word: Self.vocabulary[random.next(Self.vocabulary.count)])
        }
        try await database.writer.read { db in
            let counter = try TermCounter(db)
            for (text, word) in cases {
                let bytes = Array(text.utf8)
                let tokens = try counter.tokens(of: word).map { Array($0.utf8) }
                guard tokens.count == 1, let leads = WordLeads(words: tokens) else { continue }
                var first: Int? = nil
                try bytes.withUnsafeBufferPointer { buffer in
                    try counter.forEachToken(buffer, tokenization: .document) { token, range, _ in
                        if token.elementsEqual(tokens[0]) { first = range.lowerBound }
                        return first == nil
                    }
                    let candidate = leads.firstCandidate(in: buffer, end: buffer.count)
                    if let first {
                        #expect(candidate.map { $0 <= first } == true, "\(word) at \(first)")
                    }
                }
            }
        }
    }
}

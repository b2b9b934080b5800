import Foundation

/// Identifies the language of a text from its function words.
///
/// Function words ("the", "og", "ikke") make up a large, stable share of any running text and differ
/// sharply between languages, so counting them separates languages reliably on a few sentences without a
/// trained model. A word shared by several profiles counts for each in proportion. The answer is `und`
/// when the text is too short or two languages score too closely to tell apart, which keeps a Danish or
/// Swedish text from being mislabelled Norwegian, or an unknown language from being called English.
public enum LanguageIdentifier {
    /// The ISO 639-2 code for "undetermined".
    public static let undetermined = "und"

    /// Fewest function-word hits before a verdict is given.
    static let minimumHits = 4
    /// How far ahead the best language must be of the second.
    static let minimumLead = 1.5

    static let profiles: [String: Set<String>] = LanguageProfiles.latin.merging(LanguageProfiles.cyrillic) { $0 + $1 }
        .mapValues(Set.init)

    /// The languages, in a fixed order, so scores can live in an array.
    static let languages = profiles.keys.sorted()

    /// For each function word, the languages listing it and what a hit is worth to each: words several
    /// profiles share count less, squared, so the words only one language uses decide between close
    /// relatives (bokmål and Danish share most of their function words).
    static let weights: [String: [(language: Int, weight: Double)]] = {
        var sharing: [String: Double] = [:]
        for words in profiles.values {
            for word in words { sharing[word, default: 0] += 1 }
        }
        var weights: [String: [(language: Int, weight: Double)]] = [:]
        for (index, language) in languages.enumerated() {
            for word in profiles[language]! {
                weights[word, default: []].append((index, 1 / (sharing[word]! * sharing[word]!)))
            }
        }
        return weights
    }()

    /// The longest function word, in UTF-8 bytes: longer words are skipped without a lookup.
    static let longestWord = profiles.values.joined().map(\.utf8.count).max() ?? 0

    /// Characters read at most (about 500 words): a few hundred words decide any real text, and long
    /// documents cost no more.
    static let sampleLength = 3000

    /// The ISO 639-1 code of the text's language, or `und`.
    ///
    /// `declared` is what the page says of itself (`<html lang>`, `og:locale`): it settles a close call and
    /// names a language the function words cannot (too short a text), but never overrules a clear verdict,
    /// since templates declare their default language on pages in any other.
    public static func identify(_ text: String, declared: String? = nil) -> String {
        // Cut by index and copy the bytes once: this runs on every imported body, and rebuilding the prefix
        // scalar by scalar is costly.
        let scalars = text.unicodeScalars
        let end =
            scalars.index(scalars.startIndex, offsetBy: sampleLength, limitedBy: scalars.endIndex) ?? text.endIndex
        let sample = String(text[..<end])
        let declaredCode = declared.flatMap(primaryCode)
        if let byScript = WritingSystem.language(of: sample) { return byScript }
        var scores = [Double](repeating: 0, count: languages.count)
        var hits = 0
        for word in TextNormalizer.words(in: sample) where word.utf8.count <= longestWord {
            let hasUpper = word.utf8.contains { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0xC3 }
            guard let entries = weights[hasUpper ? word.lowercased() : String(word)] else { continue }
            hits += 1
            for entry in entries { scores[entry.language] += entry.weight }
        }
        let ranked = zip(languages, scores).sorted { $0.1 > $1.1 }
        guard hits >= minimumHits, let best = ranked.first, best.1 >= 1 else {
            return declaredCode ?? undetermined
        }
        let runnerUp = ranked.dropFirst().first?.1 ?? 0
        if let declaredCode, let score = ranked.first(where: { $0.0 == declaredCode })?.1, score * minimumLead >= best.1
        {
            return declaredCode
        }
        // Ahead by half again, or by three words no close relative uses.
        let clear = best.1 >= runnerUp * minimumLead || best.1 - runnerUp >= 3
        return clear ? best.0 : declaredCode.flatMap { profiles[$0] == nil ? $0 : nil } ?? undetermined
    }

    /// The language part of a declared tag (`en-US`, `nb_NO`, `zh-Hant`), canonical, when it is one.
    static func primaryCode(_ tag: String) -> String? {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        guard (2...3).contains(primary.count), primary.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return nil }
        return canonicalCode(primary)
    }

    /// Codes a client may use for a language, mapped to the code the archive stores (`nb`/`nn` are `no`).
    public static func canonicalCode(_ code: String) -> String {
        let lowered = code.lowercased()
        return ["nb", "nn", "nob", "nno", "nor"].contains(lowered) ? "no" : lowered
    }
}

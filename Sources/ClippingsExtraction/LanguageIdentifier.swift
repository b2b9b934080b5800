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

    static let profiles: [String: Set<String>] = [
        "en": [
            "the", "of", "and", "to", "in", "is", "that", "for", "it", "was", "on", "with", "as", "by", "at",
            "from", "have", "has", "be", "are", "were", "this", "which", "an", "or", "not", "said", "they",
            "their", "his", "her", "been", "who", "would", "will", "about", "also", "into", "than", "there",
            "what", "when", "where", "after", "other", "some", "had", "its", "our", "we", "you", "she", "he",
            "them", "these", "those", "could", "should", "more", "most", "such", "while", "being", "because",
        ],
        "no": [
            "og", "ikke", "det", "er", "som", "en", "et", "på", "av", "for", "til", "med", "har", "de", "den",
            "om", "var", "fra", "han", "hun", "seg", "å", "skal", "ble", "kan", "etter", "også", "sier", "mot",
            "eller", "men", "ved", "så", "vi", "jeg", "hos", "hadde", "være", "blitt", "dette", "disse",
            "mellom", "hvor", "ifølge", "noen", "hva", "bare", "mye", "nå", "være", "fordi", "deres", "hele",
            "skriver", "enn", "blir", "hvordan", "kunne", "vært", "mange", "andre", "selv", "sin", "sine", "i", "at",
            "må", "fikk", "gjennom", "kanskje", "hvis", "siden", "mener", "hennes", "ham", "dem", "oss", "meg",
            "ingen", "alle", "denne", "slik", "både", "mens", "uten", "fram", "frem", "her", "der", "ut", "opp",
            "sa", "mellom", "kommer", "ikkje", "eg", "dei", "kva", "korleis", "ho", "frå", "vere", "vart", "berre",
            "mykje", "òg", "blei", "noko", "nokre", "sjølv", "seier", "etter", "også", "hvilke", "fått", "sammen",
        ],
        "da": [
            "og", "ikke", "det", "er", "som", "en", "et", "på", "af", "for", "til", "med", "har", "de", "den",
            "om", "var", "fra", "han", "hun", "sig", "at", "skal", "blev", "kan", "efter", "også", "siger", "mod",
            "eller", "men", "ved", "så", "vi", "jeg", "hos", "havde", "være", "blevet", "dette", "disse",
            "mellem", "hvor", "ifølge", "nogle", "hvad", "kun", "meget", "nu", "fordi", "deres", "hele", "end",
            "bliver", "hvordan", "kunne", "været", "mange", "andre", "selv", "sin", "sine", "i", "fik", "gennem",
            "måske", "hvis", "siden", "mener", "hende", "ham", "dem", "os", "mig", "ingen", "alle", "denne", "sådan",
            "både", "mens", "uden", "frem", "her", "der", "ud", "op", "sagde", "kommer", "nogen", "fået", "sammen",
            "hvilke", "også", "efter", "meget", "lidt", "mange",
        ],
        "sv": [
            "och", "inte", "det", "är", "som", "en", "ett", "på", "av", "för", "till", "med", "har", "de",
            "den", "om", "var", "från", "han", "hon", "sig", "att", "ska", "blev", "kan", "efter", "också",
            "säger", "mot", "eller", "men", "vid", "så", "vi", "jag", "hos", "hade", "vara", "blivit", "detta",
            "dessa", "mellan", "där", "enligt", "några", "vad", "bara", "mycket", "nu", "eftersom", "deras",
            "hela", "än", "blir", "hur", "kunde", "varit", "många", "andra", "själv", "sina", "i", "fick", "genom",
            "kanske", "sedan", "menar", "henne", "honom", "dem", "oss", "mig", "ingen", "alla", "denna", "sådan",
            "både", "medan", "utan", "fram", "här", "där",
        ],
        "de": [
            "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist",
            "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass",
            "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über", "einen",
            "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr", "durch", "man",
        ],
        "nl": [
            "de", "van", "het", "een", "en", "in", "is", "dat", "op", "te", "zijn", "met", "voor", "niet", "aan",
            "er", "om", "ook", "als", "dan", "maar", "bij", "of", "uit", "nog", "worden", "door", "naar", "heeft",
            "tot", "ze", "wordt", "over", "hij", "wel", "werd", "zich", "deze", "die", "meer", "was", "kan",
        ],
        "fr": [
            "le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "que", "qui", "dans", "pour",
            "pas", "sur", "au", "aux", "avec", "ce", "il", "elle", "par", "plus", "son", "sa", "ses", "ont",
            "été", "mais", "ou", "où", "comme", "leur", "nous", "vous", "cette", "sont", "être", "selon", "aussi",
        ],
        "es": [
            "el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "es", "que", "por", "con", "para",
            "no", "se", "su", "sus", "al", "lo", "como", "más", "pero", "fue", "ha", "han", "sobre", "este",
            "esta", "entre", "cuando", "también", "según", "son", "está", "desde", "donde", "muy", "sin",
        ],
        "it": [
            "il", "lo", "la", "gli", "le", "di", "del", "della", "e", "in", "un", "una", "è", "che", "per",
            "non", "con", "su", "da", "dei", "delle", "al", "alla", "sono", "ha", "anche", "come", "più", "ma",
            "questo", "questa", "nel", "nella", "stato", "secondo", "essere", "tra", "dopo",
        ],
        "pt": [
            "o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "em", "um", "uma", "é", "que", "para",
            "com", "não", "por", "se", "no", "na", "mais", "como", "mas", "foi", "ao", "seu", "sua", "também",
            "são", "está", "entre", "quando", "segundo", "pelo", "pela", "ser", "ou", "já",
        ],
    ]

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
    public static func identify(_ text: String) -> String {
        var scores = [Double](repeating: 0, count: languages.count)
        var hits = 0
        // Cut by index and copy the bytes once: rebuilding the prefix scalar by scalar cost a tenth of import.
        let scalars = text.unicodeScalars
        let end =
            scalars.index(scalars.startIndex, offsetBy: sampleLength, limitedBy: scalars.endIndex) ?? text.endIndex
        let sample = String(text[..<end])
        for word in TextNormalizer.words(in: sample) where word.utf8.count <= longestWord {
            let hasUpper = word.utf8.contains { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0xC3 }
            guard let entries = weights[hasUpper ? word.lowercased() : String(word)] else { continue }
            hits += 1
            for entry in entries { scores[entry.language] += entry.weight }
        }
        let ranked = zip(languages, scores).sorted { $0.1 > $1.1 }
        guard hits >= minimumHits, let best = ranked.first, best.1 >= 1 else { return undetermined }
        let runnerUp = ranked.dropFirst().first?.1 ?? 0
        return best.1 >= runnerUp * minimumLead ? best.0 : undetermined
    }

    /// Codes a client may use for a language, mapped to the code the archive stores (`nb`/`nn` are `no`).
    public static func canonicalCode(_ code: String) -> String {
        let lowered = code.lowercased()
        return ["nb", "nn", "nob", "nno", "nor"].contains(lowered) ? "no" : lowered
    }
}

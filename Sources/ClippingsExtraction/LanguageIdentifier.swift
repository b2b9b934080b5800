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

    /// How many profiles list each word, so shared words count less.
    static let sharing: [String: Double] = {
        var counts: [String: Double] = [:]
        for words in profiles.values {
            for word in words { counts[word, default: 0] += 1 }
        }
        return counts
    }()

    /// The ISO 639-1 code of the text's language, or `und`.
    public static func identify(_ text: String) -> String {
        var scores: [String: Double] = [:]
        var hits = 0
        for word in TextNormalizer.words(in: text.lowercased()) {
            let key = String(word)
            guard let shared = sharing[key] else { continue }
            hits += 1
            // Squared, so the words only one language uses decide between close relatives (bokmål and
            // Danish share most of their function words).
            for (language, words) in profiles where words.contains(key) {
                scores[language, default: 0] += 1 / (shared * shared)
            }
        }
        let ranked = scores.sorted { $0.value > $1.value }
        guard hits >= minimumHits, let best = ranked.first, best.value >= 1 else { return undetermined }
        let runnerUp = ranked.dropFirst().first?.value ?? 0
        return best.value >= runnerUp * minimumLead ? best.key : undetermined
    }

    /// Codes a client may use for a language, mapped to the code the archive stores (`nb`/`nn` are `no`).
    public static func canonicalCode(_ code: String) -> String {
        let lowered = code.lowercased()
        return ["nb", "nn", "nob", "nno", "nor"].contains(lowered) ? "no" : lowered
    }
}

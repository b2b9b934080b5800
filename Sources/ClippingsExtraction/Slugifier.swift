import Foundation

/// Makes URL-safe identifiers that stay readable and tell names apart: lower-case letters, digits and
/// single hyphens, from text in any script.
///
/// - Symbols that distinguish names become words: `C++` → `c-plus-plus`, `C#` → `c-sharp` (a `#` that
///   starts a word is a hashtag and goes), `&` → `and`. Otherwise `C++`, `C#` and `C` would be one slug.
/// - Accents fold (`Zürich` → `zurich`), and letters Unicode does not decompose are spelled out
///   (`æ` → `ae`, `ø` → `o`).
/// - Other scripts are transliterated by ICU's standard tables (`Москва` → `moskva`, `Αθήνα` → `athena`,
///   `日本` → `ri-ben`); a letter no table covers is kept as it is rather than dropped.
public enum Slugifier {
    /// Letters that Unicode does not decompose but readers expect transliterated.
    private static let transliterations: [Character: String] = [
        "æ": "ae", "ø": "o", "å": "a", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "œ": "oe",
    ]

    public static func slug(_ text: String) -> String {
        var slug = SlugBuilder()
        var previous: Character?
        // Letters of other scripts are transliterated a run at a time: readings depend on their neighbours.
        var foreign = ""
        for character in text.lowercased() {
            defer { previous = character }
            if let ascii = character.asciiValue {
                slug.transliterate(&foreign)
                switch ascii {
                case 0x61...0x7A, 0x30...0x39: slug.append(Unicode.Scalar(ascii))
                case UInt8(ascii: "+"): slug.appendWord("plus")
                case UInt8(ascii: "&"): slug.appendWord("and")
                case UInt8(ascii: "#") where previous.map { $0.isLetter || $0.isNumber } ?? false:
                    slug.appendWord("sharp")
                default: slug.breakWord()
                }
                continue
            }
            let folded =
                transliterations[character]
                ?? String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
            if folded.unicodeScalars.allSatisfy(\.isASCII) {
                slug.transliterate(&foreign)
                slug.appendFolded(folded)
            } else if character.isLetter || character.isNumber {
                foreign.append(character)
            } else {
                slug.transliterate(&foreign)
                slug.breakWord()
            }
        }
        slug.transliterate(&foreign)
        return slug.text
    }
}

/// A slug being written: words joined by single hyphens, none at either end.
private struct SlugBuilder {
    var text = ""
    var pendingHyphen = false

    mutating func append(_ scalar: Unicode.Scalar) {
        if pendingHyphen, !text.isEmpty { text += "-" }
        pendingHyphen = false
        text.unicodeScalars.append(scalar)
    }

    mutating func breakWord() { pendingHyphen = true }

    /// A symbol spelled out, as a word of its own.
    mutating func appendWord(_ word: String) {
        breakWord()
        for scalar in word.unicodeScalars { append(scalar) }
        breakWord()
    }

    /// Folded text: its ASCII letters and digits, anything else a word break.
    mutating func appendFolded(_ folded: String) {
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                append(Character(scalar).lowercased().unicodeScalars.first ?? scalar)
            } else {
                breakWord()
            }
        }
    }

    /// Writes a run of letters of another script, transliterated to Latin where ICU has a table for it.
    mutating func transliterate(_ run: inout String) {
        guard !run.isEmpty else { return }
        let latin = run.applyingTransform(.toLatin, reverse: false) ?? run
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        for character in plain.lowercased() {
            if character.isLetter || character.isNumber {
                for scalar in character.unicodeScalars
                where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    append(scalar)
                }
            } else {
                breakWord()
            }
        }
        run = ""
    }
}

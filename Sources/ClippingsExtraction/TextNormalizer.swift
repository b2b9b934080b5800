import Foundation

/// Whitespace and word helpers shared by every reader.
public enum TextNormalizer {
    /// Collapses runs of whitespace (including no-break and zero-width spaces) to one space and trims.
    public static func collapse(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let isSpace =
                scalar.value < 0x80
                ? scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D)
                : scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{FEFF}"
            if isSpace {
                pendingSpace = !output.isEmpty
                continue
            }
            let isControl =
                scalar.value < 0x80
                ? scalar.value < 0x20 || scalar.value == 0x7F : scalar.properties.generalCategory == .control
            if scalar == "\u{00AD}" || isControl { continue }
            if pendingSpace {
                output.unicodeScalars.append(" ")
                pendingSpace = false
            }
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    /// The words of a text: maximal runs of letters and digits (apostrophes and hyphens kept inside).
    public static func words(in text: String) -> [Substring] {
        // Scalar by scalar: far cheaper than grapheme `Character` properties on long bodies.
        let scalars = text.unicodeScalars
        var words: [Substring] = []
        var start: String.Index?
        var hasAlphanumeric = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let value = scalar.value
            let alphanumeric =
                value < 0x80
                ? (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
                    || (value >= 0x30 && value <= 0x39)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if alphanumeric || scalar == "'" || scalar == "’" || scalar == "-" {
                if start == nil { start = index }
                hasAlphanumeric = hasAlphanumeric || alphanumeric
            } else if let begin = start {
                if hasAlphanumeric { words.append(text[begin..<index]) }
                start = nil
                hasAlphanumeric = false
            }
            index = scalars.index(after: index)
        }
        if let begin = start, hasAlphanumeric { words.append(text[begin...]) }
        return words
    }

    /// Whether a line ends like a sentence rather than a heading.
    static func endsSentence(_ line: String) -> Bool {
        guard let last = line.last(where: { !$0.isWhitespace }) else { return false }
        return ".!?:;…\"”»)’'".contains(last)
    }
}

/// Makes URL-safe identifiers: lower-case ASCII letters, digits and single hyphens.
public enum Slugifier {
    /// Letters that Unicode does not decompose but readers expect transliterated.
    private static let transliterations: [Character: String] = [
        "æ": "ae", "ø": "o", "å": "a", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "œ": "oe",
    ]

    public static func slug(_ text: String) -> String {
        var output = ""
        var pendingHyphen = false
        for character in text.lowercased() {
            let folded =
                transliterations[character]
                ?? String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
            for scalar in folded.unicodeScalars {
                if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                    if pendingHyphen, !output.isEmpty { output += "-" }
                    pendingHyphen = false
                    output.unicodeScalars.append(scalar)
                } else {
                    pendingHyphen = true
                }
            }
        }
        return output
    }
}

import Foundation

/// Decodes HTML character references (`&amp;`, `&#8217;`, `&#x2014;`, `&nbsp;` …).
///
/// Covers numeric references in full and the named references news markup actually uses; an unknown or
/// malformed reference is left as written rather than dropped, so no text is ever lost.
enum HTMLEntities {
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var output = ""
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let (decoded, next) = reference(in: text, at: index) else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            output.append(decoded)
            index = next
        }
        return output
    }

    /// Parses the reference starting at `start` (which holds `&`), returning its text and the index after it.
    private static func reference(in text: String, at start: String.Index) -> (String, String.Index)? {
        var cursor = text.index(after: start)
        var name = ""
        while cursor < text.endIndex, name.count < 32 {
            let character = text[cursor]
            if character == ";" {
                cursor = text.index(after: cursor)
                break
            }
            guard character.isLetter || character.isNumber || character == "#" else { break }
            name.append(character)
            cursor = text.index(after: cursor)
        }
        guard !name.isEmpty, let decoded = resolve(name) else { return nil }
        return (decoded, cursor)
    }

    private static func resolve(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits)
            }
            guard let value else { return nil }
            // Numeric references in 128–159 mean Windows-1252 characters in practice (HTML5 does the same).
            if (0x80...0x9F).contains(value), let mapped = Windows1252.table[UInt8(value)] { return String(mapped) }
            guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
            return String(Character(scalar))
        }
        return named[name] ?? named[name.lowercased()]
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "sbquo": "‚", "bdquo": "„", "laquo": "«", "raquo": "»", "bull": "•", "middot": "·", "copy": "©",
        "reg": "®", "trade": "™", "deg": "°", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
        "sect": "§", "para": "¶", "times": "×", "divide": "÷", "plusmn": "±", "frac12": "½",
        "frac14": "¼", "frac34": "¾", "shy": "\u{00AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
        "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}", "prime": "′", "Prime": "″",
        "aelig": "æ", "AElig": "Æ", "oslash": "ø", "Oslash": "Ø", "aring": "å", "Aring": "Å",
        "auml": "ä", "Auml": "Ä", "ouml": "ö", "Ouml": "Ö", "uuml": "ü", "Uuml": "Ü", "szlig": "ß",
        "eacute": "é", "Eacute": "É", "egrave": "è", "Egrave": "È", "ecirc": "ê", "euml": "ë",
        "aacute": "á", "Aacute": "Á", "agrave": "à", "Agrave": "À", "acirc": "â", "atilde": "ã",
        "iacute": "í", "Iacute": "Í", "igrave": "ì", "icirc": "î", "iuml": "ï",
        "oacute": "ó", "Oacute": "Ó", "ograve": "ò", "ocirc": "ô", "otilde": "õ",
        "uacute": "ú", "Uacute": "Ú", "ugrave": "ù", "ucirc": "û", "ntilde": "ñ", "Ntilde": "Ñ",
        "ccedil": "ç", "Ccedil": "Ç", "yacute": "ý", "yuml": "ÿ", "eth": "ð", "thorn": "þ",
        "iexcl": "¡", "iquest": "¿", "ordm": "º", "ordf": "ª", "micro": "µ",
    ]
}

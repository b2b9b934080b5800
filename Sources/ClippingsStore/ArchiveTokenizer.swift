import GRDB

/// The full-text tokenizer: SQLite's `unicode61` (Unicode word breaking, case folding, accents removed)
/// plus what it leaves undone for our languages, and a light English plural stemmer.
///
/// `unicode61` folds `å`→`a` and `é`→`e` but keeps letters that are not accented forms (`ø`, `æ`), so
/// "Fløystad" would not find "Floystad"; this maps them. The stemmer only strips plural `s`/`es`/`ies`
/// (Lucene's "minimal English" rules): "operations" finds "operation" while Norwegian words, at worst,
/// lose a genitive `s` (`politiets` → `politiet`), which helps them too. The same tokenizer reads
/// documents and queries, so both sides fold alike; prefix queries are not stemmed.
final class ArchiveTokenizer: FTS5WrapperTokenizer {
    static let name = "clippings"
    let wrappedTokenizer: any FTS5Tokenizer

    init(db: Database, arguments: [String]) throws {
        wrappedTokenizer = try db.makeTokenizer(.unicode61(diacritics: .remove))
    }

    func accept(
        token: String,
        flags: FTS5TokenFlags,
        for tokenization: FTS5Tokenization,
        tokenCallback: FTS5WrapperTokenCallback
    ) throws {
        var folded = Self.fold(token)
        if !tokenization.contains(.prefix) { folded = Self.stem(folded) }
        try tokenCallback(folded, flags)
    }

    /// Letters `unicode61` keeps that readers treat as plain Latin letters.
    static func fold(_ token: String) -> String {
        guard token.unicodeScalars.contains(where: { !$0.isASCII }) else { return token }
        var output = ""
        for character in token {
            switch character {
            case "ø": output += "o"
            case "æ": output += "ae"
            case "œ": output += "oe"
            case "ß": output += "ss"
            case "đ", "ð": output += "d"
            case "ł": output += "l"
            case "þ": output += "th"
            default: output.append(character)
            }
        }
        return output
    }

    /// Strips an English plural ending: `cases` → `case`, `policies` → `policy`; `glass`, `status`, `news`
    /// (too short to tell) stay.
    static func stem(_ token: String) -> String {
        let scalars = Array(token.unicodeScalars)
        let count = scalars.count
        guard count >= 4, scalars[count - 1] == "s" else { return token }
        switch scalars[count - 2] {
        case "u", "s", "i":
            return token
        case "e":
            if count > 4, scalars[count - 3] == "i", scalars[count - 4] != "a", scalars[count - 4] != "e" {
                return String(String.UnicodeScalarView(scalars[..<(count - 3)])) + "y"
            }
            if ["i", "a", "o", "e"].contains(scalars[count - 3]) { return token }
            return String(String.UnicodeScalarView(scalars[..<(count - 1)]))
        default:
            return String(String.UnicodeScalarView(scalars[..<(count - 1)]))
        }
    }
}

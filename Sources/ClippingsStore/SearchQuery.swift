import Foundation

/// The archive's small search language, translated into a safe FTS5 expression.
///
/// - `oslo police`: every word must match
/// - `"dark room"`: an exact phrase
/// - `polit*`: words starting with `polit`
/// - `darknet OR deepweb`: either side (binds tighter than the implicit AND)
/// - `-sweden`, `-"dark web"`, `NOT sweden`: exclude
/// - `AND` may be written; it changes nothing
/// Every word and phrase reaches FTS5 as a quoted string, so no input can inject FTS5 syntax
/// (`NEAR(`, column filters, `^`); what cannot be understood is a `SearchQuery.Error` naming the problem.
public struct SearchQuery: Sendable, Equatable {
    /// Longest query accepted, in characters.
    public static let maximumLength = 500
    /// Most words and phrases a query may hold, once repeats are collapsed.
    public static let maximumTerms = 32
    /// Most prefix terms (`polit*`) a query may hold: each is every word of the archive it starts, and
    /// ranking and excerpting weigh every one of them.
    public static let maximumPrefixTerms = 4
    /// Fewest letters or digits before a `*`: `a*` would be a large share of the archive's vocabulary.
    public static let minimumPrefixLength = 3

    /// Why a query was refused; the message is meant for the person who typed it.
    public struct Error: Swift.Error, Equatable, Sendable {
        public let message: String
    }

    /// A word or phrase, quoted for FTS5 (`"..."`, quotes doubled); a prefix marks its last word (`"..."*`).
    public struct Term: Equatable, Sendable {
        public var text: String
        public var prefix: Bool

        var fts: String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix ? "*" : "") }
    }

    /// Groups that must all match; the terms in one group are alternatives (OR). What a backend without
    /// FTS5 translates into its own search syntax.
    public private(set) var required: [[Term]] = []
    /// Terms that must not match.
    public private(set) var excluded: [Term] = []

    /// Whether a term holds more than one token (a phrase, or a word with a hyphen or apostrophe): every
    /// match of it is a check of positions, so counting the matches costs about as much as ranking them.
    public var hasPhrase: Bool {
        (required.joined() + excluded).contains { term in
            term.text.contains { !$0.isLetter && !$0.isNumber }
        }
    }

    /// The FTS5 MATCH expression.
    public var ftsExpression: String {
        let positive = required.map { group in
            group.count == 1 ? group[0].fts : "(" + group.map(\.fts).joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        guard !excluded.isEmpty else { return positive }
        return "(\(positive)) NOT (" + excluded.map(\.fts).joined(separator: " OR ") + ")"
    }

    public init(_ text: String) throws(Error) {
        guard text.count <= Self.maximumLength else {
            throw Error(message: "the search is longer than \(Self.maximumLength) characters")
        }
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    $0.properties.generalCategory == .control ? " " : $0
                }
            )
        )
        var pendingOr = false
        for token in try Self.lex(cleaned) {
            switch token {
            case .or:
                guard !required.isEmpty, !pendingOr else {
                    throw Error(message: "OR needs a word or phrase on each side")
                }
                pendingOr = true
            case .term(let raw, let negated, let quoted):
                guard let term = try Self.term(raw, quoted: quoted) else {
                    if pendingOr { throw Error(message: "OR needs a word or phrase on each side") }
                    continue
                }
                if negated {
                    guard !pendingOr else { throw Error(message: "OR cannot join an excluded term") }
                    excluded.append(term)
                } else if pendingOr {
                    required[required.count - 1].append(term)
                    pendingOr = false
                } else {
                    required.append([term])
                }
            }
        }
        if pendingOr { throw Error(message: "OR needs a word or phrase on each side") }
        // A repeated term or group asks nothing more (`a* a*` is `a*`): each is kept once, before the caps.
        required = Self.unique(required.map(Self.unique))
        excluded = Self.unique(excluded)
        let terms = required.joined() + excluded
        guard terms.count <= Self.maximumTerms else {
            throw Error(message: "the search has more than \(Self.maximumTerms) different words and phrases")
        }
        guard terms.count(where: \.prefix) <= Self.maximumPrefixTerms else {
            throw Error(message: "the search has more than \(Self.maximumPrefixTerms) prefix terms (word*)")
        }
        guard !required.isEmpty else {
            throw Error(
                message: excluded.isEmpty
                    ? "the search has no words to look for" : "a search needs a word to look for besides exclusions"
            )
        }
    }

    static func unique<Item: Equatable>(_ items: [Item]) -> [Item] {
        var kept: [Item] = []
        for item in items where !kept.contains(item) { kept.append(item) }
        return kept
    }

    enum Token: Equatable {
        case term(String, negated: Bool, quoted: Bool)
        case or
    }

    /// Splits the text into terms, phrases and OR operators.
    static func lex(_ text: String) throws(Error) -> [Token] {
        var tokens: [Token] = []
        var negateNext = false  // after `NOT`
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
                continue
            }
            var negated = false
            if character == "-" {
                negated = true
                index = text.index(after: index)
                guard index < text.endIndex, !text[index].isWhitespace else { continue }  // a lone "-"
            }
            if text[index] == "\"" {
                let start = text.index(after: index)
                guard let end = text[start...].firstIndex(of: "\"") else {
                    throw Error(message: "a quotation mark is not closed")
                }
                tokens.append(.term(String(text[start..<end]), negated: negated || negateNext, quoted: true))
                negateNext = false
                index = text.index(after: end)
                continue
            }
            let end = text[index...].firstIndex(where: { $0.isWhitespace || $0 == "\"" }) ?? text.endIndex
            let word = String(text[index..<end])
            index = end
            switch (word, negated) {
            case ("OR", false): tokens.append(.or)
            case ("AND", false): continue  // words must all match anyway
            case ("NOT", false): negateNext = true
            default:
                tokens.append(.term(word, negated: negated || negateNext, quoted: false))
                negateNext = false
            }
        }
        return tokens
    }

    /// A term from raw text: its words (letters and digits, so `U.S.` is the phrase "U S"); nil when the
    /// text holds no word at all (`!!!`).
    static func term(_ raw: String, quoted: Bool) throws(Error) -> Term? {
        var body = Substring(raw)
        var prefix = false
        if !quoted, body.hasSuffix("*") {
            while body.hasSuffix("*") { body.removeLast() }
            prefix = true
            guard body.contains(where: { $0.isLetter || $0.isNumber }) else {
                throw Error(message: "* must end a word, as in polit*")
            }
            let stem = body.split { !($0.isLetter || $0.isNumber) }.last ?? ""
            guard stem.count >= minimumPrefixLength else {
                throw Error(
                    message: "a prefix needs at least \(minimumPrefixLength) letters or digits before *, as in polit*"
                )
            }
        }
        let words = body.split { !($0.isLetter || $0.isNumber) }
        guard !words.isEmpty else { return nil }
        return Term(text: words.joined(separator: " "), prefix: prefix)
    }
}

import Foundation
import GRDB

/// Excerpts of a page's hits, made from their stored text with bounded work: the text is tokenized as the
/// index tokenizes it, but only its first `scanLimit` bytes and no further than a few windows past the
/// first match, so a long article costs what a short one does. The excerpt is the `window` tokens with
/// the most different query terms among the first matches, escaped, the matches in `<mark>`; a title-only
/// match shows the title, and no match in the part read shows the body's start.
struct SnippetMaker {
    /// Tokens an excerpt holds (FTS5's `snippet()` was asked for as many).
    static let window = 24
    /// Bytes of a body read at most.
    static let scanLimit = 16_384
    /// Matches an excerpt may start at, at most.
    static let candidates = 16

    private let counter: TermCounter
    /// Query words as the index holds them, each with the number of the term it belongs to.
    /// Compared as bytes, token by token: a page reads thousands of tokens, and a `String` for each was a
    /// tenth of a search's time.
    private var words: [([UInt8], Int)] = []
    private var prefixes: [([UInt8], Int)] = []
    private var phrases: [([[UInt8]], Int)] = []
    /// Where the query's words may begin, to skip a body's text before the first place one could.
    private var leads: WordLeads?
    /// Whether bodies are tokenized from the first place a match may begin (false: from their start,
    /// as the tests' reference).
    var skipsAhead = true

    init(_ search: SearchQuery, in db: Database) throws {
        counter = try TermCounter(db)
        for (number, term) in search.required.joined().enumerated() {
            let tokens = try counter.tokens(of: term.text, prefix: term.prefix)
            if term.prefix, tokens.count == 1 {
                prefixes.append((Array(tokens[0].utf8), number))
            } else if tokens.count == 1 {
                words.append((Array(tokens[0].utf8), number))
            } else if tokens.count > 1 {
                phrases.append((tokens.map { Array($0.utf8) }, number))
            }
        }
        leads = WordLeads(words: words.map(\.0) + prefixes.map(\.0) + phrases.compactMap(\.0.first))
    }

    /// A token of the text read: where it is, and which query term matched from it, over how many tokens.
    private struct Token {
        var range: Range<Int>
        /// The token as indexed, kept only when the query has a phrase to match runs of tokens against.
        var bytes: [UInt8]? = nil
        var term: Int? = nil
        var span = 1
    }

    /// The excerpt of an article from its title and body as stored (UTF-8).
    func snippet(title titleBytes: [UInt8], body bodyBytes: [UInt8]) throws -> String {
        // From a boundary well before the first place a match may begin. The excerpt is the same as from
        // the start when at least a window of tokens precedes the first match; otherwise it starts over.
        let start = skipsAhead ? skipStart(bodyBytes) : 0
        var (tokens, complete) = try matched(bodyBytes, stopping: true, from: start)
        if start > 0, tokens.firstIndex(where: { $0.term != nil }) ?? 0 < Self.window {
            (tokens, complete) = try matched(bodyBytes, stopping: true)
        }
        if let start = bestStart(tokens) {
            return excerpt(bodyBytes, tokens, from: start, complete: complete)
        }
        let (titleTokens, _) = try matched(titleBytes, stopping: false)
        if titleTokens.contains(where: { $0.term != nil }) {
            return excerpt(titleBytes, titleTokens, from: 0, count: titleTokens.count, complete: true)
        }
        return tokens.isEmpty ? "" : excerpt(bodyBytes, tokens, from: 0, complete: complete)
    }

    /// The text's tokens up to the scan limit (or, when `stopping`, a few windows past the first match),
    /// matches marked; and whether they are all of the text's.
    private func matched(
        _ bytes: [UInt8],
        stopping: Bool,
        from start: Int = 0
    ) throws -> (
        tokens: [Token], complete: Bool
    ) {
        var tokens: [Token] = []
        var firstMatch: Int? = nil
        let limit = Self.limit(bytes)
        var complete = limit == bytes.count
        // One term: the first match's window is the excerpt. More: a few windows, to find one with more terms.
        let readPast = words.count + prefixes.count + phrases.count == 1 ? Self.window : 4 * Self.window
        try bytes.withUnsafeBufferPointer { buffer in
            try counter.forEachToken(UnsafeBufferPointer(rebasing: buffer[start..<limit]), tokenization: .document) {
                token,
                range,
                _ in
                let range = range.lowerBound + start..<range.upperBound + start
                var read = Token(range: range, bytes: phrases.isEmpty ? nil : Array(token))
                if let (_, term) = words.first(where: { $0.0.count == token.count && $0.0.elementsEqual(token) }) {
                    read.term = term
                } else if let (_, term) = prefixes.first(where: {
                    $0.0.count <= token.count && token.prefix($0.0.count).elementsEqual($0.0)
                }) {
                    read.term = term
                }
                tokens.append(read)
                if read.term != nil, firstMatch == nil { firstMatch = tokens.count - 1 }
                let more = !stopping || firstMatch.map { tokens.count < $0 + readPast } ?? true
                if !more { complete = false }
                return more
            }
        }
        // Phrases: each run of their tokens in order.
        for (phrase, term) in phrases {
            var index = 0
            while index + phrase.count <= tokens.count {
                if zip(phrase, tokens[index..<index + phrase.count]).allSatisfy({ $0 == $1.bytes }) {
                    tokens[index].term = term
                    tokens[index].span = phrase.count
                    index += phrase.count
                } else {
                    index += 1
                }
            }
        }
        return (tokens, complete)
    }

    /// Where a body's tokenizing may start: a token boundary a few windows' worth of bytes before the
    /// first place a query word may begin (`WordLeads`), or 0.
    func skipStart(_ bytes: [UInt8]) -> Int {
        guard let leads else { return 0 }
        return bytes.withUnsafeBufferPointer { leads.start(in: $0, end: Self.limit(bytes), margin: 16 * Self.window) }
    }

    /// The end of the part of a text read: the scan limit, moved back to the start of a character.
    private static func limit(_ bytes: [UInt8]) -> Int {
        guard bytes.count > scanLimit else { return bytes.count }
        var end = scanLimit
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    /// Where the excerpt starts: a few tokens before the match whose window holds the most different
    /// terms (the first such); nil without a match.
    private func bestStart(_ tokens: [Token]) -> Int? {
        var best: (start: Int, terms: Int)? = nil
        for match in tokens.indices.filter({ tokens[$0].term != nil }).prefix(Self.candidates) {
            // A few tokens of lead-in, more when the text ends before the window would.
            let start = max(0, min(match - 3, tokens.count - Self.window))
            let terms = Set(tokens[start..<min(tokens.count, start + Self.window)].compactMap(\.term)).count
            if terms > best?.terms ?? 0 { best = (start, terms) }
        }
        return best?.start
    }

    /// `count` tokens from `start`, with the text between them, escaped and marked; an ellipsis where
    /// the text goes on.
    private func excerpt(
        _ bytes: [UInt8],
        _ tokens: [Token],
        from start: Int,
        count: Int = window,
        complete: Bool
    ) -> String {
        let end = min(tokens.count, start + count)
        var output = start > 0 ? "…" : ""
        var position = tokens[start].range.lowerBound
        var index = start
        while index < end {
            let token = tokens[index]
            let last = tokens[min(index + token.span, end) - 1]
            output += Self.escaped(bytes[position..<token.range.lowerBound])
            let text = Self.escaped(bytes[token.range.lowerBound..<last.range.upperBound])
            output += token.term != nil ? "<mark>" + text + "</mark>" : text
            position = last.range.upperBound
            index += token.term != nil ? token.span : 1
        }
        // What follows the last token (a full stop) ends the text; more tokens are an ellipsis.
        if end == tokens.count, complete { return output + Self.escaped(bytes[position...]) }
        return output + "…"
    }

    /// The text with `&<>"'` as entities. Byte by byte: the five are ASCII, which UTF-8 never uses inside
    /// another character.
    static func escaped(_ bytes: ArraySlice<UInt8>) -> String {
        let special = { (byte: UInt8) in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
        }
        // Most of an excerpt's pieces hold none of the five.
        guard bytes.contains(where: special) else { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): output += Array("&amp;".utf8)
            case UInt8(ascii: "<"): output += Array("&lt;".utf8)
            case UInt8(ascii: ">"): output += Array("&gt;".utf8)
            case UInt8(ascii: "\""): output += Array("&quot;".utf8)
            case UInt8(ascii: "'"): output += Array("&#39;".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

import Foundation
import GRDB

/// The archive's tokenizer (`ArchiveTokenizer`, the one FTS5 indexes with) for a backend that is not
/// SQLite: an article's terms with their positions, a query word's tokens, and excerpts of hits. One
/// tokenizer wherever the archive is kept, so a search finds, counts, ranks and marks the same articles
/// on every backend. It runs on an in-memory SQLite connection of its own (SQLite's `unicode61` does
/// the word breaking and case folding).
package final class SearchTokenizer: Sendable {
    /// The one every caller shares.
    package static let shared = SearchTokenizer()

    private let queue: DatabaseQueue?

    /// The longest term a `tsvector` takes (PostgreSQL refuses longer words, rather than skipping them).
    package static let longestTerm = 2046
    /// The highest position a `tsvector` records; later words all count at it.
    package static let lastPosition = 16_383

    private init() {
        // An in-memory database cannot run out of disk or permissions; should it fail, every text has no
        // terms (nothing is found), which the conformance suite would show at once.
        queue = try? DatabaseQueue()
    }

    /// An article's terms as a backend stores them for search and BM25.
    package struct Terms: Sendable {
        /// A PostgreSQL `tsvector` literal: title words weighted `A`, body words `D`, one position apart
        /// so no phrase spans the two.
        package var vector: String
        /// Each term's frequency as BM25 weighs it (a title occurrence counts `titleWeight` times), as a
        /// JSON object: a score reads a term's with one lookup instead of walking the vector.
        package var frequencies: String
        /// The article's length in tokens, as FTS5 counts it.
        package var length: Int
    }

    /// An article's terms, as FTS5 would index its title and body.
    package func terms(title: String, body: String) throws -> Terms {
        guard let queue else { return Terms(vector: "", frequencies: "{}", length: 0) }
        return try queue.inDatabase { db in
            let counter = try TermCounter(db)
            // Each term's positions in the title and in the body, in order.
            var occurrences: [String: (title: [Int], body: [Int])] = [:]
            var position = 0
            var length = 0
            for (column, text) in [title, body].enumerated() {
                position += 1
                var columnLength = 0
                let utf8 = ContiguousArray(text.utf8)
                try utf8.withUnsafeBufferPointer { buffer in
                    try counter.forEachToken(buffer, tokenization: .document) { token, _, colocated in
                        // A colocated token is a synonym at the position before, not a further token.
                        if !colocated || columnLength == 0 {
                            columnLength += 1
                            position += 1
                        }
                        guard !token.isEmpty, token.count <= Self.longestTerm else { return true }
                        let term = String(decoding: token, as: UTF8.self)
                        if column == 0 {
                            occurrences[term, default: ([], [])].title.append(position)
                        } else {
                            occurrences[term, default: ([], [])].body.append(position)
                        }
                        return true
                    }
                }
                length += columnLength
            }
            return Terms(
                vector: Self.vectorLiteral(occurrences),
                frequencies: Self.frequencyObject(occurrences),
                length: length
            )
        }
    }

    /// `'term':1A,2A,9D …`; positions past the last a vector records collapse into it.
    private static func vectorLiteral(_ occurrences: [String: (title: [Int], body: [Int])]) -> String {
        var literal = ""
        literal.reserveCapacity(occurrences.count * 16)
        for (term, at) in occurrences {
            if !literal.isEmpty { literal += " " }
            literal += quoted(term) + ":"
            var last = 0
            for (positions, weight) in [(at.title, "A"), (at.body, "D")] {
                for position in positions {
                    let kept = min(position, lastPosition)
                    guard kept != last else { continue }
                    if last != 0 { literal += "," }
                    literal += String(kept) + weight
                    last = kept
                }
            }
        }
        return literal
    }

    /// `{"term": 21, …}`: a title occurrence weighs `titleWeight`, a body occurrence 1.
    private static func frequencyObject(_ occurrences: [String: (title: [Int], body: [Int])]) -> String {
        var json = "{"
        var first = true
        for (term, at) in occurrences {
            if !first { json += "," }
            first = false
            let weight = Int(SearchRankingFunctions.titleWeight) * at.title.count + at.body.count
            json += "\"" + escapedJSON(term) + "\":" + String(weight)
        }
        return json + "}"
    }

    /// A JSON string's contents: quotes, backslashes and control characters escaped.
    private static func escapedJSON(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\\" || $0.value < 0x20 }) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// The tokens of a query word or phrase as the index holds them; a prefix's last word unstemmed.
    package func tokens(of text: String, prefix: Bool) -> [String] {
        guard let queue else { return [] }
        let tokens = try? queue.inDatabase { db in try TermCounter(db).tokens(of: text, prefix: prefix) }
        return (tokens ?? []).filter { !$0.isEmpty && $0.utf8.count <= Self.longestTerm }
    }

    /// A term of a `tsquery` literal, quoted: tokens never hold a quote or a backslash (they are letters and
    /// digits), but a literal must not depend on that.
    package static func quoted(_ token: String) -> String {
        guard token.contains(where: { $0 == "\\" || $0 == "'" }) else { return "'" + token + "'" }
        return "'" + token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Bytes of a body an excerpt is made from, at most: what a backend needs to read of it.
    package static var snippetScanLimit: Int { SnippetMaker.scanLimit }

    /// Excerpts of hits for `search`, made as on SQLite (`SnippetMaker`), one per (title, body).
    package func snippets(_ search: SearchQuery, of hits: [(title: String, body: String)]) throws -> [String] {
        guard let queue, !hits.isEmpty else { return hits.map { _ in "" } }
        return try queue.inDatabase { db in
            let maker = try SnippetMaker(search, in: db)
            return try hits.map { try maker.snippet(title: Array($0.title.utf8), body: Array($0.body.utf8)) }
        }
    }
}

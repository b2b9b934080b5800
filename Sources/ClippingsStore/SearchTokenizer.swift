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

    /// An article as a PostgreSQL `tsvector` literal (title words weighted `A`, body words `D`, one
    /// position apart so no phrase spans the two) and its length as FTS5 counts it, for BM25.
    package func vector(title: String, body: String) throws -> (literal: String, length: Int) {
        guard let queue else { return ("", 0) }
        return try queue.inDatabase { db in
            let counter = try TermCounter(db)
            var positions: [String: [String]] = [:]
            var position = 0
            var length = 0
            for (text, weight) in [(title, "A"), (body, "D")] {
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
                        positions[term, default: []].append("\(min(position, Self.lastPosition))\(weight)")
                        return true
                    }
                }
                length += columnLength
            }
            let literal = positions.map { term, at in Self.quoted(term) + ":" + at.joined(separator: ",") }
            return (literal.joined(separator: " "), length)
        }
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
        "'" + token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
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

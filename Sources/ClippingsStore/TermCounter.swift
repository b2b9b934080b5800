import Foundation
import GRDB

/// The terms of an article as the full-text index sees them: the same tokenizer FTS5 runs over `title` and
/// `body`, counted per column, and the article's length counted as FTS5 counts it (every token that is
/// not colocated with the one before). The postings beside FTS5 are built from these, so their scores
/// are FTS5's own.
struct TermCounter {
    /// Per term: occurrences in the title and in the body.
    typealias Counts = [String: (title: Int32, body: Int32)]

    private let tokenizer: any FTS5Tokenizer

    init(_ db: Database) throws {
        // The tokenizer itself, not through FTS5's registry: each lookup there is a statement.
        tokenizer = try ArchiveTokenizer(db: db, arguments: [])
    }

    /// Every term of an article and its length in tokens.
    func count(title: String, body: String) throws -> (terms: Counts, length: Int32) {
        var terms: Counts = [:]
        var length: Int32 = 0
        for (column, text) in [title, body].enumerated() {
            var columnLength: Int32 = 0
            let utf8 = ContiguousArray(text.utf8)
            try utf8.withUnsafeBufferPointer { buffer in
                try forEachToken(buffer, tokenization: .document) { token, _, colocated in
                    // A colocated token is a synonym at the position before, not a further token.
                    if !colocated || columnLength == 0 {
                        columnLength += 1
                        length += 1
                    }
                    guard !token.isEmpty else { return true }
                    let term = String(decoding: token, as: UTF8.self)
                    var counts = terms[term] ?? (0, 0)
                    if column == 0 { counts.title += 1 } else { counts.body += 1 }
                    terms[term] = counts
                    return true
                }
            }
        }
        return (terms, length)
    }

    /// The tokens of a query word or phrase (one for a word, unless the tokenizer splits it); a prefix's
    /// last word as FTS5 looks prefixes up, unstemmed.
    func tokens(of text: String, prefix: Bool = false) throws -> [String] {
        var tokens: [String] = []
        let utf8 = ContiguousArray(text.utf8)
        try utf8.withUnsafeBufferPointer { buffer in
            try forEachToken(buffer, tokenization: prefix ? [.query, .prefix] : .query) { token, _, _ in
                tokens.append(String(decoding: token, as: UTF8.self))
                return true
            }
        }
        return tokens
    }

    /// Calls `visit` with each token's bytes, its byte range in `text`, and whether it is colocated with
    /// the one before, until `visit` returns false.
    func forEachToken(
        _ text: UnsafeBufferPointer<UInt8>,
        tokenization: FTS5Tokenization,
        _ visit: (UnsafeRawBufferPointer, Range<Int>, Bool) -> Bool
    ) throws {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        try withoutActuallyEscaping(visit) { visit in
            var pass = Pass(visit: visit)
            let code = withUnsafeMutablePointer(to: &pass) { passPointer in
                base.withMemoryRebound(to: CChar.self, capacity: text.count) { characters in
                    tokenizer.tokenize(
                        context: UnsafeMutableRawPointer(passPointer),
                        tokenization: tokenization,
                        pText: characters,
                        nText: CInt(text.count)
                    ) { context, flags, token, count, start, end in
                        let pass = context!.assumingMemoryBound(to: Pass.self)
                        let bytes = UnsafeRawBufferPointer(start: token, count: token == nil ? 0 : Int(max(count, 0)))
                        // FTS5_TOKEN_COLOCATED is 1; stopping is reported as SQLITE_DONE and taken as success.
                        return pass.pointee.visit(bytes, Int(start)..<Int(max(start, end)), flags & 1 != 0) ? 0 : 101
                    }
                }
            }
            if code != 0, code != 101 { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
    }

    private struct Pass {
        let visit: (UnsafeRawBufferPointer, Range<Int>, Bool) -> Bool
    }
}

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
        tokenizer = try db.makeTokenizer(ArchiveTokenizer.tokenizerDescriptor())
    }

    /// Every term of an article and its length in tokens.
    func count(title: String, body: String) throws -> (terms: Counts, length: Int32) {
        var pass = Pass()
        try tokenize(title, into: &pass, column: 0)
        try tokenize(body, into: &pass, column: 1)
        return (pass.terms, pass.length)
    }

    /// The terms a query word is looked up as (one, unless the tokenizer splits it).
    func queryTerms(_ text: String) throws -> [String] {
        try tokenizer.tokenize(query: text).map(\.token)
    }

    private struct Pass {
        var terms: Counts = [:]
        var length: Int32 = 0
        var column = 0
        var columnLength: Int32 = 0
    }

    private func tokenize(_ text: String, into pass: inout Pass, column: Int) throws {
        pass.column = column
        pass.columnLength = 0
        var utf8 = ContiguousArray(text.utf8)
        guard !utf8.isEmpty else { return }
        let code = utf8.withUnsafeMutableBufferPointer { buffer in
            withUnsafeMutablePointer(to: &pass) { passPointer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { text in
                    tokenizer.tokenize(
                        context: UnsafeMutableRawPointer(passPointer),
                        tokenization: .document,
                        pText: text,
                        nText: CInt(buffer.count)
                    ) { context, flags, token, count, _, _ in
                        let pass = context!.assumingMemoryBound(to: Pass.self)
                        // FTS5_TOKEN_COLOCATED (1): a synonym at the position before, not a further token.
                        if flags & 1 == 0 || pass.pointee.columnLength == 0 {
                            pass.pointee.columnLength += 1
                            pass.pointee.length += 1
                        }
                        guard let token, count > 0 else { return 0 }
                        let bytes = UnsafeRawBufferPointer(start: token, count: Int(count))
                        let term = String(decoding: bytes, as: UTF8.self)
                        var counts = pass.pointee.terms[term] ?? (0, 0)
                        if pass.pointee.column == 0 { counts.title += 1 } else { counts.body += 1 }
                        pass.pointee.terms[term] = counts
                        return 0
                    }
                }
            }
        }
        if code != 0 { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }
}

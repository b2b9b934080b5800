import GRDB

/// The full-text tokenizer: SQLite's `unicode61` (Unicode word breaking, case folding, accents removed)
/// plus what it leaves undone for our languages, and a light English plural stemmer.
///
/// `unicode61` folds `å`→`a` and `é`→`e` but keeps letters that are not accented forms (`ø`, `æ`), so
/// "Fløystad" would not find "Floystad"; this maps them. The stemmer only strips plural `s`/`es`/`ies`
/// (Lucene's "minimal English" rules): "operations" finds "operation" while Norwegian words, at worst,
/// lose a genitive `s` (`politiets` → `politiet`), which helps them too. The same tokenizer reads
/// documents and queries, so both sides fold alike; prefix queries are not stemmed.
///
/// Tokens are rewritten as UTF-8 bytes, straight from SQLite's buffer, and passed on untouched when no
/// rule applies: indexing runs this for every word of every article, and building a Swift `String` per
/// token (as GRDB's `FTS5WrapperTokenizer` does) would cost an allocation per word.
final class ArchiveTokenizer: FTS5CustomTokenizer {
    static let name = "clippings"
    let wrapped: any FTS5Tokenizer

    init(db: Database, arguments: [String]) throws {
        wrapped = try db.makeTokenizer(.unicode61(diacritics: .remove))
    }

    /// What the C callback needs: SQLite's own callback and context, and a scratch buffer for rewrites.
    private struct Pass {
        let callback: FTS5TokenCallback
        let context: UnsafeMutableRawPointer?
        let stems: Bool
        var scratch: [UInt8] = []
    }

    func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        var pass = Pass(callback: tokenCallback, context: context, stems: !tokenization.contains(.prefix))
        pass.scratch.reserveCapacity(64)
        return withUnsafeMutablePointer(to: &pass) { passPointer in
            wrapped.tokenize(context: passPointer, tokenization: tokenization, pText: pText, nText: nText) {
                rawPass,
                flags,
                pToken,
                nToken,
                start,
                end in
                let pass = rawPass!.assumingMemoryBound(to: Pass.self)
                guard let pToken, nToken > 0 else {
                    return pass.pointee.callback(pass.pointee.context, flags, pToken, nToken, start, end)
                }
                let token = UnsafeRawBufferPointer(start: pToken, count: Int(nToken))
                guard ArchiveTokenizer.rewrite(token, stem: pass.pointee.stems, into: &pass.pointee.scratch) else {
                    return pass.pointee.callback(pass.pointee.context, flags, pToken, nToken, start, end)
                }
                return pass.pointee.scratch.withUnsafeBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        pass.pointee.callback(
                            pass.pointee.context,
                            flags,
                            chars.baseAddress,
                            CInt(chars.count),
                            start,
                            end
                        )
                    }
                }
            }
        }
    }

    /// Letters `unicode61` keeps that readers treat as plain Latin letters, as UTF-8 (lower case only:
    /// `unicode61` has already folded case).
    private static let foldings: [(UInt8, UInt8, [UInt8])] = [
        (0xC3, 0xB8, Array("o".utf8)),  // ø
        (0xC3, 0xA6, Array("ae".utf8)),  // æ
        (0xC5, 0x93, Array("oe".utf8)),  // œ
        (0xC3, 0x9F, Array("ss".utf8)),  // ß
        (0xC4, 0x91, Array("d".utf8)),  // đ
        (0xC3, 0xB0, Array("d".utf8)),  // ð
        (0xC5, 0x82, Array("l".utf8)),  // ł
        (0xC3, 0xBE, Array("th".utf8)),  // þ
    ]

    /// Folds and (unless `stem` is false) stems a UTF-8 token into `output`; false when the token stays as
    /// it is, so the caller can pass the original bytes on.
    static func rewrite(_ token: UnsafeRawBufferPointer, stem: Bool, into output: inout [UInt8]) -> Bool {
        // Most tokens need nothing: no letter to fold and no plural `s`. Tell those apart without copying.
        let mayStem = stem && token.count >= 4 && token[token.count - 1] == UInt8(ascii: "s")
        guard mayStem || token.contains(where: { $0 >= 0xC3 && $0 <= 0xC5 }) else { return false }
        output.removeAll(keepingCapacity: true)
        var folded = false
        var index = 0
        while index < token.count {
            let byte = token[index]
            if byte >= 0xC3, byte <= 0xC5, index + 1 < token.count,
                let folding = foldings.first(where: { $0.0 == byte && $0.1 == token[index + 1] })
            {
                output.append(contentsOf: folding.2)
                folded = true
                index += 2
            } else {
                output.append(byte)
                index += 1
            }
        }
        let stemmed = stem && stemPlural(&output)
        return folded || stemmed
    }

    /// Strips an English plural ending in place: `cases` → `case`, `policies` → `policy`; `glass`, `status`
    /// and `bus` stay. The letters it looks at are ASCII, so bytes stand for letters; a
    /// non-ASCII letter's bytes never equal them.
    static func stemPlural(_ bytes: inout [UInt8]) -> Bool {
        let letters = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let count = bytes.count
        guard letters >= 4, bytes[count - 1] == UInt8(ascii: "s") else { return false }
        switch bytes[count - 2] {
        case UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "i"):
            return false
        case UInt8(ascii: "e"):
            let third = bytes[count - 3]
            if letters > 4, third == UInt8(ascii: "i"), bytes[count - 4] != UInt8(ascii: "a"),
                bytes[count - 4] != UInt8(ascii: "e")
            {
                bytes.removeLast(3)
                bytes.append(UInt8(ascii: "y"))
                return true
            }
            if [UInt8(ascii: "i"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "e")].contains(third) {
                return false
            }
            bytes.removeLast()
            return true
        default:
            bytes.removeLast()
            return true
        }
    }

    /// The token as the index stores it (for tests and for reading the vocabulary).
    static func normalize(_ token: String, stem: Bool = true) -> String {
        var output: [UInt8] = []
        let bytes = Array(token.utf8)
        let changed = bytes.withUnsafeBytes { rewrite($0, stem: stem, into: &output) }
        return changed ? String(decoding: output, as: UTF8.self) : token
    }
}

import Foundation
import GRDB

/// A set of article ids as bits, one per id up to the largest (125 KB at a million articles).
///
/// A query's matches are counted from its words' postings by set operations instead of by ranking them:
/// an OR group is the union of its words' sets, the query the intersection of its groups less its
/// exclusions. That visits every posting once, a few nanoseconds each, where ranking every match cost
/// binary searches in every word's block for every candidate.
struct ArticleBitmap: Equatable {
    private var words: [UInt64]

    /// An empty set for ids up to `maxID`; larger ids are ignored.
    init(upTo maxID: Int64) {
        words = [UInt64](repeating: 0, count: Int(max(maxID, 0) >> 6) + 1)
    }

    mutating func insert(_ id: Int64) {
        let index = Int(id >> 6)
        guard id >= 0, index < words.count else { return }
        words[index] |= 1 << UInt64(id & 63)
    }

    func contains(_ id: Int64) -> Bool {
        let index = Int(id >> 6)
        return id >= 0 && index < words.count && words[index] & (1 << UInt64(id & 63)) != 0
    }

    mutating func formUnion(_ other: ArticleBitmap) {
        for index in words.indices where index < other.words.count { words[index] |= other.words[index] }
    }

    mutating func formIntersection(_ other: ArticleBitmap) {
        for index in words.indices { words[index] &= index < other.words.count ? other.words[index] : 0 }
    }

    mutating func subtract(_ other: ArticleBitmap) {
        for index in words.indices where index < other.words.count { words[index] &= ~other.words[index] }
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The ids, ascending.
    var ids: [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        for (index, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                ids.append(Int64(index << 6 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return ids
    }
}

extension TermPostings {
    /// Every article holding the term, read from all its blocks for their ids only; none is kept decoded.
    func bitmap(upTo maxID: Int64, in db: Database) throws -> ArticleBitmap {
        var bitmap = ArticleBitmap(upTo: maxID)
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT data FROM search_block WHERE term_id = ?"),
            arguments: [termID]
        )
        while let row = try rows.next() {
            try row.withUnsafeData(atIndex: 0) { data in
                guard let data else { return }
                PostingBlock.forEachID(in: data) { bitmap.insert($0) }
            }
        }
        return bitmap
    }
}

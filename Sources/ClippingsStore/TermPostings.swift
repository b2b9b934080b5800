import Foundation
import GRDB

/// One term's blocks as a ranked search reads them: their bounds at once, their postings when needed.
final class TermPostings {
    let termID: Int64
    /// Articles holding the term.
    let articles: Int64
    /// Its blocks' bounds, in id order; empty for a prefix's term, which is read whole (`PostingReader`).
    let bounds: [BlockBound]
    /// The last article holding it.
    let lastID: Int64
    private var decoded: [Int: [Posting]] = [:]

    init(termID: Int64, articles: Int64, bounds: [BlockBound], lastID: Int64? = nil) {
        self.termID = termID
        self.articles = articles
        self.bounds = bounds
        self.lastID = lastID ?? bounds.last?.lastID ?? 0
    }

    /// Every term starting with `prefix` (as FTS5 matches a prefix: the indexed terms' bytes), without
    /// their bounds.
    static func expansions(ofPrefix prefix: String, in db: Database) throws -> [TermPostings] {
        // Past every term starting with the prefix: no term holds U+10FFFF, a noncharacter.
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, articles, (SELECT MAX(last_id) FROM search_block WHERE term_id = search_term.id)
                    FROM search_term WHERE term >= ? AND term < ?
                    """
            ),
            arguments: [prefix, prefix + "\u{10FFFF}"]
        )
        return rows.map { TermPostings(termID: $0[0], articles: $0[1], bounds: [], lastID: $0[2] ?? 0) }
    }

    /// The term's bounds, or nil when no article holds it.
    static func load(_ term: String, in db: Database) throws -> TermPostings? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, articles FROM search_term WHERE term = ?"),
                arguments: [term]
            )
        else { return nil }
        let termID: Int64 = row["id"]
        // A cursor, not `fetchAll`: a common word has hundreds of blocks, and a copied row is a copy of
        // its column names too.
        var bounds: [BlockBound] = []
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT last_id, impacts FROM search_block WHERE term_id = ? ORDER BY last_id"
            ),
            arguments: [termID]
        )
        while let row = try rows.next() { bounds.append(BlockBound(lastID: row[0], impactData: row[1])) }
        return TermPostings(termID: termID, articles: row["articles"], bounds: bounds)
    }

    /// The postings of block `index`, read once.
    func postings(_ index: Int, in db: Database) throws -> [Posting] {
        if let postings = decoded[index] { return postings }
        let data =
            try Data.fetchOne(
                db.cachedStatement(sql: "SELECT data FROM search_block WHERE term_id = ? AND last_id = ?"),
                arguments: [termID, bounds[index].lastID]
            ) ?? Data()
        let postings = PostingBlock(data: data).postings
        decoded[index] = postings
        return postings
    }

    /// The article's posting, if the term occurs in it.
    func find(_ id: Int64, in db: Database) throws -> Posting? {
        let index = bounds.partitionPoint { $0.lastID < id }
        guard index < bounds.count else { return nil }
        return PostingsRanker.find(id, in: try postings(index, in: db)[...])
    }
}

extension Array {
    /// The first index whose element is not `belowBoundary` (the elements are partitioned by it).
    func partitionPoint(_ belowBoundary: (Element) -> Bool) -> Int {
        self[...].partitionPoint(belowBoundary)
    }
}

extension ArraySlice {
    func partitionPoint(_ belowBoundary: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if belowBoundary(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

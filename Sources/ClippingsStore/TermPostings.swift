import Foundation
import GRDB

/// One term's blocks as a ranked search reads them: their bounds when a ranking stops early by them,
/// their postings when needed.
final class TermPostings {
    let termID: Int64
    /// Articles holding the term.
    let articles: Int64
    /// The last article holding it.
    let lastID: Int64
    /// Whether it stands in a query for a prefix it starts with.
    let expandsPrefix: Bool
    /// Its blocks' bounds, in id order, once `loadBounds` read them (a ranking of every match needs none).
    private(set) var bounds: [BlockBound] = []
    private var decoded: [Int: [Posting]] = [:]

    init(termID: Int64, articles: Int64, lastID: Int64, expandsPrefix: Bool = false) {
        self.termID = termID
        self.articles = articles
        self.lastID = lastID
        self.expandsPrefix = expandsPrefix
    }

    /// Every term starting with `prefix` (as FTS5 matches a prefix: the indexed terms' bytes).
    static func expansions(ofPrefix prefix: String, in db: Database) throws -> [TermPostings] {
        // Past every term starting with the prefix: no term holds U+10FFFF, a noncharacter.
        try terms(where: "term >= ? AND term < ?", [prefix, prefix + "\u{10FFFF}"], in: db).map {
            TermPostings(termID: $0.termID, articles: $0.articles, lastID: $0.lastID, expandsPrefix: true)
        }
    }

    /// The term, or nil when no article holds it.
    static func load(_ term: String, in db: Database) throws -> TermPostings? {
        try terms(where: "term = ?", [term], in: db).first
    }

    private static func terms(
        where condition: String,
        _ arguments: StatementArguments,
        in db: Database
    ) throws -> [TermPostings] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, articles, (SELECT MAX(last_id) FROM search_block WHERE term_id = search_term.id)
                    FROM search_term WHERE \(condition)
                    """
            ),
            arguments: arguments
        ).map { TermPostings(termID: $0[0], articles: $0[1], lastID: $0[2] ?? 0) }
    }

    /// Reads the blocks' bounds, once.
    func loadBounds(in db: Database) throws {
        guard bounds.isEmpty else { return }
        // A cursor, not `fetchAll`: a common word has hundreds of blocks, and a copied row is a copy of
        // its column names too.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT last_id, impacts FROM search_block WHERE term_id = ? ORDER BY last_id"
            ),
            arguments: [termID]
        )
        while let row = try rows.next() { bounds.append(BlockBound(lastID: row[0], impactData: row[1])) }
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

    /// The article's posting, if the term occurs in it; without the bounds, from the block that would
    /// hold it.
    func posting(of id: Int64, in db: Database) throws -> Posting? {
        guard bounds.isEmpty else { return try find(id, in: db) }
        let data = try Data.fetchOne(
            db.cachedStatement(
                sql: "SELECT data FROM search_block WHERE term_id = ? AND last_id >= ? ORDER BY last_id LIMIT 1"
            ),
            arguments: [termID, id]
        )
        return data.flatMap { PostingsRanker.find(id, in: PostingBlock(data: $0).postings[...]) }
    }

    /// The article's posting, if the term occurs in it (the bounds read).
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

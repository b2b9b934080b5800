import Foundation
import GRDB

extension PostingsRanker {
    /// Article ids scored together: the window's accumulators (about 40 bytes an id) stay in the
    /// processor's cache, whatever the archive's size.
    static let window = 1 << 15

    /// Ranks every match into `top` and returns how many articles match, term at a time: each phrase's
    /// postings are read once, block after block in id order, and added into per-article accumulators,
    /// one window of ids after another. No article is looked up in any list, so the cost is the
    /// postings' count, a few nanoseconds each: what many common words OR'd, or a prefix standing for
    /// many words, need (their matches are most of the archive, and no bound stops them early).
    ///
    /// Scores are `bm25()`'s to the last bit: an article's phrases are added in the query's order, as
    /// FTS5 adds them, a phrase absent from it adding nothing there either; a prefix's words are one
    /// phrase, their occurrences counted together before it is scored.
    mutating func rankEveryMatch(in db: Database) throws -> Int {
        let idf = self.idf
        let average = statistics.averageLength
        let required = groups.reduce(0, +)
        var groupBits: [UInt64] = []
        for (group, count) in groups.enumerated() {
            groupBits += repeatElement(1 << UInt64(group), count: count)
        }
        let everyGroup: UInt64 = groups.count >= 64 ? ~0 : (1 << UInt64(groups.count)) - 1
        var readers = try phrases.map { lists in try lists.map { try PostingReader(termID: $0.termID, in: db) } }
        var window = EveryMatchWindow(size: Self.window)
        var matches = 0
        var low = try Self.nextID(&readers)
        while let start = low {
            window.low = start
            let end = start + Int64(Self.window)
            for index in phrases.indices {
                if index >= required {
                    for reader in readers[index].indices {
                        try readers[index][reader].forEach(below: end) { window.excluded[window.slot($0.id)] = true }
                    }
                } else if readers[index].count == 1 {
                    try readers[index][0].forEach(below: end) { posting in
                        window.add(posting, at: window.slot(posting.id), idf[index], average, group: groupBits[index])
                    }
                } else {
                    // A prefix: its words' occurrences summed per article, then scored as one phrase.
                    for reader in readers[index].indices {
                        try readers[index][reader].forEach(below: end) { window.count($0) }
                    }
                    for slot in window.counted {
                        window.add(window.occurrences[slot], at: slot, idf[index], average, group: groupBits[index])
                    }
                    window.clearCounts()
                }
            }
            for slot in 0..<Self.window where window.groups[slot] == everyGroup && !window.excluded[slot] {
                let id = start + Int64(slot)
                if let allowed, !allowed.contains(id) { continue }
                matches += 1
                matched?.insert(id)
                // Ranked only if the carried ranking admits it (the total is the archive's now).
                if let newest, id > newest { continue }
                let score = window.score[slot]
                if let after, !(score < after.score || (score == after.score && id > after.id)) { continue }
                if keep(id, score), !window.inBody[slot] { titleOnly.insert(id) }
            }
            window.clear()
            low = try Self.nextID(&readers)
        }
        return matches
    }

    /// The smallest id any reader has left; nil when all are read.
    private static func nextID(_ readers: inout [[PostingReader]]) throws -> Int64? {
        var next: Int64? = nil
        for phrase in readers.indices {
            for reader in readers[phrase].indices {
                if let id = try readers[phrase][reader].peek() { next = min(next ?? id, id) }
            }
        }
        return next
    }
}

/// The accumulators of one window of article ids, indexed by id less `low`.
private struct EveryMatchWindow {
    var low: Int64 = 0
    var score: [Double]
    /// A bit per required group the article has a phrase of.
    var groups: [UInt64]
    var excluded: [Bool]
    var inBody: [Bool]
    /// A prefix's occurrences so far, per article (its length too), and the articles that have some.
    var occurrences: [Posting]
    var counted: [Int] = []

    init(size: Int) {
        score = [Double](repeating: 0, count: size)
        groups = [UInt64](repeating: 0, count: size)
        excluded = [Bool](repeating: false, count: size)
        inBody = [Bool](repeating: false, count: size)
        occurrences = [Posting](repeating: Posting(id: 0, title: 0, body: 0, length: 0), count: size)
    }

    func slot(_ id: Int64) -> Int { Int(id - low) }

    /// Adds a phrase's part of an article's score, and notes its group and whether the body holds it.
    mutating func add(_ posting: Posting, at slot: Int, _ idf: Double, _ averageLength: Double, group: UInt64) {
        score[slot] += SearchRankingFunctions.termScore(
            idf: idf,
            frequency: posting.impact.frequency,
            length: Double(posting.length),
            averageLength: averageLength
        )
        groups[slot] |= group
        if posting.body > 0 { inBody[slot] = true }
    }

    mutating func count(_ posting: Posting) {
        let slot = slot(posting.id)
        if occurrences[slot].length == 0 { counted.append(slot) }
        occurrences[slot] = occurrences[slot].adding(posting)
    }

    mutating func clearCounts() {
        for slot in counted { occurrences[slot] = Posting(id: 0, title: 0, body: 0, length: 0) }
        counted.removeAll(keepingCapacity: true)
    }

    mutating func clear() {
        for index in score.indices {
            score[index] = 0
            groups[index] = 0
            excluded[index] = false
            inBody[index] = false
        }
    }
}

/// One term's postings, read block after block in id order through a statement of its own: a query's
/// terms are read side by side, a window of ids at a time.
struct PostingReader {
    private let rows: RowCursor
    private var buffer: [Posting] = []
    private var position = 0

    init(termID: Int64, in db: Database) throws {
        rows = try Row.fetchCursor(
            db.makeStatement(sql: "SELECT data FROM search_block WHERE term_id = ? ORDER BY last_id"),
            arguments: [termID]
        )
    }

    /// The id of the next posting, or nil when every one is read.
    mutating func peek() throws -> Int64? {
        while position == buffer.count {
            guard let row = try rows.next() else { return nil }
            buffer.removeAll(keepingCapacity: true)
            position = 0
            try row.withUnsafeData(atIndex: 0) { data in
                data?.withUnsafeBytes { PostingBlock.decode($0, into: &buffer) }
            }
        }
        return buffer[position].id
    }

    /// Calls `visit` with each posting whose id is below `end`, from where the last call stopped.
    mutating func forEach(below end: Int64, _ visit: (Posting) -> Void) throws {
        while let id = try peek(), id < end {
            visit(buffer[position])
            position += 1
        }
    }
}

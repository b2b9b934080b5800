import Foundation

/// One article's entry in a term's postings: how often the term occurs in its title and body, and the
/// article's length in tokens, which is all BM25 needs besides the collection's statistics.
struct Posting: Equatable, Sendable {
    var id: Int64
    var title: Int32
    var body: Int32
    /// Tokens in title and body together: what FTS5's `xColumnSize(-1)` reports for the article.
    var length: Int32

    var impact: Impact { Impact(title: title, body: body, length: length) }

    /// This and `other`'s occurrences in the same article counted together, as FTS5 counts a prefix's
    /// terms.
    func adding(_ other: Posting) -> Posting {
        Posting(id: other.id, title: title + other.title, body: body + other.body, length: other.length)
    }
}

/// What an occurrence of a term contributes to an article's score, apart from the collection's
/// statistics: more occurrences score higher, a longer article lower.
struct Impact: Equatable, Sendable {
    var title: Int32
    var body: Int32
    var length: Int32

    /// The occurrences as `bm25()` weighs them (title and body columns).
    var frequency: Double { Double(title) * SearchRankingFunctions.titleWeight + Double(body) }

    /// Whether every article with `other`'s impact scores at most what this one does.
    func dominates(_ other: Impact) -> Bool {
        title >= other.title && body >= other.body && length <= other.length
    }
}

/// Up to `SearchPostings.blockSize` postings of one term, in article id order, stored as one row of
/// `search_block` with its competitive impacts: what bounds the score any of its articles can reach, so
/// a ranked search can pass over a block without reading it.
struct PostingBlock: Equatable, Sendable {
    var postings: [Posting]

    /// The block's row key: its last article.
    var lastID: Int64 { postings.last?.id ?? 0 }

    /// The block's impacts no other of its impacts dominates (Lucene's "competitive impacts"): the best
    /// score any of its articles reaches is the best of theirs, whatever the statistics, so the bound is
    /// that article's score, not a mix of one article's frequency and another's length.
    var bound: BlockBound {
        var frontier: [Impact] = []
        for posting in postings {
            let impact = posting.impact
            guard !frontier.contains(where: { $0.dominates(impact) }) else { continue }
            frontier.removeAll { impact.dominates($0) }
            frontier.append(impact)
        }
        return BlockBound(lastID: lastID, impacts: frontier)
    }

    /// Ids as deltas from the previous one, then the three counts, each an unsigned LEB128 varint:
    /// about five bytes a posting.
    var data: Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(postings.count * 6)
        var previous: Int64 = 0
        for posting in postings {
            Self.append(UInt64(posting.id - previous), to: &bytes)
            Self.append(posting.impact, to: &bytes)
            previous = posting.id
        }
        return Data(bytes)
    }

    static func append(_ impact: Impact, to bytes: inout [UInt8]) {
        append(UInt64(impact.title), to: &bytes)
        append(UInt64(impact.body), to: &bytes)
        append(UInt64(impact.length), to: &bytes)
    }

    init(postings: [Posting]) {
        self.postings = postings
    }

    /// Decodes what `data` wrote; a damaged blob gives the postings read before the damage.
    init(data: Data) {
        var postings: [Posting] = []
        data.withUnsafeBytes { Self.decode($0, into: &postings) }
        self.postings = postings
    }

    /// Appends the postings a block's bytes hold to `postings`, up to any damage.
    static func decode(_ bytes: UnsafeRawBufferPointer, into postings: inout [Posting]) {
        var index = 0
        var previous: Int64 = 0
        while index < bytes.count {
            guard let delta = read(bytes, &index), let impact = readImpact(bytes, &index) else { return }
            previous += Int64(truncatingIfNeeded: delta)
            postings.append(Posting(id: previous, title: impact.title, body: impact.body, length: impact.length))
        }
    }

    /// Calls `body` with each id `data` holds, in order, skipping the counts: what a match count needs.
    static func forEachID(in data: Data, _ body: (Int64) -> Void) {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var index = 0
            var previous: Int64 = 0
            while index < bytes.count {
                guard let delta = read(bytes, &index) else { return }
                // The three counts are skipped, not decoded: each ends at its first byte under 0x80.
                var skipped = 0
                while index < bytes.count, skipped < 3 {
                    if bytes[index] < 0x80 { skipped += 1 }
                    index += 1
                }
                guard skipped == 3 else { return }
                previous += Int64(truncatingIfNeeded: delta)
                body(previous)
            }
        }
    }

    static func readImpact(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Impact? {
        guard let title = read(bytes, &index), let body = read(bytes, &index), let length = read(bytes, &index)
        else { return nil }
        return Impact(
            title: Int32(truncatingIfNeeded: title),
            body: Int32(truncatingIfNeeded: body),
            length: Int32(truncatingIfNeeded: length)
        )
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        // Most counts and id gaps fit in one byte.
        if index < bytes.count, bytes[index] < 0x80 {
            index += 1
            return UInt64(bytes[index - 1])
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}

/// What a block's row says about its postings without decoding them: the ids it covers end at `lastID`,
/// and no article in it has an impact that none of `impacts` dominates.
struct BlockBound: Equatable, Sendable {
    var lastID: Int64
    var impacts: [Impact]

    /// The impacts as stored: three varints each.
    var impactData: Data {
        var bytes: [UInt8] = []
        for impact in impacts { PostingBlock.append(impact, to: &bytes) }
        return Data(bytes)
    }

    init(lastID: Int64, impacts: [Impact]) {
        self.lastID = lastID
        self.impacts = impacts
    }

    init(lastID: Int64, impactData: Data) {
        self.lastID = lastID
        var impacts: [Impact] = []
        impactData.withUnsafeBytes { bytes in
            var index = 0
            while index < bytes.count, let impact = PostingBlock.readImpact(bytes, &index) { impacts.append(impact) }
        }
        self.impacts = impacts
    }
}

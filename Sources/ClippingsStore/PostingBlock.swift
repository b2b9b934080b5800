import Foundation

/// One article's entry in a term's postings: how often the term occurs in its title and body, and the
/// article's length in tokens, which is all BM25 needs besides the collection's statistics.
struct Posting: Equatable, Sendable {
    var id: Int64
    var title: Int32
    var body: Int32
    /// Tokens in title and body together: what FTS5's `xColumnSize(-1)` reports for the article.
    var length: Int32
}

/// Up to `SearchPostings.blockSize` postings of one term, in article id order, stored as one row of
/// `search_block` with the largest frequencies and the shortest article among them: what bounds the
/// score any of its articles can reach, so a ranked search can pass over a block without reading it.
struct PostingBlock: Equatable, Sendable {
    var postings: [Posting]

    /// The block's row key: its last article.
    var lastID: Int64 { postings.last?.id ?? 0 }

    var bound: BlockBound {
        var bound = BlockBound(lastID: lastID, title: 0, body: 0, length: .max)
        for posting in postings {
            bound.title = max(bound.title, posting.title)
            bound.body = max(bound.body, posting.body)
            bound.length = min(bound.length, posting.length)
        }
        return bound
    }

    /// Ids as deltas from the previous one, then the three counts, each an unsigned LEB128 varint:
    /// about five bytes a posting.
    var data: Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(postings.count * 6)
        var previous: Int64 = 0
        for posting in postings {
            Self.append(UInt64(posting.id - previous), to: &bytes)
            Self.append(UInt64(posting.title), to: &bytes)
            Self.append(UInt64(posting.body), to: &bytes)
            Self.append(UInt64(posting.length), to: &bytes)
            previous = posting.id
        }
        return Data(bytes)
    }

    init(postings: [Posting]) {
        self.postings = postings
    }

    /// Decodes what `data` wrote; a damaged blob gives the postings read before the damage.
    init(data: Data) {
        postings = []
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var index = 0
            var previous: Int64 = 0
            while index < bytes.count {
                guard let delta = Self.read(bytes, &index), let title = Self.read(bytes, &index),
                    let body = Self.read(bytes, &index), let length = Self.read(bytes, &index)
                else { return }
                previous += Int64(truncatingIfNeeded: delta)
                postings.append(
                    Posting(
                        id: previous,
                        title: Int32(truncatingIfNeeded: title),
                        body: Int32(truncatingIfNeeded: body),
                        length: Int32(truncatingIfNeeded: length)
                    )
                )
            }
        }
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func read(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
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

/// What a block's row says about its postings without decoding them: the ids it covers end at
/// `lastID`, no posting has a larger title or body frequency, and none a shorter article.
struct BlockBound: Equatable, Sendable {
    var lastID: Int64
    var title: Int32
    var body: Int32
    var length: Int32
}

/// A MinHash signature of a text's word shingles (Broder, 1997): two texts' signatures agree in about the
/// share of positions that their shingle sets overlap (the Jaccard resemblance), whatever their lengths.
/// Syndicated copies are the same wire text with another headline, a cut ending or site furniture around
/// it, so the copy's shingles are mostly contained in the original's: `containment` estimates that from
/// the resemblance and the two sizes.
///
/// Bands of the signature (locality-sensitive hashing) find candidates without comparing every pair:
/// two texts share a band with probability 1 - (1 - J^rows)^bands. 15 bands of 2 values give 0.99 at
/// J = 0.5 and 0.93 at 0.4, more than 30 bands of 3 (0.98, 0.86), with half the rows to write for each
/// article; the bands use the first 30 values, and all 90 estimate the resemblance.
public struct ShingleSignature: Sendable, Equatable {
    public static let hashes = 90
    public static let rows = 2
    public static let bands = 15
    public static let shingleLength = 3
    /// Fewer shingles than this and a text is too short to call a copy of anything.
    public static let minimumShingles = 25
    /// The words of a text signed: its beginning, which every copy keeps (a copy cuts the ending, and
    /// furniture put before the text is a few words), and enough to tell texts apart, at a bounded cost.
    public static let wordLimit = 400

    public var values: [UInt64]
    /// Distinct shingles in the text.
    public var shingles: Int

    public init(values: [UInt64], shingles: Int) {
        self.values = values
        self.shingles = shingles
    }

    /// The signature of a text's words (folded, stop words kept: they are most of a copy's shingles).
    public init(text: String) {
        self.init(words: StoryWords.words(in: text.prefix(Self.textLimit)))
    }

    /// A prefix of a text long enough to hold `wordLimit` words of any spelling: what `init(words:)` needs
    /// read.
    public static let textLimit = wordLimit * 16

    /// The signature of a text's words as `StoryWords` reads them (those of its first `textLimit`
    /// characters suffice), read once for this and the story features.
    public init(words: [StoryWord]) {
        let words = words.prefix(Self.wordLimit).map(\.folded)
        var hashes = Set<UInt64>()
        if words.count >= Self.shingleLength {
            for start in 0...(words.count - Self.shingleLength) {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for word in words[start..<(start + Self.shingleLength)] {
                    for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                    hash = (hash ^ 0x20) &* 0x100_0000_01b3
                }
                hashes.insert(hash)
            }
        }
        // The hash functions are `a * h + b` with odd `a` over well-mixed shingle hashes: one multiply-add
        // each, where a full mix per function and shingle cost more than reading the text.
        var values = [UInt64](repeating: .max, count: Self.hashes)
        for shingle in hashes {
            let hash = Self.mix(shingle)
            for index in 0..<Self.hashes {
                let value = Self.multipliers[index] &* hash &+ Self.seeds[index]
                if value < values[index] { values[index] = value }
            }
        }
        self.init(values: values, shingles: hashes.count)
    }

    /// Whether the text is long enough to be compared.
    public var isComparable: Bool { shingles >= Self.minimumShingles }

    /// One key per band: texts sharing a key are candidates.
    public var bandKeys: [Int64] {
        stride(from: 0, to: Self.bands * Self.rows, by: Self.rows).map { start in
            var hash = UInt64(start)
            for value in values[start..<(start + Self.rows)] { hash = Self.mix(hash ^ value) }
            return Int64(bitPattern: hash)
        }
    }

    /// The estimated Jaccard resemblance of the two shingle sets.
    public func resemblance(_ other: ShingleSignature) -> Double {
        let equal = zip(values, other.values).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(equal) / Double(Self.hashes)
    }

    /// The estimated share of the smaller text's shingles found in the other's.
    public func containment(_ other: ShingleSignature) -> Double {
        let resemblance = resemblance(other)
        let smaller = min(shingles, other.shingles)
        guard smaller > 0 else { return 0 }
        let shared = resemblance * Double(shingles + other.shingles) / (1 + resemblance)
        return min(1, shared / Double(smaller))
    }

    /// Whether one text is a copy of the other: most of the shorter one is in the longer, and the longer
    /// is not mostly something else (a short brief quoted whole inside a long roundup is not a copy).
    public func isNearDuplicate(of other: ShingleSignature) -> Bool {
        isComparable && other.isComparable && containment(other) >= 0.7 && resemblance(other) >= 0.3
    }

    /// Stored as 8 bytes a value, little-endian.
    public var bytes: [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    }

    public init?(bytes: [UInt8], shingles: Int) {
        guard bytes.count == Self.hashes * 8 else { return nil }
        values = (0..<Self.hashes).map { index in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[index * 8 + $1]) << (8 * $1) }
        }
        self.shingles = shingles
    }

    /// splitmix64's finaliser: a well-spread 64-bit hash of a 64-bit value.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static let seeds: [UInt64] = (0..<hashes).map { mix(UInt64($0) &* 0x5851_f42d_4c95_7f2d) }
    private static let multipliers: [UInt64] = (0..<hashes).map { mix(UInt64($0) &+ 0x2545_f491_4f6c_dd1d) | 1 }
}

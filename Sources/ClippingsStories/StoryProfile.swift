import Foundation

/// What a story is known by: the sum of its articles' weighed vectors (a centroid that is never divided:
/// cosine does not care), the figures, links and tags they share, and the span of their dates.
///
/// Kept in the database beside the story and read back for every article that might join it, so it is
/// bounded (`termLimit` and kin keep the heaviest entries) and written as compact bytes.
public struct StoryProfile: Sendable, Equatable {
    public var articles = 0
    public var terms: [String: Double] = [:]
    public var names: [String: Double] = [:]
    public var figures: [String: Int] = [:]
    public var links: [String: Int] = [:]
    public var tags: [String: Int] = [:]
    public var first: Date?
    public var last: Date?

    static let termLimit = 100
    static let nameLimit = 50
    static let setLimit = 50

    public init() {}

    /// The profile of a story of one article.
    public init(_ article: StoryVectors) {
        articles = 1
        terms = article.terms
        names = article.names
        figures = Dictionary(uniqueKeysWithValues: article.figures.map { ($0, 1) })
        links = Dictionary(uniqueKeysWithValues: article.links.map { ($0, 1) })
        tags = Dictionary(uniqueKeysWithValues: article.tags.map { ($0, 1) })
        first = article.published
        last = article.published
        absorb(StoryProfile())  // Keeps the heaviest entries, as every profile does.
    }

    /// An article joins: the profile of one article, absorbed.
    public mutating func add(_ article: StoryVectors) {
        absorb(StoryProfile(article))
    }

    /// Two stories found to be one (or an article joining, as a story of one), kept within the limits and
    /// with the weights as `bytes` store them: the profile in hand is the profile read back.
    public mutating func absorb(_ other: StoryProfile) {
        articles += other.articles
        terms = Self.heaviest(terms.merging(other.terms, uniquingKeysWith: +), Self.termLimit).mapValues(Self.stored)
        names = Self.heaviest(names.merging(other.names, uniquingKeysWith: +), Self.nameLimit).mapValues(Self.stored)
        figures = Self.limited(figures.merging(other.figures, uniquingKeysWith: +))
        links = Self.limited(links.merging(other.links, uniquingKeysWith: +))
        tags = Self.limited(tags.merging(other.tags, uniquingKeysWith: +))
        for date in [other.first, other.last].compactMap({ $0 }) {
            first = min(first ?? date, date)
            last = max(last ?? date, date)
        }
    }

    /// A weight as stored: a Float32.
    static func stored(_ weight: Double) -> Double { Double(Float(weight)) }

    private static func heaviest(_ vector: [String: Double], _ limit: Int) -> [String: Double] {
        guard vector.count > limit else { return vector }
        return Dictionary(
            uniqueKeysWithValues: vector.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map {
                ($0, $1)
            }
        )
    }

    private static func limited(_ counts: [String: Int]) -> [String: Int] {
        guard counts.count > setLimit else { return counts }
        return Dictionary(
            uniqueKeysWithValues: counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(setLimit).map {
                ($0, $1)
            }
        )
    }
}

extension StoryProfile {
    /// The profile as stored: compact bytes, read back for every candidate story of every article written,
    /// so reading them must cost little. Little-endian: the article count (UInt32), the first and last
    /// dates (Float64 seconds since 1970, NaN when none), then five sections (terms, names, figures, links,
    /// tags), each a UInt16 count of entries, each entry a UInt16 key length, the key's UTF-8 bytes and its
    /// value (Float32 weights for terms and names, UInt32 counts for the rest).
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(16 + (terms.count + names.count) * 14 + (figures.count + links.count + tags.count) * 16)
        func append<Integer: FixedWidthInteger>(_ value: Integer) {
            withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
        }
        append(UInt32(clamping: articles))
        append((first?.timeIntervalSince1970 ?? .nan).bitPattern)
        append((last?.timeIntervalSince1970 ?? .nan).bitPattern)
        func key(_ key: String) {
            let utf8 = Array(key.utf8.prefix(Int(UInt16.max)))
            append(UInt16(utf8.count))
            output.append(contentsOf: utf8)
        }
        for vector in [terms, names] {
            append(UInt16(min(vector.count, Int(UInt16.max))))
            for (word, weight) in vector.sorted(by: { $0.key < $1.key }).prefix(Int(UInt16.max)) {
                key(word)
                append(Float(weight).bitPattern)
            }
        }
        for counts in [figures, links, tags] {
            append(UInt16(min(counts.count, Int(UInt16.max))))
            for (value, count) in counts.sorted(by: { $0.key < $1.key }).prefix(Int(UInt16.max)) {
                key(value)
                append(UInt32(clamping: count))
            }
        }
        return output
    }

    /// The profile `bytes` wrote; empty when they are cut short or not a profile.
    public init(bytes: [UInt8]) {
        self.init()
        var reader = ByteReader(bytes: bytes)
        guard let count = reader.integer(UInt32.self), let first = reader.integer(UInt64.self),
            let last = reader.integer(UInt64.self)
        else { return }
        var profile = StoryProfile()
        profile.articles = Int(count)
        let (firstSeconds, lastSeconds) = (Double(bitPattern: first), Double(bitPattern: last))
        profile.first = firstSeconds.isNaN ? nil : Date(timeIntervalSince1970: firstSeconds)
        profile.last = lastSeconds.isNaN ? nil : Date(timeIntervalSince1970: lastSeconds)
        for section in 0..<5 {
            guard let entries = reader.integer(UInt16.self) else { return }
            for _ in 0..<entries {
                guard let key = reader.key() else { return }
                if section < 2 {
                    guard let bits = reader.integer(UInt32.self) else { return }
                    let weight = Double(Float(bitPattern: bits))
                    if section == 0 { profile.terms[key] = weight } else { profile.names[key] = weight }
                } else {
                    guard let value = reader.integer(UInt32.self) else { return }
                    switch section {
                    case 2: profile.figures[key] = Int(value)
                    case 3: profile.links[key] = Int(value)
                    default: profile.tags[key] = Int(value)
                    }
                }
            }
        }
        self = profile
    }
}

/// Reads little-endian integers and length-prefixed strings off a byte array, nil past its end.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func integer<Integer: FixedWidthInteger>(_: Integer.Type) -> Integer? {
        let size = MemoryLayout<Integer>.size
        guard offset + size <= bytes.count else { return nil }
        var value: Integer = 0
        for index in 0..<size { value |= Integer(bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    mutating func key() -> String? {
        guard let length = integer(UInt16.self), offset + Int(length) <= bytes.count else { return nil }
        defer { offset += Int(length) }
        return String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self)
    }
}

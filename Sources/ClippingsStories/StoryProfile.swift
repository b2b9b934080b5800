import Foundation

/// What a story is known by: the sum of its articles' weighed vectors (a centroid that is never divided:
/// cosine does not care), the figures, links and tags they share, and the span of their dates.
///
/// Kept in the database beside the story and read back for every article that might join it, so it is
/// bounded (`termLimit` and kin keep the heaviest entries) and written as compact text.
public struct StoryProfile: Sendable, Equatable {
    public var articles = 0
    public var terms: [String: Double] = [:]
    public var names: [String: Double] = [:]
    public var figures: [String: Int] = [:]
    public var links: [String: Int] = [:]
    public var tags: [String: Int] = [:]
    public var first: Date?
    public var last: Date?

    static let termLimit = 200
    static let nameLimit = 100
    static let setLimit = 100

    public init() {}

    /// The profile of a story of one article.
    public init(_ article: StoryVectors) {
        add(article)
    }

    public mutating func add(_ article: StoryVectors) {
        articles += 1
        terms = Self.heaviest(terms.merging(article.terms, uniquingKeysWith: +), Self.termLimit)
        names = Self.heaviest(names.merging(article.names, uniquingKeysWith: +), Self.nameLimit)
        figures = Self.commonest(figures, adding: article.figures)
        links = Self.commonest(links, adding: article.links)
        tags = Self.commonest(tags, adding: article.tags)
        if let date = article.published {
            first = min(first ?? date, date)
            last = max(last ?? date, date)
        }
    }

    /// Two stories found to be one.
    public mutating func absorb(_ other: StoryProfile) {
        articles += other.articles
        terms = Self.heaviest(terms.merging(other.terms, uniquingKeysWith: +), Self.termLimit)
        names = Self.heaviest(names.merging(other.names, uniquingKeysWith: +), Self.nameLimit)
        figures = Self.limited(figures.merging(other.figures, uniquingKeysWith: +))
        links = Self.limited(links.merging(other.links, uniquingKeysWith: +))
        tags = Self.limited(tags.merging(other.tags, uniquingKeysWith: +))
        for date in [other.first, other.last].compactMap({ $0 }) {
            first = min(first ?? date, date)
            last = max(last ?? date, date)
        }
    }

    private static func heaviest(_ vector: [String: Double], _ limit: Int) -> [String: Double] {
        guard vector.count > limit else { return vector }
        return Dictionary(
            uniqueKeysWithValues: vector.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map {
                ($0, $1)
            }
        )
    }

    private static func commonest(_ counts: [String: Int], adding values: Set<String>) -> [String: Int] {
        var counts = counts
        for value in values { counts[value, default: 0] += 1 }
        return limited(counts)
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
    /// One entry a line, `kind TAB key TAB value`; keys never hold a tab or a line break (words, figures,
    /// links and slugs have none).
    public var encoded: String {
        var lines = ["n\t\t\(articles)"]
        if let first, let last {
            lines.append("d\t\(first.timeIntervalSince1970)\t\(last.timeIntervalSince1970)")
        }
        for (kind, vector) in [("t", terms), ("p", names)] {
            for (key, value) in vector.sorted(by: { $0.key < $1.key }) { lines.append("\(kind)\t\(key)\t\(value)") }
        }
        for (kind, counts) in [("f", figures), ("l", links), ("g", tags)] {
            for (key, value) in counts.sorted(by: { $0.key < $1.key }) { lines.append("\(kind)\t\(key)\t\(value)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The profile `encoded` wrote; an entry it cannot read is skipped.
    public init(encoded: String) {
        for line in encoded.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let key = String(parts[1])
            switch parts[0] {
            case "n": articles = Int(parts[2]) ?? 0
            case "d":
                first = Double(parts[1]).map(Date.init(timeIntervalSince1970:))
                last = Double(parts[2]).map(Date.init(timeIntervalSince1970:))
            case "t": terms[key] = Double(parts[2])
            case "p": names[key] = Double(parts[2])
            case "f": figures[key] = Int(parts[2])
            case "l": links[key] = Int(parts[2])
            case "g": tags[key] = Int(parts[2])
            default: continue
            }
        }
    }
}

import Foundation

/// How well an article fits a story, and whether that is enough to join it.
///
/// A weighed sum of similarities, after Miranda et al. (2018), "Multilingual Clustering of Streaming
/// News": cosine of the tf-idf terms, cosine of the names, and the share of figures, links and tags, each
/// counted only when both sides have some (an article without links is not held against a story with
/// them), then multiplied by how close the article's date is to the story's span: a Gaussian of the days
/// outside it, above a floor. Names carry across languages (an English and a Norwegian report of one event share their
/// people, places and figures, not their words), and names are what tell two events of one kind apart
/// (two rehab stays, two earthquakes): the vocabulary alone does not.
public struct StoryMatcher: Sendable {
    public var termWeight = 0.3
    public var nameWeight = 1.0
    public var figureWeight = 0.5
    public var linkWeight = 0.1
    public var tagWeight = 0.05
    /// The Gaussian's width, in days.
    public var days = 7.0
    /// What is left of a similarity far outside the story's span: an event's coverage can return months
    /// later (a trial, an anniversary), and then only its content can say so.
    public var timeFloor = 0.4
    /// The least score that joins an article to a story: chosen on the labelled English and Norwegian set
    /// (`scripts/stories`), not on ECB+ (BENCHMARKS.md has both).
    public var threshold = 0.25
    /// The least score of a second story that shows the two are one: they merge.
    public var mergeThreshold = 0.5

    public init() {}

    public func score(_ article: StoryVectors, _ story: StoryProfile) -> Double {
        var total = 0.0
        var weights = 0.0
        func add(_ weight: Double, _ similarity: Double?) {
            guard let similarity else { return }
            total += weight * similarity
            weights += weight
        }
        add(termWeight, Self.cosine(article.terms, story.terms))
        add(nameWeight, Self.cosine(article.names, story.names))
        add(figureWeight, Self.overlap(article.figures, story.figures))
        add(linkWeight, Self.overlap(article.links, story.links))
        add(tagWeight, Self.overlap(article.tags, story.tags))
        guard weights > 0 else { return 0 }
        return total / weights * timeFactor(article.published, story)
    }

    /// 1 inside the story's span, falling as a Gaussian of the days outside it to `timeFloor`; 1 when
    /// either is undated.
    public func timeFactor(_ date: Date?, _ story: StoryProfile) -> Double {
        guard let date, let first = story.first, let last = story.last else { return 1 }
        let outside = max(0, first.timeIntervalSince(date), date.timeIntervalSince(last)) / 86_400
        return timeFloor + (1 - timeFloor) * exp(-(outside * outside) / (2 * days * days))
    }

    /// Cosine of a unit vector with an unnormalised one; nil when either is empty.
    public static func cosine(_ unit: [String: Double], _ sum: [String: Double]) -> Double? {
        guard !unit.isEmpty, !sum.isEmpty else { return nil }
        var dot = 0.0
        for (key, value) in unit { dot += value * (sum[key] ?? 0) }
        guard dot > 0 else { return 0 }
        let length = sum.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return dot / length
    }

    /// The share of the article's values the story has (each counted once), as a cosine of two sets:
    /// shared over the geometric mean of the sizes. Nil when either is empty.
    public static func overlap(_ values: Set<String>, _ counts: [String: Int]) -> Double? {
        guard !values.isEmpty, !counts.isEmpty else { return nil }
        let shared = values.reduce(0) { $0 + (counts[$1] != nil ? 1 : 0) }
        return Double(shared) / (Double(values.count) * Double(counts.count)).squareRoot()
    }
}

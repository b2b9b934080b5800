import ClippingsExtraction
import Foundation

/// Edits to an article's metadata. `nil` leaves a field as it is; for optional fields, `.some(nil)` clears it.
public struct ArticleChanges: Sendable, Equatable {
    public var title: String?
    public var author: String??
    /// The writers, replacing the byline too (their names joined by ", "); an empty list clears both.
    public var authors: [String]?
    public var publishedAt: Date??
    public var language: String?
    public var source: Publisher??
    public var tags: [Tag]?
    public var categories: [String]?

    public init() {}
}

extension ArticleChanges {
    /// The edits with every text in Unicode NFC, as imported articles are stored.
    public var normalized: ArticleChanges {
        let nfc = TextNormalizer.nfc
        var copy = self
        copy.title = title.map(nfc)
        copy.author = author.map { $0.map(nfc) }
        copy.authors = authors.map { $0.map(nfc) }
        copy.source = source.map { $0.map { Publisher(name: nfc($0.name), domain: $0.domain) } }
        copy.tags = tags.map { $0.map { Tag(slug: $0.slug, name: nfc($0.name)) } }
        copy.categories = categories.map { $0.map(nfc) }
        return copy
    }
}

import Foundation

/// A clean article extracted from one raw document: what the archive stores and the API serves.
///
/// Every optional field is `nil` when the document does not reveal it; the extractor never guesses.
public struct ExtractedArticle: Sendable, Equatable, Codable {
    /// The headline, from the document or derived from its first sentence when it has none.
    public var title: String
    /// The byline, as a display name: the names of `authors` joined by ", ".
    public var author: String?
    /// Each writer's name, in byline order; empty when the document names none.
    public var authors: [String]
    /// When the article was published, in UTC (day precision when the document only gives a day).
    public var publishedAt: Date?
    /// The publisher, recognised from the markup, the URL or the text.
    public var source: Publisher?
    /// The canonical URL of the article, when the document reveals it.
    public var url: String?
    /// ISO 639-1 code of the body's language, or `und` when unsure.
    public var language: String
    /// Category display names, in document order.
    public var categories: [String]
    /// Tags in document order, unique by slug.
    public var tags: [Tag]
    /// The body as clean plain-text paragraphs.
    public var paragraphs: [String]
    /// Links found in the body.
    public var links: [Link]
    /// Images found in the body.
    public var images: [Image]
    /// The publisher's own identifier of the article (e.g. a WordPress post id).
    public var externalID: String?
    /// Which reader understood the document.
    public var format: DocumentFormat
    /// What extraction cut to fit `ArticleLimits` ("kept the first 100 of 10001 tags"); not stored.
    public var cuts: [String] = []

    public init(
        title: String,
        author: String? = nil,
        authors: [String]? = nil,
        publishedAt: Date? = nil,
        source: Publisher? = nil,
        url: String? = nil,
        language: String = LanguageIdentifier.undetermined,
        categories: [String] = [],
        tags: [Tag] = [],
        paragraphs: [String] = [],
        links: [Link] = [],
        images: [Image] = [],
        externalID: String? = nil,
        format: DocumentFormat
    ) {
        self.title = title
        self.author = author
        self.authors = authors ?? author.map { [$0] } ?? []
        self.publishedAt = publishedAt
        self.source = source
        self.url = url
        self.language = language
        self.categories = categories
        self.tags = tags
        self.paragraphs = paragraphs
        self.links = links
        self.images = images
        self.externalID = externalID
        self.format = format
    }

    private enum CodingKeys: String, CodingKey {
        case title, author, authors, publishedAt, source, url, language, categories, tags, paragraphs, links, images
        case externalID, format
    }

    /// Decodes articles encoded before `authors` existed: their byline is their one author.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try container.decode(String.self, forKey: .title),
            author: try container.decodeIfPresent(String.self, forKey: .author),
            authors: try container.decodeIfPresent([String].self, forKey: .authors),
            publishedAt: try container.decodeIfPresent(Date.self, forKey: .publishedAt),
            source: try container.decodeIfPresent(Publisher.self, forKey: .source),
            url: try container.decodeIfPresent(String.self, forKey: .url),
            language: try container.decode(String.self, forKey: .language),
            categories: try container.decode([String].self, forKey: .categories),
            tags: try container.decode([Tag].self, forKey: .tags),
            paragraphs: try container.decode([String].self, forKey: .paragraphs),
            links: try container.decode([Link].self, forKey: .links),
            images: try container.decode([Image].self, forKey: .images),
            externalID: try container.decodeIfPresent(String.self, forKey: .externalID),
            format: try container.decode(DocumentFormat.self, forKey: .format)
        )
    }

    /// The article with every text field in Unicode NFC (`TextNormalizer.nfc`): the form the archive stores
    /// and computes identities from, whichever form a document or client used.
    public var normalized: ExtractedArticle {
        var copy = self
        let nfc = TextNormalizer.nfc
        copy.title = nfc(title)
        copy.author = author.map(nfc)
        copy.authors = authors.map(nfc)
        copy.source = source.map { Publisher(name: nfc($0.name), domain: $0.domain) }
        copy.categories = categories.map(nfc)
        copy.tags = tags.map { Tag(slug: $0.slug, name: nfc($0.name)) }
        copy.paragraphs = paragraphs.map(nfc)
        copy.links = links.map { Link(url: $0.url, text: nfc($0.text)) }
        copy.images = images.map { Image(url: $0.url, alt: $0.alt.map(nfc)) }
        return copy
    }

    /// The body as one string: paragraphs separated by a blank line.
    public var body: String { paragraphs.joined(separator: "\n\n") }

    /// Number of words in the body.
    public var wordCount: Int { paragraphs.reduce(0) { $0 + TextNormalizer.wordCount(in: $1) } }
}

/// A publisher: a display name and, where known, its web domain.
public struct Publisher: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var domain: String?

    public init(name: String, domain: String? = nil) {
        self.name = name
        self.domain = domain
    }

    /// URL-safe identifier used by the archive.
    public var slug: String { Slugifier.slug(name) }

    /// Encodes an unknown domain as `null` rather than leaving the key out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(domain, forKey: .domain)
    }
}

/// A tag: the slug the publisher uses and the name it shows.
public struct Tag: Sendable, Equatable, Hashable, Codable {
    public var slug: String
    public var name: String

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

/// An outbound link from the body.
public struct Link: Sendable, Equatable, Hashable, Codable {
    public var url: String
    public var text: String

    public init(url: String, text: String) {
        self.url = url
        self.text = text
    }
}

/// An image in the body.
public struct Image: Sendable, Equatable, Hashable, Codable {
    public var url: String
    public var alt: String?

    public init(url: String, alt: String?) {
        self.url = url
        self.alt = alt
    }

    /// Encodes a missing or empty alt text as `null` rather than leaving the key out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(url, forKey: .url)
        try container.encode(alt, forKey: .alt)
    }
}

/// The kinds of document the extractor understands.
public enum DocumentFormat: String, Sendable, Codable {
    case html
    case plainText = "text"
}

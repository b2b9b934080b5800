import ClippingsExtraction
import Foundation

/// A tag as clients see it.
public struct TagRef: Sendable, Equatable, Codable {
    public var slug: String
    public var name: String

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

/// A source (publisher) as clients see it inside an article.
public struct SourceRef: Sendable, Equatable, Codable {
    public var slug: String
    public var name: String
    public var domain: String?

    public init(slug: String, name: String, domain: String?) {
        self.slug = slug
        self.name = name
        self.domain = domain
    }

    /// An unknown domain is sent as `null`, never left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(domain, forKey: .domain)
    }
}

/// The fields every article listing shows.
public struct ArticleSummary: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var title: String
    /// The byline: the writers' names joined by ", ".
    public var author: String?
    /// Each writer's name, in byline order.
    public var authors: [String]
    /// The writers to credit: `authors`, or the byline alone for an article stored before writers were kept.
    public var writers: [String] { authors.isEmpty ? author.map { [$0] } ?? [] : authors }
    public var publishedAt: Date?
    public var language: String
    public var source: SourceRef?
    public var url: String?
    public var tags: [TagRef]
    public var wordCount: Int
    public var summary: String
    /// How the article matched a search, when the listing was one.
    public var hit: SearchHit?
    /// The story the article belongs to (nil only while an archive from before stories is rebuilt).
    public var storyID: Int64?
    /// The first article seen of which this one is a syndicated or near-duplicate copy.
    public var nearDuplicateOf: Int64?

    public init(
        id: Int64,
        slug: String,
        title: String,
        author: String?,
        authors: [String],
        publishedAt: Date?,
        language: String,
        source: SourceRef?,
        url: String?,
        tags: [TagRef],
        wordCount: Int,
        summary: String,
        hit: SearchHit? = nil,
        storyID: Int64? = nil,
        nearDuplicateOf: Int64? = nil
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.author = author
        self.authors = authors
        self.publishedAt = publishedAt
        self.language = language
        self.source = source
        self.url = url
        self.tags = tags
        self.wordCount = wordCount
        self.summary = summary
        self.hit = hit
        self.storyID = storyID
        self.nearDuplicateOf = nearDuplicateOf
    }
}

/// Why an article matched a search.
public struct SearchHit: Sendable, Equatable {
    /// Relevance: BM25 over title and body, the title weighted ten times; higher is better.
    public var score: Double
    /// An excerpt around the matches, HTML-escaped, with matched words in `<mark>…</mark>`; none for
    /// related articles, which match a whole article rather than words.
    public var snippet: String?

    public init(score: Double, snippet: String?) {
        self.score = score
        self.snippet = snippet
    }
}

/// A whole stored article.
public struct ArticleDetail: Sendable, Equatable {
    /// An outbound link, as extraction found it.
    public typealias Link = ClippingsExtraction.Link
    /// An image, as extraction found it.
    public typealias Image = ClippingsExtraction.Image

    public var summary: ArticleSummary
    public var paragraphs: [String]
    public var categories: [String]
    public var links: [Link]
    public var images: [Image]
    public var externalID: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        summary: ArticleSummary,
        paragraphs: [String],
        categories: [String],
        links: [Link],
        images: [Image],
        externalID: String?,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.summary = summary
        self.paragraphs = paragraphs
        self.categories = categories
        self.links = links
        self.images = images
        self.externalID = externalID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Paragraphs joined by a blank line.
    public var body: String { paragraphs.joined(separator: "\n\n") }
}

/// A tag with how many articles carry it.
public struct TagInfo: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var articleCount: Int

    public init(slug: String, name: String, articleCount: Int) {
        self.slug = slug
        self.name = name
        self.articleCount = articleCount
    }
}

/// A source with its article count and the span of its publication dates.
public struct SourceInfo: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var domain: String?
    public var articleCount: Int
    public var firstPublishedAt: Date?
    public var lastPublishedAt: Date?

    public init(
        slug: String,
        name: String,
        domain: String?,
        articleCount: Int,
        firstPublishedAt: Date?,
        lastPublishedAt: Date?
    ) {
        self.slug = slug
        self.name = name
        self.domain = domain
        self.articleCount = articleCount
        self.firstPublishedAt = firstPublishedAt
        self.lastPublishedAt = lastPublishedAt
    }
}

/// One page of a list: its items, the total over all pages, and the cursor of the next page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var nextCursor: String?

    public init(items: [Item], total: Int, nextCursor: String?) {
        self.items = items
        self.total = total
        self.nextCursor = nextCursor
    }
}

/// What importing a document did.
public enum ImportOutcome: Sendable, Equatable {
    /// A new article was stored with this id.
    case created(Int64)
    /// The archive already held this article (same canonical URL or same content), with this id.
    case duplicate(Int64)

    public var articleID: Int64 {
        switch self {
        case .created(let id), .duplicate(let id): id
        }
    }
}

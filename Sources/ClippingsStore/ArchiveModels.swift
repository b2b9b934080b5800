import Foundation

/// A tag as clients see it.
public struct TagRef: Sendable, Equatable, Codable {
    public var slug: String
    public var name: String
}

/// A source (publisher) as clients see it inside an article.
public struct SourceRef: Sendable, Equatable, Codable {
    public var slug: String
    public var name: String
    public var domain: String?

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
    public var publishedAt: Date?
    public var language: String
    public var source: SourceRef?
    public var url: String?
    public var tags: [TagRef]
    public var wordCount: Int
    public var summary: String
    /// How the article matched a search, when the listing was one.
    public var hit: SearchHit?
}

/// Why an article matched a search.
public struct SearchHit: Sendable, Equatable {
    /// Relevance: BM25 over title and body, the title weighted ten times; higher is better.
    public var score: Double
    /// An excerpt around the matches, HTML-escaped, with matched words in `<mark>…</mark>`; none for
    /// related articles, which match a whole article rather than words.
    public var snippet: String?
}

/// A whole stored article.
public struct ArticleDetail: Sendable, Equatable {
    public struct Link: Sendable, Equatable, Codable {
        public var url: String
        public var text: String
    }
    public struct Image: Sendable, Equatable, Codable {
        public var url: String
        public var alt: String?

        /// A missing alternative text is sent as `null`, never left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(url, forKey: .url)
            try container.encode(alt, forKey: .alt)
        }
    }

    public var summary: ArticleSummary
    public var paragraphs: [String]
    public var categories: [String]
    public var links: [Link]
    public var images: [Image]
    public var externalID: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// Paragraphs joined by a blank line.
    public var body: String { paragraphs.joined(separator: "\n\n") }
}

/// A tag with how many articles carry it.
public struct TagInfo: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var articleCount: Int
}

/// A source with its article count and the span of its publication dates.
public struct SourceInfo: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var domain: String?
    public var articleCount: Int
    public var firstPublishedAt: Date?
    public var lastPublishedAt: Date?
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

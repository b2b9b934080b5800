import ClippingsStore
import Foundation
import Hummingbird

// The JSON the API returns. Field names are snake_case and spelled out here, as the contract in
// openapi.yaml; unknown values are encoded as `null`, never left out, so clients see every field.

/// `{"items": [...], "total": N, "next_cursor": "…" | null}`: the envelope of every list.
struct ListResponse<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var total: Int
    var nextCursor: String?
    /// Counts over the whole result set, when asked for with `facets=`.
    var facets: [String: [FacetCount]]?

    init<Source: Sendable>(_ page: Page<Source>, transform: (Source) -> Item) {
        items = page.items.map(transform)
        total = page.total
        nextCursor = page.nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items, total, facets
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(total, forKey: .total)
        try container.encode(nextCursor, forKey: .nextCursor)
        if let facets { try container.encode(facets, forKey: .facets) }
    }
}

/// One value of a facet and how many matching articles have it.
struct FacetCount: Encodable, Sendable {
    var value: String
    var count: Int
}

/// An article in a list.
struct ArticleSummaryResponse: Encodable, Sendable {
    let article: ArticleSummary

    enum CodingKeys: String, CodingKey {
        case id, slug, title, author, authors, language, source, url, tags, summary, score, snippet
        case publishedAt = "published_at"
        case wordCount = "word_count"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.selectiveContainer(keyedBy: CodingKeys.self)
        try container.encode(article.id, forKey: .id)
        try container.encode(article.slug, forKey: .slug)
        try container.encode(article.title, forKey: .title)
        try container.encode(article.author, forKey: .author)
        try container.encode(article.authors, forKey: .authors)
        try container.encode(article.publishedAt, forKey: .publishedAt)
        try container.encode(article.language, forKey: .language)
        try container.encode(article.source.map(SourceRefResponse.init), forKey: .source)
        try container.encode(article.url, forKey: .url)
        try container.encode(article.tags, forKey: .tags)
        try container.encode(article.wordCount, forKey: .wordCount)
        try container.encode(article.summary, forKey: .summary)
        // Search results say why they matched; plain listings have no such fields.
        if let hit = article.hit {
            try container.encode(hit.score, forKey: .score)
            if let snippet = hit.snippet { try container.encode(snippet, forKey: .snippet) }
        }
    }
}

/// A whole article: the summary's fields and the content.
struct ArticleResponse: ResponseEncodable, Sendable {
    let article: ArticleDetail

    enum CodingKeys: String, CodingKey {
        case body, paragraphs, categories, links, images
        case externalID = "external_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        try ArticleSummaryResponse(article: article.summary).encode(to: encoder)
        var container = encoder.selectiveContainer(keyedBy: CodingKeys.self)
        try container.encode(article.body, forKey: .body)
        try container.encode(article.paragraphs, forKey: .paragraphs)
        try container.encode(article.categories, forKey: .categories)
        try container.encode(article.links, forKey: .links)
        try container.encode(article.images.map(ImageResponse.init), forKey: .images)
        try container.encode(article.externalID, forKey: .externalID)
        try container.encode(article.createdAt, forKey: .createdAt)
        try container.encode(article.updatedAt, forKey: .updatedAt)
    }
}

struct ImageResponse: Encodable, Sendable {
    let image: ArticleDetail.Image

    enum CodingKeys: String, CodingKey { case url, alt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(image.url, forKey: .url)
        try container.encode(image.alt, forKey: .alt)
    }
}

struct SourceRefResponse: Encodable, Sendable {
    let source: SourceRef

    enum CodingKeys: String, CodingKey { case slug, name, domain }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source.slug, forKey: .slug)
        try container.encode(source.name, forKey: .name)
        try container.encode(source.domain, forKey: .domain)
    }
}

/// A tag with its article count.
struct TagResponse: ResponseEncodable, Sendable {
    /// A tag found with this one, and on how many articles.
    struct RelatedTag: Encodable, Sendable {
        var slug: String
        var name: String
        var count: Int
    }

    let tag: TagInfo
    /// Only on `/tags/{slug}`: the tags that co-occur with it most.
    var relatedTags: [RelatedTag]?

    init(tag: TagInfo, relatedTags: [RelatedTag]? = nil) {
        self.tag = tag
        self.relatedTags = relatedTags
    }

    enum CodingKeys: String, CodingKey {
        case slug, name
        case articleCount = "article_count"
        case relatedTags = "related_tags"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.selectiveContainer(keyedBy: CodingKeys.self)
        try container.encode(tag.slug, forKey: .slug)
        try container.encode(tag.name, forKey: .name)
        try container.encode(tag.articleCount, forKey: .articleCount)
        if let relatedTags { try container.encode(relatedTags, forKey: .relatedTags) }
    }
}

/// A source with its article count and date span.
struct SourceResponse: ResponseEncodable, Sendable {
    let source: SourceInfo

    enum CodingKeys: String, CodingKey {
        case slug, name, domain
        case articleCount = "article_count"
        case firstPublishedAt = "first_published_at"
        case lastPublishedAt = "last_published_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.selectiveContainer(keyedBy: CodingKeys.self)
        try container.encode(source.slug, forKey: .slug)
        try container.encode(source.name, forKey: .name)
        try container.encode(source.domain, forKey: .domain)
        try container.encode(source.articleCount, forKey: .articleCount)
        try container.encode(source.firstPublishedAt, forKey: .firstPublishedAt)
        try container.encode(source.lastPublishedAt, forKey: .lastPublishedAt)
    }
}

/// `GET /health`.
/// `/health`: the process is up; it asks nothing of the database.
struct HealthResponse: ResponseEncodable, Sendable {
    var status = "ok"
    var version: String
}

/// `/ready`: the database answers and is fully migrated.
struct ReadyResponse: ResponseEncodable, Sendable {
    var status = "ready"
    var articles: Int
    var version: String
}

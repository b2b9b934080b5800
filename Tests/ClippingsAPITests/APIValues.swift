import Foundation
import Hummingbird
import HummingbirdTesting

/// The API's answers as typed values, decoded as a client would decode them (snake_case names), so a test
/// reads `page.items[0].title` and a field of the wrong type fails the decoding instead of reading as nil.
/// Tests of a response's shape itself (which keys, sparse fieldsets) read the raw JSON object instead.
enum API {
    struct Page<Item: Decodable & Sendable>: Decodable, Sendable {
        let items: [Item]
        let total: Int?
        let nextCursor: String?
        let facets: [String: [FacetCount]]?
    }

    struct FacetCount: Decodable, Equatable, Sendable {
        let value: String
        let count: Int
    }

    struct SourceRef: Decodable, Equatable, Sendable {
        let slug: String
        let name: String
        let domain: String?
    }

    struct TagRef: Decodable, Equatable, Sendable {
        let slug: String
        let name: String
    }

    /// An item of an article listing; `score` and `snippet` only in searches.
    struct ArticleSummary: Decodable, Sendable {
        let id: Int
        let slug: String
        let title: String
        let author: String?
        let authors: [String]
        let publishedAt: String?
        let language: String
        let source: SourceRef?
        let url: String?
        let tags: [TagRef]
        let wordCount: Int
        let summary: String?
        let storyId: Int?
        let nearDuplicateOf: Int?
        let score: Double?
        let snippet: String?
    }

    struct Image: Decodable, Equatable, Sendable {
        let url: String
        let alt: String?
    }

    struct Link: Decodable, Equatable, Sendable {
        let url: String
        let text: String?
    }

    /// A whole article (`GET /articles/{id}`): a summary's fields (read through it, `article.title`) and
    /// the rest.
    @dynamicMemberLookup
    struct Article: Decodable, Sendable {
        let summary: ArticleSummary
        let categories: [String]
        let externalId: String?
        let paragraphs: [String]
        let body: String
        let images: [Image]
        let links: [Link]
        let createdAt: String
        let updatedAt: String

        private enum CodingKeys: String, CodingKey {
            case categories, externalId, paragraphs, body, images, links, createdAt, updatedAt
        }

        init(from decoder: any Decoder) throws {
            summary = try ArticleSummary(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            categories = try container.decode([String].self, forKey: .categories)
            externalId = try container.decodeIfPresent(String.self, forKey: .externalId)
            paragraphs = try container.decode([String].self, forKey: .paragraphs)
            body = try container.decode(String.self, forKey: .body)
            images = try container.decode([Image].self, forKey: .images)
            links = try container.decode([Link].self, forKey: .links)
            createdAt = try container.decode(String.self, forKey: .createdAt)
            updatedAt = try container.decode(String.self, forKey: .updatedAt)
        }

        subscript<Value>(dynamicMember field: KeyPath<ArticleSummary, Value>) -> Value { summary[keyPath: field] }
    }

    struct Tag: Decodable, Sendable {
        struct Related: Decodable, Sendable {
            let slug: String
            let count: Int
        }
        let slug: String
        let name: String
        let articleCount: Int
        /// Only on a tag's own page.
        let relatedTags: [Related]?
    }

    /// A page of the change feed (`GET /changes`).
    struct Changes: Decodable, Sendable {
        struct Change: Decodable, Sendable {
            let seq: Int
            let id: Int
            let type: String
        }
        let items: [Change]
        let latest: Int?
        let nextSince: Int?
    }

    struct Source: Decodable, Sendable {
        let slug: String
        let name: String
        let domain: String?
        let articleCount: Int
        let firstPublishedAt: String?
        let lastPublishedAt: String?
    }

    /// An RFC 9457 problem, with the parameters a 400 names.
    struct Problem: Decodable, Sendable {
        struct InvalidParameter: Decodable, Sendable {
            let name: String
            let reason: String?
        }
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let invalidParams: [InvalidParameter]?
        /// A 410 from the change feed: where it can be read from again.
        let oldestSince: Int?
    }

    /// The report of `POST /articles/bulk`: counts, and each line's outcome.
    struct BulkReport: Decodable, Sendable {
        struct Result: Decodable, Sendable {
            let line: Int
            let status: String?
            let id: Int?
            let reason: String?
            let warnings: [String]?
        }
        let created: Int?
        let duplicates: Int?
        let errors: Int?
        let results: [Result]
    }

    /// What every listing says besides its items: for reading a total or a cursor alone.
    struct Listing: Decodable, Sendable {
        let total: Int?
        let nextCursor: String?
    }

    /// A created or fetched resource's id.
    struct Identified: Decodable, Sendable {
        let id: Int?
    }

    /// A tag or a source, by its article count.
    struct Counted: Decodable, Sendable {
        let articleCount: Int
    }

    /// A webhook subscription as `GET /subscriptions/{id}` shows it (never its secret).
    struct Subscription: Decodable, Sendable {
        let id: Int
        let status: String
        let delivered: Int
        let pending: Int
        let failures: Int
        let lastError: String?
    }

    /// What a webhook receiver is sent.
    struct Delivery: Decodable, Sendable {
        struct Matched: Decodable, Sendable {
            let title: String
        }
        let event: String
        let subscriptionId: Int
        let deliveryId: String
        let article: Matched
    }

    struct Health: Decodable, Sendable {
        let status: String
        let version: String?
        let articles: Int?
    }
}

extension API {
    /// `data` decoded as `type`, with the API's snake_case names and RFC 3339 dates (for a `Date` field).
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: data)
    }
}

extension TestResponse {
    /// The body decoded as `type` (gzip inflated first).
    func decoded<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try API.decode(type, from: Data(plainBody().readableBytesView))
    }
}

import ClippingsStore
import Foundation
import Hummingbird

// The JSON the API returns besides the resources themselves, whose fields are declared once in
// `ResourceFields`: envelopes, probes. Field names are snake_case, as the contract in openapi.yaml.

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

extension ListResponse: JSONWritable where Item: JSONWritable {
    func write(to json: inout JSONOutput) {
        json.object { json in
            if let facets { json.member("facets", facets) }
            json.member("items", items)
            json.member("next_cursor", nextCursor)
            json.member("total", total)
        }
    }
}

/// One value of a facet and how many matching articles have it.
struct FacetCount: Encodable, Sendable, JSONWritable {
    var value: String
    var count: Int

    func write(to json: inout JSONOutput) {
        json.object { json in
            json.member("count", count)
            json.member("value", value)
        }
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
        case relatedTags = "related_tags"
    }

    func encode(to encoder: any Encoder) throws {
        try ResourceJSON(tag, fields: ResourceFields.tag).encode(to: encoder)
        let selected = encoder.userInfo[ResourceJSONKeys.fields] as? Set<String>
        guard let relatedTags, selected?.contains("related_tags") ?? true else { return }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(relatedTags, forKey: .relatedTags)
    }
}

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

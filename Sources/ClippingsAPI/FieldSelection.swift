import Foundation
import Hummingbird

/// Sparse fieldsets (`fields=id,title`): which top-level fields of each item or resource to send.
///
/// The selection travels in the encoder's `userInfo`, so one `encode(to:)` per response type serves
/// both the full and the sparse shape. Only the fields of the resource itself are filtered; nested
/// objects (an article's `source`) stay whole.
enum FieldSelection {
    static let key = CodingUserInfoKey(rawValue: "clippings.fields")!

    static let articleSummary: Set<String> = [
        "id", "slug", "title", "author", "authors", "published_at", "language", "source", "url", "tags", "word_count",
        "summary", "score", "snippet",
    ]
    static let article: Set<String> = articleSummary.subtracting(["score", "snippet"]).union([
        "body", "paragraphs", "categories", "links", "images", "external_id", "created_at", "updated_at",
    ])
    static let tag: Set<String> = ["slug", "name", "article_count"]
    static let source: Set<String> = [
        "slug", "name", "domain", "article_count", "first_published_at", "last_published_at",
    ]

    /// Encodes a response body as JSON, keeping only `fields` of each resource when given.
    static func response(_ value: some Encodable, fields: Set<String>?) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let fields { encoder.userInfo[key] = fields }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}

extension QueryParameters {
    /// The `fields` parameter: a comma-separated list of field names, each one of `available`.
    func fields(_ available: Set<String>) throws(Problem) -> Set<String>? {
        try names("fields", allowed: available).map(Set.init)
    }
}

/// A keyed container that skips the keys a sparse fieldset leaves out.
struct SelectiveContainer<Key: CodingKey> {
    var container: KeyedEncodingContainer<Key>
    let fields: Set<String>?

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        guard fields?.contains(key.stringValue) ?? true else { return }
        try container.encode(value, forKey: key)
    }
}

extension Encoder {
    /// A container honouring the request's `fields`, for the top level of a resource.
    func selectiveContainer<Key: CodingKey>(keyedBy type: Key.Type) -> SelectiveContainer<Key> {
        SelectiveContainer(container: container(keyedBy: type), fields: userInfo[FieldSelection.key] as? Set<String>)
    }
}

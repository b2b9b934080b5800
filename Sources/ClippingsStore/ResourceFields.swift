import ClippingsExtraction
import Foundation

/// One top-level field of a resource as clients see it: its name in the JSON (and in `fields=`), and its
/// value. A `nil` optional is sent as `null`, never left out, so clients see every field; a field that
/// is `omittedWhenNull` (a related article's missing snippet) is left out instead.
public struct ResourceField<Value>: Sendable {
    public let name: String
    let omittedWhenNull: Bool
    let value: @Sendable (Value) -> any Encodable
    /// Writes `"name":value` into JSON text without `JSONEncoder`, or nothing when the field is omitted.
    let write: @Sendable (Value, inout JSONOutput) -> Void

    init<Field: Encodable & JSONWritable>(
        _ name: String,
        omittedWhenNull: Bool = false,
        _ value: @escaping @Sendable (Value) -> Field
    ) {
        self.init(name, omittedWhenNull, value) { json, resource in json.member(name, value(resource)) }
    }

    /// A field whose type has no writer of its own: `JSONEncoder` writes its value.
    @_disfavoredOverload
    init(_ name: String, omittedWhenNull: Bool = false, _ value: @escaping @Sendable (Value) -> any Encodable) {
        self.init(name, omittedWhenNull, value) { json, resource in
            json.member(name, EncodedByFoundation(value: value(resource)))
        }
    }

    private init(
        _ name: String,
        _ omittedWhenNull: Bool,
        _ value: @escaping @Sendable (Value) -> any Encodable,
        member: @escaping @Sendable (inout JSONOutput, Value) -> Void
    ) {
        self.name = name
        self.omittedWhenNull = omittedWhenNull
        self.value = value
        self.write = { resource, json in
            if omittedWhenNull, (value(resource) as? any OptionalValue)?.isNil == true { return }
            member(&json, resource)
        }
    }
}

/// A value `JSONEncoder` writes inside a `JSONOutput`.
private struct EncodedByFoundation: JSONWritable {
    let value: any Encodable
    func write(to json: inout JSONOutput) { json.encoded(value) }
}

/// The one declaration of what clients see of each resource: the JSON fields (and so the names `fields=`
/// accepts), the CSV columns of an export, and the fields an article may be given or edited with. A new
/// field is added here, and `openapi.yaml`'s schemas are checked against these lists by a test.
public enum ResourceFields {
    /// Every listed article's fields, in the contract's order.
    public static let articleSummary: [ResourceField<ArticleSummary>] = [
        ResourceField("id") { $0.id },
        ResourceField("slug") { $0.slug },
        ResourceField("title") { $0.title },
        ResourceField("author") { $0.author },
        ResourceField("authors") { $0.authors },
        ResourceField("published_at") { $0.publishedAt },
        ResourceField("language") { $0.language },
        ResourceField("source") { $0.source },
        ResourceField("url") { $0.url },
        ResourceField("tags") { $0.tags },
        ResourceField("word_count") { $0.wordCount },
        ResourceField("summary") { $0.summary },
        ResourceField("story_id") { $0.storyID },
        ResourceField("near_duplicate_of") { $0.nearDuplicateOf },
    ]

    /// What a search result adds: why it matched. Plain listings have no such fields.
    public static let searchHit: [ResourceField<SearchHit>] = [
        ResourceField("score") { $0.score },
        ResourceField("snippet", omittedWhenNull: true) { $0.snippet },
    ]

    /// What a whole article adds to its summary's fields.
    public static let articleContent: [ResourceField<ArticleDetail>] = [
        ResourceField("body") { $0.body },
        ResourceField("paragraphs") { $0.paragraphs },
        ResourceField("categories") { $0.categories },
        ResourceField("links") { $0.links },
        ResourceField("images") { $0.images },
        ResourceField("external_id") { $0.externalID },
        ResourceField("created_at") { $0.createdAt },
        ResourceField("updated_at") { $0.updatedAt },
    ]

    /// A tag in the directory.
    public static let tag: [ResourceField<TagInfo>] = [
        ResourceField("slug") { $0.slug },
        ResourceField("name") { $0.name },
        ResourceField("article_count") { $0.articleCount },
    ]

    /// A source in the directory.
    public static let source: [ResourceField<SourceInfo>] = [
        ResourceField("slug") { $0.slug },
        ResourceField("name") { $0.name },
        ResourceField("domain") { $0.domain },
        ResourceField("article_count") { $0.articleCount },
        ResourceField("first_published_at") { $0.firstPublishedAt },
        ResourceField("last_published_at") { $0.lastPublishedAt },
    ]

    /// What the extractor makes of a document (`clippings extract`), before it is stored: the stored
    /// article's content fields, with the document's format.
    public static let extracted: [ResourceField<ExtractedArticle>] = [
        ResourceField("title") { $0.title },
        ResourceField("author") { $0.author },
        ResourceField("authors") { $0.authors },
        ResourceField("published_at") { $0.publishedAt },
        ResourceField("source") { $0.source },
        ResourceField("url") { $0.url },
        ResourceField("language") { $0.language },
        ResourceField("categories") { $0.categories },
        ResourceField("tags") { $0.tags },
        ResourceField("body") { $0.body },
        ResourceField("paragraphs") { $0.paragraphs },
        ResourceField("links") { $0.links },
        ResourceField("images") { $0.images },
        ResourceField("external_id") { $0.externalID },
        ResourceField("word_count") { $0.wordCount },
        ResourceField("format") { $0.format },
    ]

    /// The CSV columns of an export, in order. Columns added later come last, so scripts reading by
    /// position keep working; lists are joined by `;`.
    public static let csvColumns: [(name: String, value: @Sendable (ArticleSummary) -> String)] = [
        ("id", { String($0.id) }),
        ("slug", { $0.slug }),
        ("title", { $0.title }),
        ("author", { $0.author ?? "" }),
        ("published_at", { $0.publishedAt.map(Timestamp.string) ?? "" }),
        ("language", { $0.language }),
        ("source", { $0.source?.slug ?? "" }),
        ("source_domain", { $0.source?.domain ?? "" }),
        ("url", { $0.url ?? "" }),
        ("tags", { $0.tags.map(\.slug).joined(separator: ";") }),
        ("word_count", { String($0.wordCount) }),
        ("summary", { $0.summary }),
        ("authors", { $0.authors.joined(separator: ";") }),
    ]

    /// The fields `POST /articles` takes (and a line of `POST /articles/bulk` or an `.ndjson` import).
    public static let articleInput: Set<String> = [
        "title", "body", "author", "authors", "published_at", "language", "url", "source", "tags", "categories",
        "external_id", "links", "images",
    ]
    /// The fields `PATCH /articles/{id}` may change.
    public static let articleEditable: Set<String> = [
        "title", "author", "authors", "published_at", "language", "tags", "categories", "source",
    ]

    /// The names `fields=` accepts on article listings.
    public static let articleSummaryNames = Set(articleSummary.map(\.name) + searchHit.map(\.name))
    /// The names `fields=` accepts on one article.
    public static let articleNames = Set(articleSummary.map(\.name) + articleContent.map(\.name))
    /// The fields an article shows but a client cannot set: accepted and ignored on input, so a line of
    /// `GET /articles/export` imports again as it is.
    public static let articleOutputOnly = articleSummaryNames.union(articleNames).subtracting(articleInput)
    /// The names `fields=` accepts on tags.
    public static let tagNames = Set(tag.map(\.name))
    /// The names `fields=` accepts on sources.
    public static let sourceNames = Set(source.map(\.name))
}

import ClippingsExtraction
import Foundation

/// Encodes a resource through its declared fields (`ResourceFields`), keeping only the fields a sparse
/// fieldset names when the encoder carries one (`ResourceJSON.fieldsKey`).
///
/// One encoder serves the full and the sparse shape; only the resource's own top-level fields are
/// filtered, nested objects (an article's `source`) stay whole.
public struct ResourceJSON<Value: Sendable>: Encodable, Sendable {
    let value: Value
    let fields: [ResourceField<Value>]

    public init(_ value: Value, fields: [ResourceField<Value>]) {
        self.value = value
        self.fields = fields
    }

    public func encode(to encoder: any Encoder) throws {
        let selected = encoder.userInfo[ResourceJSONKeys.fields] as? Set<String>
        var container = encoder.container(keyedBy: FieldKey.self)
        for field in fields where selected?.contains(field.name) ?? true {
            let value = field.value(value)
            if field.omittedWhenNull, (value as? any OptionalValue)?.isNil == true { continue }
            try container.encode(value, forKey: FieldKey(field.name))
        }
    }
}

/// The `userInfo` key of a sparse fieldset: a `Set<String>` of the field names to send.
public enum ResourceJSONKeys {
    public static let fields = CodingUserInfoKey(rawValue: "clippings.fields")!
}

/// A listed article: its summary's fields and, for a search result, why it matched.
public struct ArticleSummaryJSON: Encodable, Sendable {
    public let article: ArticleSummary

    public init(_ article: ArticleSummary) { self.article = article }

    public func encode(to encoder: any Encoder) throws {
        try ResourceJSON(article, fields: ResourceFields.articleSummary).encode(to: encoder)
        if let hit = article.hit { try ResourceJSON(hit, fields: ResourceFields.searchHit).encode(to: encoder) }
    }
}

/// A whole article: the summary's fields and the content. Also one line of an NDJSON export.
public struct ArticleJSON: Encodable, Sendable {
    public let article: ArticleDetail

    public init(_ article: ArticleDetail) { self.article = article }

    public func encode(to encoder: any Encoder) throws {
        try ResourceJSON(article.summary, fields: ResourceFields.articleSummary).encode(to: encoder)
        try ResourceJSON(article, fields: ResourceFields.articleContent).encode(to: encoder)
    }
}

/// A field name as a coding key.
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Lets a field's value, seen as `any Encodable`, say whether it is a `nil` optional.
protocol OptionalValue {
    var isNil: Bool { get }
}

extension Optional: OptionalValue {
    var isNil: Bool { self == nil }
}

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

extension ResourceJSON: JSONWritable {
    public func write(to json: inout JSONOutput) {
        json.resource(value, fields, and: nil as Value?, [])
    }
}

extension JSONOutput {
    /// One object of the selected fields of `first` and of `second` when there is one, in sorted key
    /// order across both (a search hit's `score` falls between a summary's fields).
    mutating func resource<First, Second>(
        _ first: First,
        _ firstFields: [ResourceField<First>],
        and second: Second?,
        _ secondFields: [ResourceField<Second>]
    ) {
        let selected = fields
        var members: [(name: String, second: Bool, index: Int)] = []
        members.reserveCapacity(firstFields.count + secondFields.count)
        for (index, field) in firstFields.enumerated() where selected?.contains(field.name) ?? true {
            members.append((field.name, false, index))
        }
        if second != nil {
            for (index, field) in secondFields.enumerated() where selected?.contains(field.name) ?? true {
                members.append((field.name, true, index))
            }
        }
        members.sort { $0.name < $1.name }
        object { json in
            for member in members {
                if member.second {
                    secondFields[member.index].write(second!, &json)
                } else {
                    firstFields[member.index].write(first, &json)
                }
            }
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

extension ArticleSummaryJSON: JSONWritable {
    public func write(to json: inout JSONOutput) {
        json.resource(article, ResourceFields.articleSummary, and: article.hit, ResourceFields.searchHit)
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

extension ArticleJSON: JSONWritable {
    public func write(to json: inout JSONOutput) {
        json.resource(article.summary, ResourceFields.articleSummary, and: article, ResourceFields.articleContent)
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

extension TagRef: JSONWritable {
    public func write(to json: inout JSONOutput) {
        json.object { json in
            json.member("name", name)
            json.member("slug", slug)
        }
    }
}

extension SourceRef: JSONWritable {
    public func write(to json: inout JSONOutput) {
        json.object { json in
            json.member("domain", domain)
            json.member("name", name)
            json.member("slug", slug)
        }
    }
}

import ClippingsExtraction
import Foundation

extension ArticleChanges {
    /// Edits read from a JSON merge patch (RFC 7396) of the editable fields: a field left out stays,
    /// `null` clears it where that makes sense, anything else is checked as a new article's field is.
    public init(mergePatch data: Data) throws(InputError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .body("The body is not a JSON object (a merge patch).")
        }
        let editable = ResourceFields.articleEditable
        if let unknown = object.keys.sorted().first(where: { !editable.contains($0) }) {
            throw .field(unknown, "cannot be edited (editable: \(editable.sorted().joined(separator: ", ")))")
        }
        self.init()
        if let value = object["title"] {
            guard let text = value as? String else { throw .field("title", "must be a string") }
            title = try ArticleFieldRules.title(text)
        }
        if let value = object["author"] {
            author = .some(try ArticleFieldRules.author(try Self.optional(value, String.self, "author")))
        }
        if let value = object["authors"] {
            authors = try ArticleFieldRules.authors(try Self.optional(value, [String].self, "authors") ?? [])
            if let author {
                _ = try ArticleFieldRules.byline(author: author, authors: authors)
            }
        }
        if let value = object["published_at"] {
            publishedAt = .some(
                try Self.optional(value, String.self, "published_at").map { text throws(InputError) in
                    try ArticleFieldRules.publishedAt(text)
                }
            )
        }
        if let value = object["language"] {
            guard let code = value as? String else { throw .field("language", "must be a string") }
            language = try ArticleFieldRules.language(code)
        }
        if let value = object["source"] {
            source = .some(
                try Self.optional(value, String.self, "source").flatMap { name throws(InputError) in
                    try ArticleFieldRules.source(name)
                }
            )
        }
        if let value = object["tags"] {
            guard let names = value as? [String] else { throw .field("tags", "must be a list of names") }
            tags = try ArticleFieldRules.tags(names)
        }
        if let value = object["categories"] {
            guard let names = value as? [String] else { throw .field("categories", "must be a list of names") }
            categories = try ArticleFieldRules.categories(names)
        }
    }

    /// A value of the given type, or nil for JSON `null`.
    private static func optional<Value>(_ value: Any, _ type: Value.Type, _ field: String) throws(InputError) -> Value?
    {
        if value is NSNull { return nil }
        guard let typed = value as? Value else { throw .field(field, "has the wrong type (or give null)") }
        return typed
    }
}

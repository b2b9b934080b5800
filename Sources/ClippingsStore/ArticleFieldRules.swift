import ClippingsExtraction
import Foundation

/// The bounds on each field of an article a client gives or edits, in one place: `POST /articles`,
/// bulk lines, `.ndjson` imports and `PATCH /articles/{id}` all check their fields here.
enum ArticleFieldRules {
    static func title(_ value: String) throws(InputError) -> String {
        let title = TextNormalizer.collapse(value)
        guard (1...1_000).contains(title.count) else { throw .field("title", "must have 1 to 1000 characters") }
        return title
    }

    static func paragraphs(ofBody body: String) throws(InputError) -> [String] {
        let paragraphs = TextNormalizer.blocks(of: body)
        guard !paragraphs.isEmpty, body.utf8.count <= 2_000_000 || body.count <= 2_000_000 else {
            throw .field("body", "must hold text, at most 2 000 000 characters")
        }
        return paragraphs
    }

    /// A byline; nil (or an empty one) for none.
    static func author(_ value: String?) throws(InputError) -> String? {
        guard let value else { return nil }
        let author = TextNormalizer.collapse(value)
        guard author.count <= 200 else { throw .field("author", "must have at most 200 characters") }
        return author.isEmpty ? nil : author
    }

    /// Writers' names, each collapsed.
    static func authors(_ value: [String]) throws(InputError) -> [String] {
        let names = value.map(TextNormalizer.collapse)
        guard names.count <= 50, names.allSatisfy({ (1...200).contains($0.count) }) else {
            throw .field("authors", "must be at most 50 names of 1 to 200 characters")
        }
        return names
    }

    /// The byline and the writers given together must agree: the byline is the names joined by ", ".
    static func byline(author: String?, authors: [String]?) throws(InputError) -> String? {
        guard let authors else { return author }
        let joined = authors.isEmpty ? nil : authors.joined(separator: ", ")
        if let author, author != joined {
            throw .field("author", "must be the authors' names joined by \", \" when both are given")
        }
        return joined
    }

    static func publishedAt(_ value: String) throws(InputError) -> Date {
        guard let date = DateRecognizer.date(from: value) else {
            throw .field("published_at", "must be an RFC 3339 timestamp or a date")
        }
        return date
    }

    static func language(_ value: String) throws(InputError) -> String {
        guard ArticleRules.isLanguageCode(value) else {
            throw .field("language", "must be a language code such as en, no or und")
        }
        return LanguageIdentifier.canonicalCode(value)
    }

    static func url(_ value: String) throws(InputError) -> String {
        guard value.count <= 2_000, value.hasPrefix("http://") || value.hasPrefix("https://") else {
            throw .field("url", "must be an http(s) URL of at most 2000 characters")
        }
        return value
    }

    /// The publisher named `value`.
    static func source(_ value: String) throws(InputError) -> Publisher? {
        let name = TextNormalizer.collapse(value)
        guard (1...200).contains(name.count) else { throw .field("source", "must have 1 to 200 characters") }
        return PublisherDirectory.publisher(named: name)
    }

    /// Tag or category names.
    static func names(_ value: [String], _ field: String) throws(InputError) -> [String] {
        guard value.count <= 100, value.allSatisfy({ (1...100).contains($0.count) && !Slugifier.slug($0).isEmpty })
        else { throw .field(field, "must be at most 100 names of 1 to 100 characters") }
        return value
    }

    static func tags(_ value: [String]) throws(InputError) -> [Tag] {
        try names(value, "tags").map { Tag(slug: Slugifier.slug($0), name: $0) }
    }
}

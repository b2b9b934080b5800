import ClippingsExtraction
import ClippingsStore
import Foundation
import HTTPTypes
import NIOCore

/// A JSON merge patch (RFC 7396) of an article's editable fields: a field left out stays, `null` clears
/// it where that makes sense, anything else is validated as in `POST /articles`.
enum ArticlePatch {
    static let editable: Set<String> = [
        "title", "author", "authors", "published_at", "language", "tags", "categories", "source",
    ]

    static func changes(from buffer: ByteBuffer) throws(Problem) -> ArticleChanges {
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else { throw Problem(.badRequest, detail: "The body is not a JSON object (a merge patch).") }
        if let unknown = object.keys.sorted().first(where: { !editable.contains($0) }) {
            throw .invalidField(unknown, "cannot be edited (editable: \(editable.sorted().joined(separator: ", ")))")
        }
        var changes = ArticleChanges()
        if let value = object["title"] {
            guard let title = (value as? String).map(TextNormalizer.collapse), (1...1_000).contains(title.count) else {
                throw .invalidField("title", "must be a string of 1 to 1000 characters")
            }
            changes.title = title
        }
        if let value = object["author"] {
            changes.author = .some(try optionalString(value, "author", maximum: 200))
        }
        if let value = object["authors"] {
            guard let list = (value is NSNull ? [] : value as? [Any]), let names = list as? [String] else {
                throw .invalidField("authors", "must be an array of names, or null")
            }
            changes.authors = try ArticleInput.authorNames(names)
            if let author = changes.author, author != (names.isEmpty ? nil : changes.authors?.joined(separator: ", ")) {
                throw .invalidField("author", "must be the authors' names joined by \", \" when both are given")
            }
        }
        if let value = object["published_at"] {
            if value is NSNull {
                changes.publishedAt = .some(nil)
            } else {
                guard let text = value as? String, let date = DateRecognizer.date(from: text) else {
                    throw .invalidField("published_at", "must be an RFC 3339 timestamp, a date, or null")
                }
                changes.publishedAt = date
            }
        }
        if let value = object["language"] {
            guard let code = value as? String, code.wholeMatch(of: /[A-Za-z]{2,3}/) != nil else {
                throw .invalidField("language", "must be a language code such as en, no or und")
            }
            changes.language = code
        }
        if let value = object["source"] {
            changes.source = .some(
                try optionalString(value, "source", maximum: 200).flatMap(PublisherDirectory.publisher(named:))
            )
        }
        if let value = object["tags"] {
            changes.tags = try names(value, "tags").map { Tag(slug: Slugifier.slug($0), name: $0) }
        }
        if let value = object["categories"] { changes.categories = try names(value, "categories") }
        return changes
    }

    static func optionalString(_ value: Any, _ field: String, maximum: Int) throws(Problem) -> String? {
        if value is NSNull { return nil }
        guard let text = (value as? String).map(TextNormalizer.collapse), (1...maximum).contains(text.count) else {
            throw .invalidField(field, "must be a string of 1 to \(maximum) characters, or null")
        }
        return text
    }

    static func names(_ value: Any, _ field: String) throws(Problem) -> [String] {
        guard let names = value as? [String], names.count <= 100,
            names.allSatisfy({ (1...100).contains($0.count) && !Slugifier.slug($0).isEmpty })
        else { throw .invalidField(field, "must be a list of at most 100 names of 1 to 100 characters") }
        return names
    }
}

import ClippingsExtraction
import Foundation

/// An article given as JSON fields (`POST /articles`, a bulk line, a line of an `.ndjson` import),
/// validated field by field (`ArticleFieldRules`).
public struct ArticleInput: Decodable, Sendable {
    var title: String
    var body: String
    var author: String?
    var authors: [String]?
    var publishedAt: String?
    var language: String?
    var url: String?
    var source: String?
    var tags: [String]?
    var categories: [String]?

    enum CodingKeys: String, CodingKey {
        case title, body, author, authors, language, url, source, tags, categories
        case publishedAt = "published_at"
    }

    /// Reads the fields of a JSON object; refused, naming the field, when one is missing or mistyped.
    public static func decode(_ data: Data) throws(InputError) -> ArticleInput {
        do {
            return try JSONDecoder().decode(ArticleInput.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw .field(key.stringValue, "is required")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw .field(context.codingPath.map(\.stringValue).joined(separator: "."), "has the wrong type")
        } catch {
            throw .body("The body is not a JSON article object.")
        }
    }

    /// The article, or the first field out of bounds.
    public var article: ExtractedArticle {
        get throws(InputError) {
            let title = try ArticleFieldRules.title(self.title)
            let paragraphs = try ArticleFieldRules.paragraphs(ofBody: body)
            let author = try ArticleFieldRules.author(self.author)
            let names = try authors.map { names throws(InputError) in try ArticleFieldRules.authors(names) }
            let byline = try ArticleFieldRules.byline(author: author, authors: names)
            let date = try publishedAt.map { text throws(InputError) in try ArticleFieldRules.publishedAt(text) }
            let language = try self.language.map { code throws(InputError) in try ArticleFieldRules.language(code) }
            let url = try self.url.map { text throws(InputError) in try ArticleFieldRules.url(text) }
            let tags = try ArticleFieldRules.tags(self.tags ?? [])
            let categories = try ArticleFieldRules.names(self.categories ?? [], "categories")
            let source = try self.source.flatMap { name throws(InputError) in try ArticleFieldRules.source(name) }
            let text = ([title] + paragraphs).joined(separator: "\n")
            return ExtractedArticle(
                title: title,
                author: byline,
                authors: names,
                publishedAt: date,
                source: source,
                url: url,
                language: language ?? LanguageIdentifier.identify(text),
                categories: categories,
                tags: tags,
                paragraphs: paragraphs,
                format: .plainText
            )
        }
    }
}

import ClippingsExtraction
import Foundation

/// An article given as JSON fields (`POST /articles`, a bulk line, a line of an `.ndjson` import),
/// validated field by field (`ArticleFieldRules`).
///
/// A line of `GET /articles/export` is accepted as it is: its output-only fields (`id`, `slug`,
/// `created_at`, …) are ignored, and `source` and `tags` may be the objects it writes as well as names. A
/// field that is neither an input nor an output field is refused by name, so a typo is never dropped.
public struct ArticleInput: Decodable, Sendable {
    var title: String
    var body: String
    var author: String?
    var authors: [String]?
    var publishedAt: String?
    var language: String?
    var url: String?
    var source: NamedInput?
    var tags: [NamedInput]?
    var categories: [String]?
    var externalID: String?
    var links: [Link]?
    var images: [Image]?

    enum CodingKeys: String, CodingKey {
        case title, body, author, authors, language, url, source, tags, categories, links, images
        case publishedAt = "published_at"
        case externalID = "external_id"
    }

    /// A source or a tag by name, or as an article shows it (`{"slug", "name"}`, a source's `domain`).
    struct NamedInput: Decodable, Sendable {
        var name: String
        /// A tag's slug is kept when it is already one; a source's is made from its name again.
        var slug: String?
        var domain: String?

        enum CodingKeys: String, CodingKey { case name, slug, domain }

        init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self.name = name
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            slug = try container.decodeIfPresent(String.self, forKey: .slug)
            domain = try container.decodeIfPresent(String.self, forKey: .domain)
        }
    }

    /// Reads the fields of a JSON object; refused, naming the field, when one is unknown, missing or
    /// mistyped.
    public static func decode(_ data: Data) throws(InputError) -> ArticleInput {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .body("The body is not a JSON article object.")
        }
        let known = ResourceFields.articleInput.union(ResourceFields.articleOutputOnly)
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            let fields = ResourceFields.articleInput.sorted().joined(separator: ", ")
            throw .field(unknown, "is not a field of an article (fields: \(fields))")
        }
        do {
            return try JSONDecoder().decode(ArticleInput.self, from: data)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw .field((context.codingPath + [key]).map(\.stringValue).joined(separator: "."), "is required")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw .field(context.codingPath.map(\.stringValue).joined(separator: "."), "has the wrong type")
        } catch {
            throw .body("The body is not a JSON article object.")
        }
    }

    /// The article, prepared for storing: with a source, `external_id` identifies it when no URL does.
    public var prepared: PreparedArticle {
        get throws(InputError) { PreparedArticle(try article, identifiedByExternalID: true) }
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
            let categories = try ArticleFieldRules.categories(self.categories ?? [])
            let source = try self.source.flatMap { given throws(InputError) in
                try ArticleFieldRules.source(given.name, domain: given.domain)
            }
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
                links: try ArticleFieldRules.links(links ?? []),
                images: try ArticleFieldRules.images(images ?? []),
                externalID: try externalID.map { id throws(InputError) in try ArticleFieldRules.externalID(id) },
                format: .plainText
            )
        }
    }
}

import ClippingsExtraction
import Foundation
import HTTPTypes
import NIOCore

/// An article given directly as JSON to `POST /articles`, validated field by field.
struct ArticleInput: Decodable {
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

    static func decode(_ buffer: ByteBuffer) throws(Problem) -> ArticleInput {
        do {
            return try JSONDecoder().decode(ArticleInput.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.keyNotFound(let key, _) {
            throw .invalidField(key.stringValue, "is required")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw .invalidField(context.codingPath.map(\.stringValue).joined(separator: "."), "has the wrong type")
        } catch {
            throw Problem(.badRequest, detail: "The body is not a JSON article object.")
        }
    }

    /// The article, or a 400 naming the first field out of bounds.
    var article: ExtractedArticle {
        get throws(Problem) {
            let title = TextNormalizer.collapse(self.title)
            guard (1...1_000).contains(title.count) else {
                throw .invalidField("title", "must have 1 to 1000 characters")
            }
            let paragraphs = TextNormalizer.blocks(of: body)
            guard !paragraphs.isEmpty, body.utf8.count <= 2_000_000 || body.count <= 2_000_000 else {
                throw .invalidField("body", "must hold text, at most 2 000 000 characters")
            }
            if let author, author.count > 200 { throw .invalidField("author", "must have at most 200 characters") }
            let names = try Self.authorNames(authors)
            let byline =
                names.map { $0.isEmpty ? nil : $0.joined(separator: ", ") } ?? author.map(TextNormalizer.collapse)
            if let names, let author, TextNormalizer.collapse(author) != byline ?? "" {
                throw .invalidField("author", "must be the authors' names joined by \", \" when both are given")
            }
            var date: Date?
            if let publishedAt {
                guard let parsed = DateRecognizer.date(from: publishedAt) else {
                    throw .invalidField("published_at", "must be an RFC 3339 timestamp or a date")
                }
                date = parsed
            }
            if let language, language.wholeMatch(of: /[A-Za-z]{2,3}/) == nil {
                throw .invalidField("language", "must be a language code such as en or no")
            }
            if let url, url.count > 2_000 || !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw .invalidField("url", "must be an http(s) URL of at most 2000 characters")
            }
            for (name, values) in [("tags", tags ?? []), ("categories", categories ?? [])] {
                guard values.count <= 100,
                    values.allSatisfy({ (1...100).contains($0.count) && !Slugifier.slug($0).isEmpty })
                else { throw .invalidField(name, "must be at most 100 names of 1 to 100 characters") }
            }
            if let source, !(1...200).contains(source.count) {
                throw .invalidField("source", "must have 1 to 200 characters")
            }
            let text = ([title] + paragraphs).joined(separator: "\n")
            return ExtractedArticle(
                title: title,
                author: byline,
                authors: names,
                publishedAt: date,
                source: source.flatMap(PublisherDirectory.publisher(named:)),
                url: url,
                language: language.map(LanguageIdentifier.canonicalCode) ?? LanguageIdentifier.identify(text),
                categories: categories ?? [],
                tags: (tags ?? []).map { Tag(slug: Slugifier.slug($0), name: $0) },
                paragraphs: paragraphs,
                format: .plainText
            )
        }
    }
}

extension ArticleInput {
    /// Writers' names as given in `authors` (or a PATCH's), each collapsed; nil when not given.
    static func authorNames(_ value: [String]?) throws(Problem) -> [String]? {
        guard let value else { return nil }
        let names = value.map(TextNormalizer.collapse)
        guard names.count <= 50, names.allSatisfy({ (1...200).contains($0.count) }) else {
            throw .invalidField("authors", "must be at most 50 names of 1 to 200 characters")
        }
        return names
    }
}

extension Problem {
    /// A 400 naming the JSON field at fault.
    static func invalidField(_ name: String, _ reason: String) -> Problem {
        var problem = Problem(.badRequest, detail: "Invalid field '\(name)': \(reason).")
        problem.invalidParameters = [InvalidParameter(name: name, reason: reason)]
        return problem
    }
}

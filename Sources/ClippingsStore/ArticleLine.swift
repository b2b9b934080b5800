import ClippingsExtraction
import Foundation

/// One line of NDJSON (`POST /articles/bulk`, an `.ndjson` file given to `clippings import`): an
/// article's fields (`ArticleInput`), or `{"document": "…", "url": …, "source": …, "filename": …}`, a raw
/// document to extract, kept with its article for re-extraction.
public enum ArticleLine {
    /// A document line: raw text to extract, with the same hints `POST /articles` takes.
    struct DocumentLine: Decodable {
        var document: String
        var url: String?
        var source: String?
        var filename: String?
    }

    /// The line as a prepared article; throws `InputError` for a line that is not an article, and
    /// `ExtractionError` for a document that holds none.
    public static func article(from line: String) throws -> PreparedArticle {
        let data = Data(line.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InputError.body("not a JSON object")
        }
        guard object["document"] != nil else { return try ArticleInput.decode(data).prepared }
        guard let document = try? JSONDecoder().decode(DocumentLine.self, from: data) else {
            throw InputError.body("document, url, source and filename must be strings")
        }
        if let url = document.url { _ = try ArticleFieldRules.url(url) }
        let input = DocumentInput(text: document.document, fileName: document.filename, url: document.url)
        var article = try DocumentExtractor().extract(input)
        if let source = document.source { article.source = PublisherDirectory.publisher(named: source) }
        return PreparedArticle(article, document: input, sourceName: document.source)
    }
}

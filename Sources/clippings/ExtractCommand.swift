import ArgumentParser
import ClippingsExtraction
import Foundation

/// `clippings extract FILE`: prints what the extractor makes of a document, storing nothing.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the article extracted from a document as JSON, without storing it."
    )

    @Argument(help: "The document to read.")
    var file: String

    @Option(help: "The URL the document came from (used when the document names none).")
    var url: String?

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandError("cannot read '\(file)'")
        }
        let input = DocumentInput(data: data, fileName: (file as NSString).lastPathComponent, url: url)
        let article = try DocumentExtractor().extract(input)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(ExtractedArticleJSON(article: article)), as: UTF8.self))
    }
}

/// The extracted article in the API's snake_case shape, with unknown fields as `null`.
struct ExtractedArticleJSON: Encodable {
    let article: ExtractedArticle

    enum CodingKeys: String, CodingKey {
        case title, author, source, url, language, categories, tags, body, paragraphs, links, images, format
        case publishedAt = "published_at"
        case externalID = "external_id"
        case wordCount = "word_count"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(article.title, forKey: .title)
        try container.encode(article.author, forKey: .author)
        try container.encode(article.publishedAt, forKey: .publishedAt)
        try container.encode(article.source, forKey: .source)
        try container.encode(article.url, forKey: .url)
        try container.encode(article.language, forKey: .language)
        try container.encode(article.categories, forKey: .categories)
        try container.encode(article.tags, forKey: .tags)
        try container.encode(article.body, forKey: .body)
        try container.encode(article.paragraphs, forKey: .paragraphs)
        try container.encode(article.links, forKey: .links)
        try container.encode(article.images, forKey: .images)
        try container.encode(article.externalID, forKey: .externalID)
        try container.encode(article.wordCount, forKey: .wordCount)
        try container.encode(article.format, forKey: .format)
    }
}

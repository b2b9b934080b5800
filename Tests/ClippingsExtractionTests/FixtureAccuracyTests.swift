import ClippingsExtraction
import Foundation
import Testing

/// Documents we wrote (not the seeds), each next to the fields a careful reader extracts from it
/// (`NAME.expected.json`). Each document is a test case of its own, which names every field it gets wrong;
/// accuracy over real pages, field by field, is `scripts/eval-extraction`'s.
@Suite("Hand-written fixtures")
struct FixtureAccuracyTests {
    struct Expectation: Decodable {
        var title: String
        var author: String?
        var publishedAt: String?
        var language: String?
        var notLanguages: [String]?
        var sourceName: String?
        var sourceDomain: String?
        var url: String?
        var categories: [String]
        var tags: [[String]]
        var paragraphCount: Int
        var firstParagraphStarts: String
        var lastParagraphStarts: String
        var bodyMustNotContain: [String]
        var linksCount: Int
        var images: [[String?]]
        var externalId: String?
    }

    static var documents: [URL] {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: TestDocuments.fixtures, includingPropertiesForKeys: nil))
            ?? []
        return files.filter { !$0.lastPathComponent.hasSuffix(".expected.json") }.sorted { $0.path < $1.path }
    }

    /// Field name → whether the extracted article gets it right.
    static func grade(_ article: ExtractedArticle, against expected: Expectation) -> [(String, Bool)] {
        let timestamp = article.publishedAt.map { $0.formatted(Date.ISO8601FormatStyle()) }
        let language =
            expected.language.map { article.language == $0 }
            ?? !(expected.notLanguages ?? []).contains(article.language)
        return [
            ("title", article.title == expected.title),
            ("author", article.author == expected.author),
            ("published_at", timestamp == expected.publishedAt),
            ("language", language),
            ("source", article.source?.name == expected.sourceName && article.source?.domain == expected.sourceDomain),
            ("url", article.url == expected.url),
            ("categories", article.categories == expected.categories),
            ("tags", article.tags.map { [$0.slug, $0.name] } == expected.tags),
            ("paragraphs", article.paragraphs.count == expected.paragraphCount),
            ("first_paragraph", article.paragraphs.first?.hasPrefix(expected.firstParagraphStarts) == true),
            ("last_paragraph", article.paragraphs.last?.hasPrefix(expected.lastParagraphStarts) == true),
            ("boilerplate_out", expected.bodyMustNotContain.allSatisfy { !article.body.contains($0) }),
            ("links", article.links.count == expected.linksCount),
            ("images", article.images.map { [$0.url, $0.alt] } == expected.images),
            ("external_id", article.externalID == expected.externalId),
        ]
    }

    @Test("at least a dozen fixtures of every kind are present")
    func fixturesPresent() {
        let names = Self.documents.map(\.lastPathComponent)
        #expect(names.count >= 12)
        #expect(names.contains { $0.hasSuffix(".html") })
        #expect(names.contains { $0.hasPrefix("text_") })
    }

    @Test("every field of every fixture is extracted right", arguments: documents)
    func fixture(_ document: URL) throws {
        let expectedURL = document.deletingPathExtension().appendingPathExtension("expected.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let expected = try decoder.decode(Expectation.self, from: Data(contentsOf: expectedURL))
        let article = try DocumentExtractor().extract(
            DocumentInput(data: Data(contentsOf: document), fileName: document.lastPathComponent)
        )
        for (field, correct) in Self.grade(article, against: expected) {
            #expect(correct, "\(document.lastPathComponent): \(field) is wrong")
        }
    }
}

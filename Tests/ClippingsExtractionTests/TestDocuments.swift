import ClippingsExtraction
import Foundation

/// Paths to the repository's documents, found from this file so tests run from any directory.
enum TestDocuments {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let seeds = repository.appendingPathComponent("seeds")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Extracts a seed by the start of its file name (`"000"`).
    static func seed(_ prefix: String) throws -> ExtractedArticle {
        let name = try FileManager.default.contentsOfDirectory(atPath: seeds.path).first { $0.hasPrefix(prefix) }!
        let data = try Data(contentsOf: seeds.appendingPathComponent(name))
        return try DocumentExtractor().extract(DocumentInput(data: data, fileName: name))
    }

    /// Extracts a document given as text.
    static func extract(_ text: String, url: String? = nil) throws -> ExtractedArticle {
        try DocumentExtractor().extract(DocumentInput(text: text, url: url))
    }

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
}

import ArgumentParser
import ClippingsExtraction
import ClippingsStore
import Foundation

/// `clippings-corpus`: a deterministic, seeded corpus of realistic articles for benchmarks.
///
/// Zipf-distributed vocabulary (as real text is), 50 sources, 5 000 tags with 3–10 per article, bodies of
/// 400–1 200 words, dates over 20 years, English and Norwegian. It writes plain-text documents for import
/// benchmarks (`--documents DIR`) or builds a database directly (`--db FILE`), the same corpus for the same seed.
@main
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clippings-corpus",
        abstract: "Generate a deterministic benchmark corpus."
    )

    @Option(help: "How many articles.") var count = 10_000
    @Option(help: "Random seed: the same seed gives the same corpus.") var seed: UInt64 = 42
    @Option(help: "Build this SQLite database directly.") var db: String?
    @Option(help: "Write one plain-text document per article into this folder.") var documents: String?
    @Option(help: "Write one JSON article per line into this file (the format of POST /articles/bulk).")
    var ndjson: String?

    func validate() throws {
        guard db != nil || documents != nil || ndjson != nil else {
            throw ValidationError("Give --db FILE, --documents DIR or --ndjson FILE (or several).")
        }
        guard count > 0 else { throw ValidationError("--count must be positive.") }
    }

    func run() async throws {
        var generator = CorpusGenerator(seed: seed)
        let store = try db.map { try AppDatabase.open(path: $0) }
        if let documents {
            try FileManager.default.createDirectory(atPath: documents, withIntermediateDirectories: true)
        }
        let lines: FileHandle? = try ndjson.map { path in
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        defer { try? lines?.close() }
        let started = Date()
        var batch: [ExtractedArticle] = []
        for index in 0..<count {
            let article = generator.article(number: index)
            if let documents {
                let text = ([article.title, ""] + article.paragraphs.flatMap { [$0, ""] }).joined(separator: "\n")
                try Data(text.utf8).write(
                    to: URL(fileURLWithPath: documents).appendingPathComponent(String(format: "%07d.txt", index))
                )
            }
            if let lines { try lines.write(contentsOf: Self.jsonLine(article)) }
            if store != nil { batch.append(article) }
            if batch.count == 1_000 || index == count - 1, let store {
                _ = try await store.importArticles(batch)
                batch.removeAll(keepingCapacity: true)
                FileHandle.standardError.write(Data("\r\(index + 1) articles".utf8))
            }
        }
        // As `clippings import` leaves a file: the index segments of its commits merged.
        try await store?.mergeSearchIndex()
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(String(format: "\n%d articles in %.1f s\n", count, seconds).utf8))
    }

    /// An article as a bulk line: the fields a client would send, the language left to detection.
    static func jsonLine(_ article: ExtractedArticle) throws -> Data {
        var object: [String: Any] = [
            "title": article.title,
            "body": article.paragraphs.joined(separator: "\n\n"),
            "tags": article.tags.map(\.name),
            "categories": article.categories,
        ]
        object["author"] = article.author
        object["url"] = article.url
        object["source"] = article.source?.name
        object["published_at"] = article.publishedAt.map { Timestamp.string($0) }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            + Data("\n".utf8)
    }
}

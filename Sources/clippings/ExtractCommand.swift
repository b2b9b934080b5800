import ArgumentParser
import ClippingsExtraction
import ClippingsStore
import Foundation

/// `clippings extract FILE…`: prints what the extractor makes of documents, storing nothing.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the article extracted from a document as JSON, without storing it.",
        discussion: """
            With --ndjson, any number of documents are read in one process: one JSON object a line, in the \
            order given ({"file": …, "error": …} for a document that holds no article), and last, on standard \
            error, {"documents": N, "seconds": S} with the time spent extracting alone. This is how \
            scripts/eval-extraction measures pages per second.
            """
    )

    @Argument(help: "The documents to read.")
    var files: [String]

    @Option(help: "The URL the document came from (used when the document names none).")
    var url: String?

    @Flag(help: "One compact JSON object a line, for many documents.")
    var ndjson = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name a document to read") }
        guard ndjson || files.count == 1 else { throw ValidationError("several documents need --ndjson") }
    }

    func run() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting =
            ndjson ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let extractor = DocumentExtractor()
        var seconds = 0.0
        for file in files {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CommandError("cannot read '\(file)'")
            }
            let input = DocumentInput(data: data, fileName: (file as NSString).lastPathComponent, url: url)
            let started = ContinuousClock.now
            let result = Result { () throws(ExtractionError) in try extractor.extract(input) }
            seconds += (ContinuousClock.now - started).seconds
            switch result {
            case .success(let article):
                let json = ExtractedArticleJSON(article: article, file: ndjson ? file : nil)
                print(String(decoding: try encoder.encode(json), as: UTF8.self))
            case .failure(let error) where ndjson:
                print(String(decoding: try encoder.encode(["file": file, "error": error.description]), as: UTF8.self))
            case .failure(let error):
                throw error
            }
        }
        if ndjson {
            FileHandle.standardError.write(Data("{\"documents\": \(files.count), \"seconds\": \(seconds)}\n".utf8))
        }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The extracted article in the API's snake_case shape (`ResourceFields.extracted`), with unknown fields as
/// `null`; in `--ndjson` output, with the document's path first, so each line says which document it is.
struct ExtractedArticleJSON: Encodable {
    let article: ExtractedArticle
    var file: String? = nil

    enum CodingKeys: String, CodingKey {
        case file
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(file, forKey: .file)
        try ResourceJSON(article, fields: ResourceFields.extracted).encode(to: encoder)
    }
}

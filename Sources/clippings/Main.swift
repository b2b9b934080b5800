import ArgumentParser
import ClippingsAPI
import ClippingsExtraction
import Foundation

@main struct Main: ParsableCommand {
    @Argument var file: String
    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let article = try DocumentExtractor().extract(DocumentInput(data: data, fileName: file))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(article), as: UTF8.self))
    }
}

import ArgumentParser
import ClippingsStore
import Foundation
import NIOCore

/// `clippings export`: every matching article as NDJSON or CSV, to standard output or a file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export matching articles as NDJSON (whole articles) or CSV (summaries).",
        discussion: "Filters work as the API's: several values of one filter OR together."
    )

    @Option(help: "ndjson or csv.") var format = "ndjson"
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
    @Option(name: .customLong("q"), help: "Full-text search, in the API's query language.") var search: String?
    @Option(help: "Order: -published_at, published_at, title, relevance.") var sort: String?
    @OptionGroup var filters: ArticleFilterOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = try database.bootstrapLogging()
        var parameters: [(name: String, value: String)] = [("format", format)]
        for (name, value) in [("q", search), ("sort", sort)] {
            if let value { parameters.append((name, value)) }
        }
        parameters += filters.parameters
        let store = try await database.openArchive(logger: logger)
        defer { try? store.close() }
        let export: ArticleExport
        do {
            export = try ArticleExport(store: store, parameters: parameters)
        } catch {
            throw CommandError(error.description)
        }
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw CommandError("cannot write '\(output)'")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            handle = FileHandle.standardOutput
        }
        defer { try? handle.close() }
        try await export.write { buffer in handle.write(Data(buffer.readableBytesView)) }
    }
}

import ArgumentParser
import ClippingsStore
import Foundation

/// `clippings import PATH…`: imports files and folders, reporting each file and a summary.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import documents (files or folders, recursively) into the database."
    )

    @Argument(help: "Files or folders to import.")
    var paths: [String]

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let store = try AppDatabase.open(path: database.databasePath, logger: logger)
        let summary = await DocumentImporter(store: store, logger: logger).importPaths(paths) { result in
            switch result.status {
            case .imported(let id): print("imported   \(result.path) -> article \(id)")
            case .duplicate(let id): print("duplicate  \(result.path) -> article \(id)")
            case .failed(let reason): print("failed     \(result.path): \(reason)")
            }
        }
        print("\(summary.imported) imported, \(summary.duplicates) duplicates, \(summary.failed) failed")
        if summary.failed > 0 { throw ExitCode.failure }
    }
}

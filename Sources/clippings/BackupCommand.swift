import ArgumentParser
import ClippingsStore
import Foundation

/// `clippings backup FILE`: a consistent copy of the archive, taken while a server serves and writes it.
///
/// Restore by serving the copy (`clippings serve --db FILE`). The copy is checked before the command
/// says it is done, so a backup that reports success can be served.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file, consistently, while it is served and written.",
        discussion: "Restore by serving the copy: clippings serve --db FILE."
    )

    @Argument(help: "The new file to write (never overwritten).")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let store = try database.openExisting(logger: logger, onPostgres: "back it up with pg_dump")
        let started = Date()
        do {
            try await store.backup(to: file)
        } catch let error as BackupError {
            try store.close()
            throw CommandError(error.description)
        }
        try store.close()
        let copy = try AppDatabase.open(path: file, logger: logger)
        let problems = try await copy.integrityProblems()
        let count = try await copy.articleCount()
        try copy.close()
        guard problems.isEmpty else {
            for problem in problems.prefix(20) { print(problem) }
            throw CommandError("the copy at \(file) failed its check; do not restore from it")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print(
            "backed up \(count) articles to \(file) (\(bytes) bytes)"
                + String(format: " in %.1f s; the copy passes clippings check", Date().timeIntervalSince(started))
        )
    }
}

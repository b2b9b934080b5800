import ArgumentParser
import ClippingsStore
import Foundation

/// `clippings check`: verifies the database file after a crash, a kill or a disk incident.
///
/// Exit status 0 when every check passes, 1 otherwise, so scripts (and `scripts/reliability`) can act on it.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database: SQLite integrity, foreign keys, and the full-text index against the articles."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let store = try database.openExisting(logger: logger)
        let problems = try await store.integrityProblems()
        let count = try await store.articleCount()
        try store.close()
        for check in AppDatabase.integrityChecks {
            let found = problems.filter { $0.check == check }
            print("\(check): \(found.isEmpty ? "ok" : "\(found.count) problem(s)")")
            for problem in found.prefix(20) { print("  \(problem.detail)") }
        }
        print(problems.isEmpty ? "ok: \(count) articles" : "FAILED: \(problems.count) problem(s)")
        if !problems.isEmpty { throw ExitCode.failure }
    }
}

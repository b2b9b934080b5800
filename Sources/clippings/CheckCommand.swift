import ArgumentParser
import ClippingsStore
import Foundation

/// `clippings check`: verifies the archive after a crash, a kill, a disk incident or a copy.
///
/// Exit status 0 when every check passes, 1 otherwise, so scripts (and `scripts/reliability`) can act on it.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check the archive: on SQLite its pages, foreign keys and full-text index; on both backends the counts, search data and change feed kept beside the articles."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let store = try await database.openArchive(logger: logger)
        let problems = try await store.integrityProblems()
        let count = try await store.articleCount()
        try store.close()
        for check in store.integrityCheckNames {
            let found = problems.filter { $0.check == check }
            print("\(check): \(found.isEmpty ? "ok" : "\(found.count) problem(s)")")
            for problem in found.prefix(20) { print("  \(problem.detail)") }
        }
        print(problems.isEmpty ? "ok: \(count) articles" : "FAILED: \(problems.count) problem(s)")
        if !problems.isEmpty { throw ExitCode.failure }
    }
}

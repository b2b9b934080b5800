import ArgumentParser
import ClippingsAPI
import ClippingsStore
import Foundation
import Logging

/// `clippings copy --from A --to B`: moves an archive between SQLite and PostgreSQL (either way, or between
/// two of one kind), keeping every article's id and slug, then verifies the two ends.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an archive between backends: a SQLite file or a postgres:// address on either end.",
        discussion: """
            The destination must be empty (a new file, or a PostgreSQL database without articles). Articles \
            keep their ids, slugs, times and raw documents, so every URL keeps working. Stories are placed \
            again as the articles arrive at the destination; the change feed starts anew, and \
            webhook subscriptions are not copied. Afterwards the counts of both ends are compared and both are \
            checked as `clippings check` does; the exit status is 1 if anything differs. Stop writers to the \
            source first: articles written during the copy may be missed.
            """
    )

    @Option(help: "The archive to copy: a SQLite file or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.")
    var from: String

    @Option(help: "Where to copy it: a new SQLite file or an empty PostgreSQL database.")
    var to: String

    @Option(help: "Articles per transaction.") var batch = 500

    @Option(name: .long, help: ArgumentHelp(ServerConfiguration.setting("log-level").help))
    var logLevel: String?

    func validate() throws {
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 10000.") }
        guard from != to else { throw ValidationError("--from and --to name the same archive.") }
    }

    func run() async throws {
        let level: Logger.Level
        do {
            level = try ServerConfiguration.resolve(
                flags: ["log-level": logLevel].compactMapValues { $0 },
                environment: ProcessInfo.processInfo.environment,
                only: ["log-level"]
            ).logLevel
        } catch {
            throw ValidationError(error.description)
        }
        let logger = DatabaseOptions.bootstrapLogging(level: level)
        let source = try await ArchiveAddress.open(from, creating: false, logger: logger)
        defer { try? source.close() }
        let destination = try await ArchiveAddress.open(to, creating: true, logger: logger)
        defer { try? destination.close() }
        var copy = ArchiveCopy(from: source, to: destination)
        copy.batchSize = batch
        let started = Date()
        let copied: Int
        do {
            copied = try await copy.run { done in
                FileHandle.standardError.write(Data("\rcopied \(done) articles".utf8))
            }
        } catch let error as CopyError {
            throw CommandError(error.description)
        }
        FileHandle.standardError.write(Data("\n".utf8))
        let seconds = Date().timeIntervalSince(started)
        print(
            "copied \(copied) articles from \(ArchiveAddress.display(from)) to \(ArchiveAddress.display(to))"
                + String(format: " in %.1f s", seconds)
        )
        var failed = false
        let differences = try await copy.differences()
        print("counts: " + (differences.isEmpty ? "ok (articles, tags, sources)" : "\(differences.count) differ"))
        for difference in differences.prefix(20) { print("  \(difference)") }
        failed = !differences.isEmpty
        for (name, archive) in [("source", source), ("destination", destination)] {
            let problems = try await archive.integrityProblems()
            print("check \(name): " + (problems.isEmpty ? "ok" : "\(problems.count) problem(s)"))
            for problem in problems.prefix(20) { print("  \(problem)") }
            failed = failed || !problems.isEmpty
        }
        if failed { throw ExitCode.failure }
    }
}

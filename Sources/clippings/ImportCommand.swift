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

    /// One processor is left to the database writer, the slowest stage: a third extracting thread on two
    /// cores only takes turns with the writer, so it slows the import instead of speeding it up.
    @Option(help: "How many files to extract in parallel (default: the number of processors less one, at least 1).")
    var jobs: Int?

    @Option(
        help: """
            Articles stored per transaction; smaller batches hold the database's write lock for less time \
            when a server writes to the same file.
            """
    )
    var batch = DocumentImporter.defaultBatchSize

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...256).contains(jobs ?? 1) else { throw ValidationError("--jobs must be between 1 and 256.") }
        guard (1...100_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 100000.") }
    }

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let store = try await database.openArchive(creating: true, logger: logger)
        // On a terminal: a progress bar, and only failures line by line. Otherwise: one line per file.
        let terminal = isatty(STDOUT_FILENO) == 1
        let started = Date()
        let importer = DocumentImporter(store: store, logger: logger) { line in try ArticleLine.article(from: line) }
        let jobs = jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        let importAll = {
            await importer.importPaths(paths, jobs: jobs, batchSize: batch) { result in
                // Cut articles are reported even on a terminal: the file did not arrive whole.
                let cut = result.cuts.isEmpty ? "" : " (" + result.cuts.joined(separator: "; ") + ")"
                let line: String? =
                    switch result.status {
                    case .imported(let id):
                        !terminal || !cut.isEmpty ? "imported   \(result.path) -> article \(id)" : nil
                    case .duplicate(let id):
                        !terminal || !cut.isEmpty ? "duplicate  \(result.path) -> article \(id)" : nil
                    case .failed(let reason): "failed     \(result.path): \(reason)"
                    case .skipped(let reason): "skipped    \(result.path): \(reason)"
                    }
                if let line { print((terminal ? "\r\u{1B}[K" : "") + line + cut) }
            } onProgress: { done, total in
                guard terminal else { return }
                let line = Self.progressLine(done: done, total: total, elapsed: Date().timeIntervalSince(started))
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        }
        let summary: DocumentImporter.Summary
        if let sqlite = store as? AppDatabase {
            // Checkpoints run beside the writer, not in its turn, so the writer never stops its inserts for one.
            summary = try await sqlite.checkpointingInBackground {
                let summary = await importAll()
                // The segments the import's commits left merged, so searches of the file are as fast as before.
                try await sqlite.updateSearchPostings()
                if summary.imported > 0 { try await sqlite.mergeSearchIndex() }
                return summary
            }
        } else {
            summary = await importAll()
        }
        // The log folded into the file before the rate is taken: the import is done when the file is whole.
        try store.close()
        if terminal { print() }
        let rate = Double(summary.results.count) / max(Date().timeIntervalSince(started), 0.001)
        print(
            "\(summary.imported) imported, \(summary.duplicates) duplicates, \(summary.failed) failed, "
                + "\(summary.skipped) skipped"
                + String(format: " (%.0f files/s)", rate)
        )
        if summary.failed > 0 { throw ExitCode.failure }
    }

    /// `[#########-----------]  450/1000  312 files/s  ETA 2s`
    static func progressLine(done: Int, total: Int, elapsed: TimeInterval) -> String {
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let rate = Double(done) / max(elapsed, 0.001)
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return String(format: "\r[%@] %d/%d  %.0f files/s  ETA %.0fs", bar, done, total, rate, remaining)
    }
}

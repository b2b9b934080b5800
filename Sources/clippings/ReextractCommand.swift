import ArgumentParser
import ClippingsStore
import Foundation
import Logging

/// `clippings reextract`: runs the current extractor over the raw documents kept with the archive.
struct ReextractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reextract",
        abstract: "Extract stored articles again from their raw documents with the current extractor.",
        discussion: """
            Articles keep their ids and slugs; each one whose fields come out different is rewritten, a batch \
            per short transaction, so a server on the same file keeps serving. Articles given as JSON, and \
            articles stored before raw documents were kept, have no document and are left as they are; so \
            are articles edited by hand (PATCH), unless --overwrite-edits. The report counts each case and \
            how many articles each field changed in.
            """
    )

    @OptionGroup var filters: ArticleFilterOptions

    @Flag(help: "Report what would change, writing nothing.")
    var dryRun = false

    @Flag(help: "Also re-extract articles edited by hand since they were imported, undoing the edits.")
    var overwriteEdits = false

    @Option(help: "Articles per transaction.")
    var batch = 200

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 10000.") }
    }

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let store = try await database.openArchive(logger: logger)
        let report = try await store.reextract(
            matching: try filters.query(),
            batchSize: batch,
            dryRun: dryRun,
            overwritingEdits: overwriteEdits,
            onBatch: { progress in
                logger.info(
                    "re-extracted a batch",
                    metadata: ["reextract.done": "\(progress.reextracted)", "reextract.changed": "\(progress.changed)"]
                )
            }
        )
        // SQLite's index took the rewrites as new segments; PostgreSQL's GIN index needs no merging.
        if report.changed > 0, !dryRun, let sqlite = store as? AppDatabase { try await sqlite.mergeSearchIndex() }
        try store.close()
        print(Self.describe(report, dryRun: dryRun))
    }

    static func describe(_ report: ReextractReport, dryRun: Bool) -> String {
        var lines = [
            "\(report.articles) articles selected",
            "\(report.reextracted) extracted again: \(report.changed) \(dryRun ? "would change" : "changed"), "
                + "\(report.reextracted - report.changed) unchanged",
        ]
        if report.withoutDocument > 0 {
            let all = report.withoutDocument == report.articles
            lines.append(
                "\(report.withoutDocument) without a raw document, left as they are (given as JSON, or stored "
                    + "before documents were kept\(all ? ": this archive predates them: `clippings import` of the same documents adds them to their articles" : ""))"
            )
        }
        if report.editedByHand > 0 {
            lines.append("\(report.editedByHand) edited by hand, left as they are (--overwrite-edits to include)")
        }
        if report.failed > 0 {
            lines.append("\(report.failed) whose documents no longer give an article, left as they are")
        }
        for (field, count) in report.fieldChanges.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            lines.append("  \(field): \(count)")
        }
        if !report.changedIDs.isEmpty {
            lines.append("changed articles: " + report.changedIDs.map(String.init).joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import ClippingsStore
import Foundation

/// `clippings stories rebuild`: reclusters the archive from scratch after the story algorithm changed, or
/// to give an archive from before stories its stories.
struct StoriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stories",
        abstract: "Manage stories: the archive's grouping of articles by event.",
        subcommands: [Rebuild.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recluster every article into stories from scratch, keeping story ids where it can.",
            discussion: """
                Old ids are kept by the new story most of their articles joined; an old id no story kept \
                redirects (308) to where most of its articles went. One transaction: all or nothing.
                """
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = try database.bootstrapLogging()
            let store = try await database.openArchive(logger: logger)
            let report = try await store.rebuildStories(now: Date())
            try store.close()
            print(
                """
                \(report.articles) articles in \(report.stories) stories (\(report.copies) copies); \
                \(report.keptIDs) story ids kept, \(report.newIDs) new, \(report.redirectedIDs) old ids redirected; \
                \(report.movedArticles) articles changed story
                """
            )
        }
    }
}

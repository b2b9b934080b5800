import ArgumentParser
import Foundation
import Logging

/// The `clippings` command: serve the archive, import documents into it, or try the extractor.
@main
struct Clippings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A searchable archive of news articles, served as an HTTP JSON API.",
        subcommands: [
            ServeCommand.self, ImportCommand.self, ExtractCommand.self, ExportCommand.self, HealthCommand.self,
            CheckCommand.self, ReextractCommand.self, BackupCommand.self, StoriesCommand.self, CopyCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

/// A failure reported to the user as one line, without the usage text a `ValidationError` adds.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

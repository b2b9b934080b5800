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
            CheckCommand.self, ReextractCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

/// Options every command that opens the archive shares; each falls back to a `CLIPPINGS_*` variable.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env CLIPPINGS_DB, default ./clippings.sqlite).")
    var db: String?

    @Option(
        name: .long,
        help: "Log level: trace, debug, info, notice, warning, error, critical (env CLIPPINGS_LOG_LEVEL, default info)."
    )
    var logLevel: String?

    var databasePath: String { db ?? Environment.value("CLIPPINGS_DB") ?? "./clippings.sqlite" }

    func resolvedLogLevel() throws -> Logger.Level {
        let text = logLevel ?? Environment.value("CLIPPINGS_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("Unknown log level '\(text)'.")
        }
        return level
    }

    /// Sends logs to standard error, so standard output stays for results.
    func bootstrapLogging() throws -> Logger {
        let level = try resolvedLogLevel()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "clippings")
        logger.logLevel = level
        return logger
    }
}

enum Environment {
    /// A non-empty environment variable.
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// A failure reported to the user as one line, without the usage text a `ValidationError` adds.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

import ArgumentParser
import ClippingsAPI
import ClippingsStore
import Foundation
import Logging

/// Options every command that opens the archive shares, read as `clippings serve` reads them (flag, then
/// `CLIPPINGS_*` variable, then the default of `ServerConfiguration`).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ServerConfiguration.setting("db").help))
    var db: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp(ServerConfiguration.setting("database-url").help))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp(ServerConfiguration.setting("log-level").help))
    var logLevel: String?

    /// The flags given, by name.
    var flags: [String: String] {
        ["db": db, "database-url": databaseURL, "log-level": logLevel].compactMapValues { $0 }
    }

    /// These options with the environment and defaults behind them.
    func resolved() throws -> ServerConfiguration {
        do {
            return try ServerConfiguration.resolve(
                flags: flags,
                environment: ProcessInfo.processInfo.environment,
                only: ["db", "database-url", "log-level"]
            )
        } catch {
            throw ValidationError(error.description)
        }
    }

    var databasePath: String { ((try? resolved())?.databasePath) ?? ServerConfiguration().databasePath ?? "" }

    func resolvedLogLevel() throws -> Logger.Level {
        try resolved().logLevel
    }

    /// The archive at `databasePath`, which must exist (a maintenance command never creates one).
    func openExisting(logger: Logger, onPostgres instead: String? = nil) throws -> AppDatabase {
        try refusePostgres(instead: instead)
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CommandError("no database at \(databasePath)")
        }
        return try AppDatabase.open(path: databasePath, logger: logger)
    }

    /// The archive these options name: on PostgreSQL when `--database-url` (or its variable) is given,
    /// else the SQLite file, which must exist unless `creating`.
    func openArchive(creating: Bool = false, logger: Logger) async throws -> any ArchiveMaintenance {
        try await ArchiveAddress.open(try resolved().databaseURL ?? databasePath, creating: creating, logger: logger)
    }

    /// Commands whose work is SQLite's own stop here when given a PostgreSQL address, rather than quietly
    /// opening the file; `instead` says what to use on PostgreSQL.
    func refusePostgres(instead: String? = nil) throws {
        if try resolved().databaseURL != nil {
            throw CommandError(
                "this command works on the SQLite archive only" + (instead.map { "; on PostgreSQL, \($0)" } ?? "")
            )
        }
    }

    /// Sends logs to standard error, so standard output stays for results.
    func bootstrapLogging() throws -> Logger {
        Self.bootstrapLogging(level: try resolvedLogLevel())
    }

    /// Sends logs at `level` and above to standard error.
    static func bootstrapLogging(level: Logger.Level) -> Logger {
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

import Foundation
import GRDB
import Logging

/// The archive's SQLite database: one file, WAL, foreign keys on, migrated on open.
///
/// Production opens a `DatabasePool` (one writer, concurrent readers, so reads never wait on imports);
/// tests use an in-memory `DatabaseQueue`. Every access is `async` so no NIO event loop ever blocks on SQLite.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    let logger: Logger

    /// Wraps a connection and applies every pending migration.
    public init(_ writer: any DatabaseWriter, logger: Logger = Logger(label: "clippings.store")) throws {
        self.writer = writer
        self.logger = logger
        try Self.migrator.migrate(writer)
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String, logger: Logger = Logger(label: "clippings.store")) throws -> AppDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try AppDatabase(DatabasePool(path: path, configuration: configuration), logger: logger)
    }

    /// A private in-memory database, for tests.
    public static func inMemory(logger: Logger = Logger(label: "clippings.store")) throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration), logger: logger)
    }

    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers queue behind each other instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Every connection must know the full-text tokenizer before it touches `article_fts`.
            db.add(tokenizer: ArchiveTokenizer.self)
            // WAL makes NORMAL durable against process crashes; only a power cut can lose the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer keeps up to 32 MB of pages (readers keep SQLite's 2 MB): an import batch touches
            // index pages all over the file, and rereading them from the OS showed in the import profile.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -32768")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
            }
        }
        return configuration
    }
}

extension AppDatabase {
    /// Whether the database answers a query and every migration is applied: what `/ready` reports.
    public func isReady() async throws -> Bool {
        try await writer.read { db in try Self.migrator.hasCompletedMigrations(db) }
    }

    /// Bytes on disk: the database file and its write-ahead log; `nil` for an in-memory database.
    public func databaseSize() async -> Int? {
        let path = writer.path
        guard path != ":memory:", !path.isEmpty else { return nil }
        return [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    /// Closes every connection, checkpointing the write-ahead log into the database file.
    public func close() throws {
        try (writer as? DatabasePool)?.close()
    }
}

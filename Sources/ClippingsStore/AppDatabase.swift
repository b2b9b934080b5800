import Foundation
import GRDB
import Logging

/// The archive's SQLite database: one file, WAL, foreign keys on, migrated on open.
///
/// Production opens a `DatabasePool` (one writer, concurrent readers, so reads never wait on imports);
/// tests use an in-memory `DatabaseQueue`. Every query is `async` so no NIO event loop ever blocks on SQLite;
/// the one synchronous call, `dataVersion()`, is an atomic read nearly always (see `ChangeTracker`).
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    let logger: Logger
    /// A connection of its own for `PRAGMA data_version`, whose value is per connection (nil in memory).
    let changeWatcher: DatabaseQueue?
    let changes: ChangeTracker
    /// The archive's facet values in memory, for counting a search's facets (`FacetColumns`).
    let facetColumns = FacetColumnsCache()
    /// The last searches' matches, for the facets asked with their pages.
    let matchMemo = MatchMemo()
    /// Tag slugs and names by id, for the summaries of pages (`TagNames`).
    let tagNames = TagNames()

    /// How stale a cached answer may be after another process commits: 1 ms.
    public static let defaultChangeCheckInterval = Duration.milliseconds(1)

    /// Wraps a connection and applies every pending migration. `changeCheckInterval`: how often at most
    /// `dataVersion()` looks for other processes' commits (this process's own count at once).
    public init(
        _ writer: any DatabaseWriter,
        changeWatcher: DatabaseQueue? = nil,
        changeCheckInterval: Duration = defaultChangeCheckInterval,
        logger: Logger = Logger(label: "clippings.store")
    ) throws {
        self.writer = writer
        self.changeWatcher = changeWatcher
        self.changes = ChangeTracker(watcher: changeWatcher, interval: changeCheckInterval)
        self.logger = logger
        try Self.migrator.migrate(writer)
        writer.add(transactionObserver: changes, extent: .databaseLifetime)
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(
        path: String,
        changeCheckInterval: Duration = defaultChangeCheckInterval,
        logger: Logger = Logger(label: "clippings.store")
    ) throws -> AppDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: configuration)
        var watching = Configuration()
        watching.readonly = true
        return try AppDatabase(
            pool,
            changeWatcher: DatabaseQueue(path: path, configuration: watching),
            changeCheckInterval: changeCheckInterval,
            logger: logger
        )
    }

    /// A private in-memory database, for tests.
    public static func inMemory(logger: Logger = Logger(label: "clippings.store")) throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration), logger: logger)
    }

    /// Log pages after which the writer checkpoints by itself (40 MB): fewer, larger checkpoints than
    /// SQLite's 1 000, since each one stops the writer's inserts.
    static let writerCheckpointPages = 10_000

    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers queue behind each other instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Every connection must know the full-text tokenizer before it touches `article_fts`.
            db.add(tokenizer: ArchiveTokenizer.self)
            // And the ranking functions relevance pages score with.
            SearchRankingFunctions.register(db)
            // And the check that stops a statement past its task's deadline (`QueryBudget`).
            QueryBudget.install(on: db)
            // WAL makes NORMAL durable against process crashes; only a power cut can lose the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer keeps up to 32 MB of pages (readers keep SQLite's 2 MB): an import batch touches
            // index pages all over the file, and rereading them from the OS slows the import's slowest stage.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -32768")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(writerCheckpointPages)")
            }
        }
        return configuration
    }
}

extension AppDatabase {
    /// A read of articles, with the archive's tag names at hand for their summaries.
    func readArticles<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let tagNames = self.tagNames
        return try await writer.read { db in try TagNames.$current.withValue(tagNames) { try body(db) } }
    }

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

    /// A number that changes whenever anything is committed to the archive: at once by this process, within
    /// the change-check interval by another (a `clippings import` into the served file). What cached
    /// responses are checked against.
    public func dataVersion() throws -> Int64 {
        try changes.version()
    }

    /// Closes every connection, folding the write-ahead log into the database file first, so the file alone
    /// is the whole archive (a copy or backup of it misses nothing). The pool cannot do it itself: it closes
    /// the writer before the readers, and the last connection to close, a reader, may not checkpoint.
    public func close() throws {
        try changeWatcher?.close()
        guard let pool = writer as? DatabasePool else { return }
        do {
            try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // Another process (a server, an import) is reading the file: it checkpoints when it closes.
            logger.info("write-ahead log left to the file's other users", metadata: ["error": "\(error)"])
        }
        try pool.close()
    }
}

extension AppDatabase {
    /// Checkpoints the write-ahead log from a connection of its own, every `interval`, until cancelled, and
    /// meanwhile lets the writer's own checkpoints wait for a much larger log.
    ///
    /// A bulk import's writer is the slowest stage; a checkpoint it runs itself (copying the log into the
    /// database file and syncing it) stops its inserts, while the other cores have time to spare. A
    /// passive checkpoint never blocks the writer or readers; the writer's threshold stays as a backstop.
    public func checkpointingInBackground<Result: Sendable>(
        every interval: Duration = .milliseconds(250),
        _ body: () async throws -> Result
    ) async throws -> Result {
        let path = writer.path
        guard path != ":memory:", !path.isEmpty else { return try await body() }
        let checkpointer = try DatabaseQueue(path: path)
        try await writer.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.writerCheckpointPages * 10)")
        }
        let task = Task.detached {
            while !Task.isCancelled {
                try? await checkpointer.writeWithoutTransaction { try $0.checkpoint(.passive) }
                try? await Task.sleep(for: interval)
            }
        }
        defer { task.cancel() }
        let result = try await body()
        task.cancel()
        _ = await task.value
        try await writer.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.writerCheckpointPages)")
        }
        try checkpointer.close()
        return result
    }
}

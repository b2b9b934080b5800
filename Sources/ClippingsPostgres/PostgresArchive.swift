import ClippingsStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The archive on PostgreSQL: the second `ArchiveStore`, through a postgres-nio connection pool.
///
/// Writes take one transaction-scoped advisory lock, so they follow one another as SQLite's do: change
/// numbers are then given in commit order, and slugs and story placement see every earlier write. Reads
/// run in a repeatable-read snapshot, so a page and its total agree. Another process's commits (a
/// `clippings import`, another node) are seen by `dataVersion()` within `versionPollInterval`.
public final class PostgresArchive: Sendable {
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>
    private let version = Mutex<Int64>(0)
    private let polling = Mutex<Task<Void, Never>?>(nil)

    /// The lock every write transaction holds (an arbitrary number, the same in every process).
    static let writerLock: Int64 = 0x436C_6970_7069_6E67
    /// How often the archive's version is read while serving.
    static let versionPollInterval: Duration = .milliseconds(100)

    /// Connects, migrates and starts following the archive's version.
    public static func open(
        _ url: DatabaseURL,
        connections: Int = 16,
        logger: Logger = Logger(label: "clippings.postgres")
    ) async throws -> PostgresArchive {
        let archive = PostgresArchive(
            client: PostgresClient(configuration: url.configuration(connections: connections)),
            logger: logger
        )
        do {
            try await archive.migrate()
            // Asked in a read first: a start takes the writer's lock (and moves the version) only to rebuild.
            let searchIsCurrent = try await archive.read { connection in
                try await PostgresSearchVectors(connection: connection, logger: archive.logger).isCurrent()
            }
            if !searchIsCurrent {
                try await archive.write { connection in
                    try await PostgresSearchVectors(connection: connection, logger: archive.logger).rebuildIfOlder()
                }
            }
            let current = try await archive.readVersion()
            archive.version.withLock { $0 = current }
        } catch {
            archive.close()
            throw error
        }
        archive.startPolling()
        return archive
    }

    private init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
    }

    /// Stops polling and closes every connection.
    public func close() {
        polling.withLock { $0?.cancel() }
        running.cancel()
    }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot.
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` as the one writer, in a transaction that commits all or nothing and moves the version.
    func write<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let (result, newVersion) = try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
                let result = try await body(connection)
                let version =
                    try await connection.query(
                        "UPDATE archive_state SET version = version + 1 RETURNING version",
                        logger: logger
                    ).collect().first?.decode(Int64.self) ?? 0
                try await connection.query("COMMIT", logger: logger)
                return (result, version)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
        version.withLock { $0 = max($0, newVersion) }
        return result
    }

    // MARK: Version

    func readVersion() async throws -> Int64 {
        try await client.query("SELECT version FROM archive_state", logger: logger).collect().first?
            .decode(Int64.self) ?? 0
    }

    private func startPolling() {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.versionPollInterval)
                guard let self else { return }
                if let current = try? await self.readVersion() {
                    self.version.withLock { $0 = max($0, current) }
                }
            }
        }
        polling.withLock { $0 = task }
    }

    /// The last version seen.
    var currentVersion: Int64 { version.withLock { $0 } }

    // MARK: Migrations

    /// Applies the migrations not applied yet, each in its own transaction, under the writer's lock.
    func migrate() async throws {
        try await client.query(
            "CREATE TABLE IF NOT EXISTS clippings_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger
        )
        for migration in PostgresSchema.migrations {
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
                    let applied = try await connection.query(
                        "SELECT 1 FROM clippings_migration WHERE name = \(migration.name)",
                        logger: logger
                    ).collect()
                    if applied.isEmpty {
                        // One statement at a time: the extended protocol takes one per message.
                        for statement in PostgresSchema.statements(of: migration.sql) {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query(
                            "INSERT INTO clippings_migration (name) VALUES (\(migration.name))",
                            logger: logger
                        )
                        logger.info("migrated", metadata: ["migration": "\(migration.name)"])
                    }
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Whether every migration is applied.
    func isMigrated() async throws -> Bool {
        let applied =
            try await client.query("SELECT count(*) FROM clippings_migration", logger: logger).collect()
            .first?.decode(Int64.self) ?? 0
        return applied == PostgresSchema.migrations.count
    }
}

extension PostgresConnection {
    /// Every row of a statement.
    func rows(_ statement: SQLBuilder, logger: Logger) async throws -> [PostgresRow] {
        try await query(statement.query, logger: logger).collect()
    }

    /// Runs a statement for its effect.
    func run(_ statement: SQLBuilder, logger: Logger) async throws {
        _ = try await query(statement.query, logger: logger).collect()
    }

    /// The first column of the first row, or nil.
    func value<Value: PostgresDecodable>(
        _ type: Value.Type,
        _ statement: SQLBuilder,
        logger: Logger
    ) async throws
        -> Value?
    {
        guard let cell = try await rows(statement, logger: logger).first?.makeRandomAccess()[0], cell.bytes != nil
        else { return nil }
        return try cell.decode(Value.self)
    }
}

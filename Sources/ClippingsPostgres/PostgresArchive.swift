import ClippingsStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The archive on PostgreSQL: the second `ArchiveStore`, through a postgres-nio connection pool.
///
/// Writes take one transaction-scoped advisory lock, so they follow one another as SQLite's do: change
/// numbers are then given in commit order, and slugs and story placement see every earlier write. Reads
/// run in a repeatable-read snapshot, so a page and its total agree, on a read replica when one has
/// replayed what this node has seen (`ReadReplicas`). Another process's commits (a `clippings import`,
/// another node) reach `dataVersion()` as they commit, by `NOTIFY`, and within `versionPollInterval` if
/// the listening connection is lost.
public final class PostgresArchive: Sendable {
    let client: PostgresClient
    let logger: Logger
    let replicas: ReadReplicas
    private let running: Task<Void, Never>
    private let runningReplicas: Task<Void, Never>
    private let version = Mutex<Int64>(0)
    private let following = Mutex<[Task<Void, Never>]>([])

    /// The lock every write transaction holds (an arbitrary number, the same in every process).
    static let writerLock: Int64 = 0x436C_6970_7069_6E67
    /// How often the archive's version is read while serving, besides the notifications.
    static let versionPollInterval: Duration = .milliseconds(100)
    /// How long a read or write waits for a connection to the primary before it is answered 503: a pool
    /// whose server is down keeps requests waiting while it retries, up to its circuit breaker's minute.
    static let primaryLeaseTimeout: Duration = .seconds(5)
    /// The channel each write's new version is announced on.
    static let versionChannel = "clippings_version"

    /// Connects, migrates and starts following the archive's version; reads go to `replicas` (streaming
    /// replicas of `url`'s server) whenever they are fresh enough.
    public static func open(
        _ url: DatabaseURL,
        replicas: [DatabaseURL] = [],
        connections: Int = 16,
        logger: Logger = Logger(label: "clippings.postgres")
    ) async throws -> PostgresArchive {
        let archive = PostgresArchive(
            client: PostgresClient(configuration: url.configuration(connections: connections)),
            replicas: ReadReplicas(replicas, connections: connections, logger: logger),
            logger: logger
        )
        do {
            try await archive.migrate()
            // Asked in a read first: a start takes the writer's lock (and moves the version) only to rebuild.
            let searchIsCurrent = try await archive.readPrimary { connection in
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
        archive.startFollowing()
        return archive
    }

    private init(client: PostgresClient, replicas: ReadReplicas, logger: Logger) {
        self.client = client
        self.replicas = replicas
        self.logger = logger
        running = Task { await client.run() }
        runningReplicas = replicas.run()
    }

    /// Stops following the version and closes every connection.
    public func close() {
        for task in following.withLock({ $0 }) { task.cancel() }
        runningReplicas.cancel()
        running.cancel()
    }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot: on a replica that has replayed the version this node has seen,
    /// else on the primary.
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        if !replicas.isEmpty,
            let result = try await replicas.read(
                atLeast: currentVersion,
                { try await $0.transaction(Self.snapshot, logger: logger, body) }
            )
        {
            return result
        }
        let result = try await readPrimary(body)
        replicas.countPrimaryRead()
        return result
    }

    /// Runs `body` in a read-only snapshot on the primary (at start, before any replica has been probed).
    func readPrimary<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection(within: Self.primaryLeaseTimeout) {
            try await $0.transaction(Self.snapshot, logger: logger, body)
        }
    }

    /// Opens a read's transaction: a snapshot, so a page and its total agree.
    private static let snapshot: PostgresQuery = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    /// Runs `body` as the one writer, in a transaction that commits all or nothing and moves the version.
    func write<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let (result, newVersion) = try await client.withConnection(within: Self.primaryLeaseTimeout) { connection in
            try await connection.transaction(logger: logger) { connection in
                try await connection.run("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
                let result = try await body(connection)
                // Announced to every listening node as the transaction commits (and not at all if it does not).
                let version =
                    try await connection.rows(
                        """
                        WITH moved AS (UPDATE archive_state SET version = version + 1 RETURNING version)
                        SELECT moved.version FROM moved, pg_notify(\(Self.versionChannel), moved.version::text)
                        """,
                        logger: logger
                    ).first?.decode(Int64.self) ?? 0
                return (result, version)
            }
        }
        observe(newVersion)
        return result
    }

    // MARK: Version

    func readVersion() async throws -> Int64 {
        try await client.rows("SELECT version FROM archive_state", logger: logger).first?.decode(Int64.self) ?? 0
    }

    /// Follows other processes' commits: by `LISTEN` (re-established a second after a lost connection)
    /// and by reading the version every `versionPollInterval`, which also covers the gap while listening
    /// is re-established.
    private func startFollowing() {
        let polling = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.versionPollInterval)
                guard let self else { return }
                if let current = try? await self.readVersion() { self.observe(current) }
            }
        }
        let listening = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    try await self?.listen()
                } catch {
                    self?.logger.debug("version notifications lost", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        following.withLock { $0 = [polling, listening] }
    }

    private func listen() async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.versionChannel) { notifications in
                for try await notification in notifications {
                    if let announced = Int64(notification.payload) { observe(announced) }
                }
            }
        }
    }

    private func observe(_ seen: Int64) {
        version.withLock { $0 = max($0, seen) }
    }

    /// The last version seen.
    var currentVersion: Int64 { version.withLock { $0 } }

    // MARK: Migrations

    /// Applies the migrations not applied yet, each in its own transaction, under the writer's lock.
    func migrate() async throws {
        _ = try await client.rows(
            "CREATE TABLE IF NOT EXISTS clippings_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger
        )
        for migration in PostgresSchema.migrations {
            try await client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection in
                    try await connection.run("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
                    let applied = try await connection.rows(
                        "SELECT 1 FROM clippings_migration WHERE name = \(migration.name)",
                        logger: logger
                    )
                    if applied.isEmpty {
                        // One statement at a time: the extended protocol takes one per message.
                        for statement in PostgresSchema.statements(of: migration.sql) {
                            try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.run(
                            "INSERT INTO clippings_migration (name) VALUES (\(migration.name))",
                            logger: logger
                        )
                        logger.info("migrated", metadata: ["migration": "\(migration.name)"])
                    }
                }
            }
        }
    }

    /// Whether every migration is applied.
    func isMigrated() async throws -> Bool {
        let applied =
            try await client.rows("SELECT count(*) FROM clippings_migration", logger: logger).first?.decode(Int64.self)
            ?? 0
        return applied == PostgresSchema.migrations.count
    }
}

import ClippingsStore
import Logging
import PostgresNIO
import Synchronization

/// Streaming replicas of the archive's primary, which take a node's reads when they can answer as fresh
/// as the primary would.
///
/// Freshness is judged by the archive's version, not by WAL positions: every write moves
/// `archive_state.version` in its own transaction, under the writer's lock, so a replica that shows version
/// V has replayed every commit up to V. A read needs the version the node has seen (its own writes at
/// once, other nodes' through `LISTEN`); a replica probed at or past it answers, any other read goes to the
/// primary. A replica that fails is set aside until a probe gets an answer again.
final class ReadReplicas: Sendable {
    private let replicas: [Replica]
    private let connections: Int
    private let turn = Atomic<UInt>(0)
    private let replicaReads = Atomic<Int>(0)
    private let primaryReads = Atomic<Int>(0)
    private let logger: Logger

    /// How often each replica's version is read.
    static let probeInterval: Duration = .milliseconds(100)
    /// How long a read waits for a replica's connection before asking the primary instead.
    static let leaseTimeout: Duration = .seconds(1)

    init(_ addresses: [DatabaseURL], connections: Int, logger: Logger) {
        replicas = addresses.map(Replica.init)
        self.connections = connections
        self.logger = logger
    }

    var isEmpty: Bool { replicas.isEmpty }

    /// Probes each replica until cancelled, which also closes their pools.
    func run() -> Task<Void, Never> {
        Task {
            await withDiscardingTaskGroup { group in
                for replica in replicas {
                    group.addTask { await self.probe(replica) }
                }
            }
            for replica in replicas { replica.retire() }
        }
    }

    /// Runs `body` on a replica that has replayed `version`, or returns nil when none has (or the one
    /// tried failed for want of availability, which sets it aside): the caller then asks the primary.
    func read<Result: Sendable>(
        atLeast version: Int64,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result? {
        let ready = replicas.compactMap { replica in replica.client(ifReplayed: version).map { (replica, $0) } }
        guard !ready.isEmpty else { return nil }
        let (replica, client) = ready[Int(turn.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(ready.count))]
        do {
            let result = try await client.withConnection(within: Self.leaseTimeout, body)
            replicaReads.add(1, ordering: .relaxed)
            return result
        } catch  where !Task.isCancelled && PostgresAvailability.unavailability(of: error) != nil {
            setAside(replica, because: error)
            return nil
        }
    }

    /// Counts a read the primary answered.
    func countPrimaryRead() {
        primaryReads.add(1, ordering: .relaxed)
    }

    /// Where reads went, and which replicas take them now.
    var routing: ReadRouting {
        ReadRouting(
            primaryReads: primaryReads.load(ordering: .relaxed),
            replicaReads: replicaReads.load(ordering: .relaxed),
            replicas: replicas.map { ReadRouting.Replica(address: "\($0.address)", available: $0.isAvailable) }
        )
    }

    /// Reads the replica's version every `probeInterval`. A replica set aside is probed through a new pool
    /// (the old one may be waiting out a reconnection backoff that grows to a minute), which then takes
    /// its reads.
    private func probe(_ replica: Replica) async {
        while !Task.isCancelled {
            let (pool, renewing) = replica.probePool(connections: connections)
            do {
                let version = try await pool.client.withConnection(within: Self.leaseTimeout) { connection in
                    try await connection.rows("SELECT version FROM archive_state", logger: logger).first?
                        .decode(Int64.self) ?? 0
                }
                if replica.observe(version, through: pool, renewing: renewing) {
                    logger.notice("read replica available", metadata: ["replica": "\(replica.address)"])
                }
            } catch {
                if renewing { pool.running.cancel() }
                if !Task.isCancelled { setAside(replica, because: error) }
            }
            try? await Task.sleep(for: Self.probeInterval)
        }
    }

    private func setAside(_ replica: Replica, because error: any Error) {
        if replica.setAside() {
            logger.warning(
                "read replica unavailable; reads go to the primary",
                metadata: ["replica": "\(replica.address)", "error": "\(String(reflecting: error))"]
            )
        }
    }

    /// A replica's connection pool and the task running it.
    private typealias Pool = (client: PostgresClient, running: Task<Void, Never>)

    /// One replica: its pool, and the version its last probe read.
    private final class Replica: Sendable {
        let address: DatabaseURL
        private let state = Mutex<(pool: Pool?, replayed: Int64?)>((nil, nil))

        init(address: DatabaseURL) {
            self.address = address
        }

        /// Whether it takes reads: its last probe was answered (`replayed` is nil while it is set aside).
        var isAvailable: Bool { state.withLock { $0.replayed != nil } }

        /// The pool to read from, if the replica takes reads and has replayed `version`.
        func client(ifReplayed version: Int64) -> PostgresClient? {
            state.withLock { state in
                guard let replayed = state.replayed, replayed >= version else { return nil }
                return state.pool?.client
            }
        }

        /// The pool to probe through: the one in use, or a new one (`renewing`) while set aside.
        func probePool(connections: Int) -> (pool: Pool, renewing: Bool) {
            if let pool = state.withLock({ $0.replayed == nil ? nil : $0.pool }) { return (pool, false) }
            let client = PostgresClient(configuration: address.configuration(connections: connections))
            return ((client, Task { await client.run() }), true)
        }

        /// Records a probe's answer (replay only moves forward, but a replica replaced by an older one must
        /// not keep its predecessor's version); a new pool that answered replaces the old one. True when
        /// the replica was set aside until now.
        func observe(_ version: Int64, through pool: Pool, renewing: Bool) -> Bool {
            let (wasAside, retired) = state.withLock { state in
                let retired = renewing ? state.pool : nil
                if renewing { state.pool = pool }
                defer { state.replayed = version }
                return (state.replayed == nil, retired)
            }
            retired?.running.cancel()
            return wasAside
        }

        /// True when it was taking reads until now.
        func setAside() -> Bool {
            state.withLock { state in
                defer { state.replayed = nil }
                return state.replayed != nil
            }
        }

        /// Closes its pool.
        func retire() {
            state.withLock { $0.pool }?.running.cancel()
        }
    }
}

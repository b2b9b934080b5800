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
    private let turn = Atomic<UInt>(0)
    private let replicaReads = Atomic<Int>(0)
    private let primaryReads = Atomic<Int>(0)
    private let logger: Logger

    /// How often each replica's version is read.
    static let probeInterval: Duration = .milliseconds(100)
    /// How long a read waits for a replica's connection before asking the primary instead.
    static let leaseTimeout: Duration = .seconds(1)

    init(_ addresses: [DatabaseURL], connections: Int, logger: Logger) {
        replicas = addresses.map {
            Replica(address: $0, client: PostgresClient(configuration: $0.configuration(connections: connections)))
        }
        self.logger = logger
    }

    var isEmpty: Bool { replicas.isEmpty }

    /// Starts each replica's pool and its probe; the task ends (closing the pools) when cancelled.
    func run() -> Task<Void, Never> {
        Task {
            await withDiscardingTaskGroup { group in
                for replica in replicas {
                    group.addTask { await replica.client.run() }
                    group.addTask { await self.probe(replica) }
                }
            }
        }
    }

    /// Runs `body` on a replica that has replayed `version`, or returns nil when none has (or the one
    /// tried failed for want of availability, which sets it aside): the caller then asks the primary.
    func read<Result: Sendable>(
        atLeast version: Int64,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result? {
        let ready = replicas.filter { $0.hasReplayed(version) }
        guard !ready.isEmpty else { return nil }
        let replica = ready[Int(turn.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(ready.count))]
        do {
            let result = try await replica.client.withConnection(within: Self.leaseTimeout, body)
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

    private func probe(_ replica: Replica) async {
        while !Task.isCancelled {
            do {
                let version = try await replica.client.withConnection(within: Self.leaseTimeout) { connection in
                    try await connection.query("SELECT version FROM archive_state", logger: logger).collect()
                        .first?.decode(Int64.self) ?? 0
                }
                if replica.observe(version) {
                    logger.notice("read replica available", metadata: ["replica": "\(replica.address)"])
                }
            } catch {
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

    /// One replica, its pool, and what its last probe saw.
    private final class Replica: Sendable {
        let address: DatabaseURL
        let client: PostgresClient
        /// The version last read there; nil while it is set aside.
        private let replayed = Mutex<Int64?>(nil)

        init(address: DatabaseURL, client: PostgresClient) {
            self.address = address
            self.client = client
        }

        var isAvailable: Bool { replayed.withLock { $0 != nil } }

        func hasReplayed(_ version: Int64) -> Bool {
            replayed.withLock { ($0 ?? .min) >= version }
        }

        /// Records a probe's answer (replay only moves forward, but a replica replaced by an older one
        /// must not keep its predecessor's version); true when the replica was set aside until now.
        func observe(_ version: Int64) -> Bool {
            replayed.withLock { state in
                defer { state = version }
                return state == nil
            }
        }

        /// True when it was taking reads until now.
        func setAside() -> Bool {
            replayed.withLock { state in
                defer { state = nil }
                return state != nil
            }
        }
    }
}

import GRDB
import Synchronization

/// Answers "has anything been committed?" cheaply enough for every request the response cache serves.
///
/// `PRAGMA data_version` sees every commit, by any process, but asking it takes a read lock on the
/// database (two `fcntl` calls) and a turn on its connection's queue, where the event loops wait for each
/// other: too much to pay on every cached answer. So commits through this process's own writer are
/// counted as they happen (a transaction observer, exact), and other processes' commits (a
/// `clippings import` into the served file) are looked for at most once per `interval`.
final class ChangeTracker: TransactionObserver, Sendable {
    /// Bumped by every commit seen: the version callers compare.
    private let generation = Atomic<Int64>(0)
    private let watcher: DatabaseQueue?
    private let interval: Duration
    private let lastCheck = Mutex<(at: ContinuousClock.Instant, version: Int64?)>((.now, nil))
    /// Wakes those waiting for this process's next commit.
    let commits = CommitSignal()

    /// `watcher`: a connection of its own for `PRAGMA data_version`, whose value is per connection; nil
    /// for a database no other process can open (in memory).
    init(watcher: DatabaseQueue?, interval: Duration) {
        self.watcher = watcher
        self.interval = interval
    }

    func version() throws -> Int64 {
        if let watcher, claimCheck() {
            let seen = try watcher.unsafeRead { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
            let changed = lastCheck.withLock { check in
                defer { check.version = seen }
                return check.version != nil && check.version != seen
            }
            // Our own commits count here a second time: one needless refill of the cache per write.
            if changed { generation.add(1, ordering: .releasing) }
        }
        return generation.load(ordering: .acquiring)
    }

    /// Whether this caller should ask the pragma now; others keep going meanwhile.
    private func claimCheck() -> Bool {
        let now = ContinuousClock.now
        return lastCheck.withLock { check in
            guard check.version == nil || now - check.at >= interval else { return false }
            check.at = now
            return true
        }
    }

    // TransactionObserver: no per-row events, only commits.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) {
        generation.add(1, ordering: .releasing)
        commits.fire()
    }
    func databaseDidRollback(_ db: Database) {}
}

import ClippingsStore
import Foundation
import Logging

/// Drops the change feed's tombstones older than the retention, at start and hourly, until cancelled:
/// what every storage service runs beside the server.
struct TombstonePruner {
    let store: any ArchiveStore
    /// How long a deleted article's tombstone is kept.
    let retention: Duration
    let logger: Logger

    static var interval: Duration { .seconds(3_600) }

    func run() async {
        while !Task.isCancelled {
            let cutoff = Date().addingTimeInterval(-Double(retention.components.seconds))
            do {
                let pruned = try await store.pruneChanges(before: cutoff)
                if pruned > 0 { logger.info("pruned change feed tombstones", metadata: ["pruned": "\(pruned)"]) }
            } catch {
                logger.warning("pruning the change feed failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: Self.interval)
        }
    }
}

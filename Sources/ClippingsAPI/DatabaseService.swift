import ClippingsStore
import Foundation
import Logging
import ServiceLifecycle

/// Checkpoints the write-ahead log beside the writer while the server runs, and closes the database once
/// the server has stopped (folding the log into the file, so a stopped server leaves one self-contained
/// file). Listed before the HTTP server among the application's services, it shuts down after it. It also
/// prunes the change feed's old tombstones, at start and hourly.
struct DatabaseService: Service {
    let database: AppDatabase
    /// How long a deleted article's tombstone is kept.
    let tombstoneRetention: Duration
    let logger: Logger

    static var pruneInterval: Duration { .seconds(3_600) }

    func run() async throws {
        // Commits add full-text index segments; once writes pause they are merged, so searches stay fast.
        let merging = Task { await database.mergingSearchIndexWhenQuiet() }
        let pruning = Task { await pruneTombstones() }
        do {
            // While serving, checkpoints run beside the writer, so bulk imports do not stop for them.
            try await database.checkpointingInBackground { try? await gracefulShutdown() }
        } catch {
            logger.warning("checkpoints stay with the writer", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
        }
        merging.cancel()
        pruning.cancel()
        await merging.value
        await pruning.value
        do {
            try database.close()
            logger.info("database closed")
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(error)"])
        }
    }

    func pruneTombstones() async {
        await TombstonePruner(store: database, retention: tombstoneRetention, logger: logger).run()
    }
}

import ClippingsPostgres
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the PostgreSQL archive's connections while the server runs, pruning old tombstones beside it,
/// and closes them once the server has stopped (listed before the HTTP server, it shuts down after it).
struct PostgresService: Service {
    let archive: PostgresArchive
    let tombstoneRetention: Duration
    let logger: Logger

    func run() async throws {
        let pruning = Task {
            await TombstonePruner(store: archive, retention: tombstoneRetention, logger: logger).run()
        }
        try? await gracefulShutdown()
        pruning.cancel()
        await pruning.value
        archive.close()
        logger.info("database connections closed")
    }
}

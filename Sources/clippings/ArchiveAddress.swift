import ClippingsPostgres
import ClippingsStore
import Foundation
import Logging

/// Where an archive is: a `postgres://` address or the path of a SQLite file.
enum ArchiveAddress {
    /// Opens (and migrates) the archive at `address`; a SQLite file must exist unless `creating`.
    static func open(_ address: String, creating: Bool, logger: Logger) async throws -> any ArchiveMaintenance {
        if DatabaseURL.isPostgres(address) {
            let url: DatabaseURL
            do { url = try DatabaseURL(address) } catch { throw CommandError("\(address): \(error.description)") }
            return try await PostgresArchive.open(url, connections: 4, logger: logger)
        }
        guard creating || FileManager.default.fileExists(atPath: address) else {
            throw CommandError("no database at \(address)")
        }
        return try AppDatabase.open(path: address, logger: logger)
    }

    /// The address as a report names it: a PostgreSQL address without its password.
    static func display(_ address: String) -> String {
        (try? DatabaseURL(address)).map(\.description) ?? address
    }
}

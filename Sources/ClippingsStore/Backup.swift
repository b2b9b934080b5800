import Foundation
import GRDB

/// Why a backup was not made.
public enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination exists: a backup never overwrites a file.
    case destinationExists(String)
    /// The archive is in memory; there is no file to copy.
    case inMemory

    public var description: String {
        switch self {
        case .destinationExists(let path): "'\(path)' exists; a backup never overwrites a file"
        case .inMemory: "the archive is in memory: there is nothing to back up"
        }
    }
}

extension AppDatabase {
    /// Writes a consistent copy of the archive to a new file at `path`, while it serves and is written to.
    ///
    /// SQLite's `VACUUM INTO` on a reading connection: the copy is the archive as of one moment (a read
    /// snapshot of the write-ahead log), writers are never blocked, and the copy is compact and whole in
    /// one file (no log beside it). Restoring is serving the copy (`--db`).
    public func backup(to path: String) async throws {
        guard writer.path != ":memory:", !writer.path.isEmpty else { throw BackupError.inMemory }
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.destinationExists(path) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Outside a transaction of GRDB's: VACUUM INTO opens its own read transaction, which is the snapshot.
        try await writer.unsafeRead { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
    }
}

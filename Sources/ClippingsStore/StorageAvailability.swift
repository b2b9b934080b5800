import GRDB

/// Storage failures that are the server's state, not the request's fault: a read-only or full disk, a
/// database locked past the busy timeout, an I/O error. The API answers them 503 (try again later)
/// instead of 500, and reads keep working while writes cannot.
public enum StorageAvailability {
    /// Why the archive cannot serve this request now, or nil if the error is something else.
    public static func unavailability(of error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_READONLY: return "The archive is read-only; writes are not possible now."
        case .SQLITE_FULL: return "The disk holding the archive is full; writes are not possible now."
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "The archive is busy; try again shortly."
        case .SQLITE_IOERR, .SQLITE_CANTOPEN: return "The archive's storage failed; try again later."
        default: return nil
        }
    }
}

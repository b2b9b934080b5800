import Foundation
import GRDB
import GRDBSQLite

/// A deadline for the queries of one piece of work (an HTTP request): a statement still running past it
/// is interrupted by the progress handler every connection installs, and throws `SQLITE_INTERRUPT`.
///
/// The statement runs inside the caller's task, so the handler reads the caller's deadline there: no
/// timer and no extra task per request, which a cheap request would pay for in throughput.
public enum QueryBudget {
    /// When the current task's queries must stop; nil: no limit.
    @TaskLocal public static var deadline: ContinuousClock.Instant?

    /// Virtual-machine steps between looks at the clock: frequent enough to stop within milliseconds,
    /// rare enough to cost nothing measurable.
    static let checkInterval: Int32 = 1_000

    /// Installs the deadline check on a connection.
    static func install(on db: Database) {
        sqlite3_progress_handler(
            db.sqliteConnection,
            checkInterval,
            { _ in
                guard let deadline = QueryBudget.deadline else { return 0 }
                return ContinuousClock.now < deadline ? 0 : 1
            },
            nil
        )
    }

    /// Whether `error` is a statement stopped because the current task's deadline passed.
    public static func isExceeded(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError, error.resultCode == .SQLITE_INTERRUPT, let deadline else {
            return false
        }
        return ContinuousClock.now >= deadline
    }
}

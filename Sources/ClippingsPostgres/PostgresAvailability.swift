import PostgresNIO

/// PostgreSQL failures that are the database's state, not the request's fault: the server down,
/// restarting, out of connections, or a standby cancelling a read that conflicts with what it replays.
/// The API answers them 503 (try again later) instead of 500, and a replica's reader asks the primary.
public enum PostgresAvailability {
    /// Why the database cannot serve this request now, or nil if the error is the statement's own.
    public static func unavailability(of error: any Error) -> String? {
        if error is PostgresClient.LeaseTimedOut || error is PostgresConnection.Closed { return notReachable }
        // The pool's own error type is in a module PostgresNIO does not export: its circuit breaker trips
        // when no connection could be made for a while.
        if String(describing: type(of: error)) == "ConnectionPoolError" { return notReachable }
        guard let error = error as? PSQLError else { return nil }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutting down,
            // starting up), 58 system error; 40001 is how a standby cancels a read in a replay conflict.
            return ["08", "53", "57", "58"].contains(state.prefix(2)) || state == "40001" ? notAvailable : nil
        case .queryCancelled, .tooManyParameters, .messageDecodingFailure, .invalidCommandTag:
            return nil
        default:
            return notReachable
        }
    }

    static let notReachable = "The database cannot be reached now; try again shortly."
    static let notAvailable = "The database is not available now; try again shortly."
}

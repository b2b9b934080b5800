import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// The connection had closed before a statement was sent on it.
    struct Closed: Error {}

    /// Every row of `query`; `Closed` at once when the connection has closed.
    ///
    /// Every statement Clippings sends goes through here. postgres-nio hands a statement to its channel
    /// without a write promise, so a statement written after the channel closed and dropped its handlers
    /// is never answered and `query` waits forever: reads hung when a replica shut down between a failed
    /// statement and its ROLLBACK. On the connection's event loop an open channel still has the handler
    /// that answers or fails every statement it is given, so the check and the write happen there, in one
    /// step.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await eventLoop.flatSubmit {
            self.isClosed
                ? self.eventLoop.makeFailedFuture(Closed())
                : self.query(query, logger: logger).map(\.rows)
        }.get()
    }

    /// Runs a statement for its effect.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await rows(query, logger: logger)
    }

    /// Every row of a statement.
    func rows(_ statement: SQLBuilder, logger: Logger) async throws -> [PostgresRow] {
        try await rows(statement.query, logger: logger)
    }

    /// Runs a statement for its effect.
    func run(_ statement: SQLBuilder, logger: Logger) async throws {
        try await run(statement.query, logger: logger)
    }

    /// The first column of the first row, or nil.
    func value<Value: PostgresDecodable>(
        _ type: Value.Type,
        _ statement: SQLBuilder,
        logger: Logger
    ) async throws
        -> Value?
    {
        guard let cell = try await rows(statement, logger: logger).first?.makeRandomAccess()[0], cell.bytes != nil
        else { return nil }
        return try cell.decode(Value.self)
    }

    /// Runs `body` in a transaction opened by `begin`: committed when it returns, rolled back when it
    /// throws (a rollback that fails is not reported: the server rolls back a connection it loses).
    nonisolated(nonsending) func transaction<Result>(
        _ begin: PostgresQuery = "BEGIN",
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await run(begin, logger: logger)
        do {
            let result = try await body(self)
            try await run("COMMIT", logger: logger)
            return result
        } catch {
            try? await run("ROLLBACK", logger: logger)
            throw error
        }
    }
}

extension PostgresClient {
    /// Every row of `query`, on a pooled connection.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withConnection { try await $0.rows(query, logger: logger) }
    }
}

import Logging
import PostgresNIO
import Testing

@testable import ClippingsPostgres

/// A statement on a connection the server has closed fails at once. postgres-nio alone waits forever for
/// one written after the channel dropped its handlers: reads hung so when a replica shut down between a
/// failed statement and its ROLLBACK.
@Suite("PostgreSQL statements on a closed connection", .enabled(if: StoreBackend.postgresURL != nil))
struct ClosedConnectionTests {
    @Test("a statement after the server closed the connection fails as unavailability, without waiting")
    func statementAfterClose() async throws {
        let url = try DatabaseURL(try #require(StoreBackend.postgresURL))
        let client = PostgresClient(configuration: url.configuration(connections: 2))
        let running = Task { await client.run() }
        defer { running.cancel() }
        let logger = Logger(label: "clippings.test")
        try await client.withConnection { connection in
            let backend = try #require(
                try await connection.rows("SELECT pg_backend_pid()", logger: logger).first?.decode(Int32.self)
            )
            _ = try await client.rows("SELECT pg_terminate_backend(\(backend))", logger: logger)
            // Completed once the channel has closed and removed its handlers.
            try await connection.closeFuture.get()

            let outcome = try #require(
                await Self.outcome(within: .seconds(5)) { try await connection.rows("SELECT 1", logger: logger) },
                "a statement on the closed connection was not answered within 5 s"
            )
            #expect(throws: PostgresConnection.Closed.self) { try outcome.get() }
            if case .failure(let error) = outcome {
                #expect(PostgresAvailability.unavailability(of: error) != nil)
            }
        }
    }

    /// What `body` came to, or nil when it has not finished within `limit`: it is left running then, as a
    /// statement nobody answers cannot be cancelled.
    static func outcome<Value: Sendable>(
        within limit: Duration,
        _ body: @escaping @Sendable () async throws -> Value
    ) async -> Result<Value, any Error>? {
        let (outcomes, report) = AsyncStream.makeStream(of: Result<Value, any Error>?.self)
        Task {
            do { report.yield(.success(try await body())) } catch { report.yield(.failure(error)) }
        }
        let timer = Task {
            try await Task.sleep(for: limit)
            report.yield(nil)
        }
        defer { timer.cancel() }
        for await first in outcomes { return first }
        return nil
    }
}

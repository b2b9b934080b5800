import PostgresNIO

extension PostgresClient {
    /// No connection came within the time allowed.
    struct LeaseTimedOut: Error {}

    /// Runs `body` on a pooled connection, giving up with `LeaseTimedOut` when none is leased within
    /// `timeout`: a pool whose server is down keeps a request waiting while it retries (up to its circuit
    /// breaker's minute), and a replica's reader would rather ask the primary at once.
    ///
    /// The lease is held by a task of its own, which hands the connection over and keeps it until `body`
    /// is done; once leased, `body` runs as long as it needs.
    func withConnection<Result>(
        within timeout: Duration,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let (leased, offer) = AsyncThrowingStream.makeStream(of: PostgresConnection.self)
        let (released, release) = AsyncStream.makeStream(of: Never.self)
        defer { release.finish() }
        let lease = Task {
            do {
                try await withConnection { connection in
                    offer.yield(connection)
                    for await _ in released {}
                }
                offer.finish()
            } catch {
                offer.finish(throwing: error)
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { offer.finish(throwing: LeaseTimedOut()) }
        }
        let connection: PostgresConnection?
        do {
            var iterator = leased.makeAsyncIterator()
            connection = try await iterator.next()
            timer.cancel()
        } catch {
            timer.cancel()
            lease.cancel()
            throw error
        }
        guard let connection else {
            // The stream ends without an element when this task is cancelled.
            lease.cancel()
            try Task.checkCancellation()
            throw LeaseTimedOut()
        }
        return try await body(connection)
    }
}

import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ClippingsAPI
@testable import ClippingsStore

@Suite("Request budget")
struct RequestBudgetTests {
    /// A count SQLite takes many seconds over: bounded, so a broken interrupt fails the test instead of
    /// hanging it.
    static let slowSQL =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c"

    /// An empty archive and a router that answers problems and gives each request `budget`.
    static func budgeted(_ budget: Duration) throws -> (AppDatabase, Router<AppRequestContext>) {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: RequestBudgetMiddleware(budget: budget))
        return (try AppDatabase.inMemory(), router)
    }

    @Test("past its budget a request is a 503 with Retry-After, and its SQLite statement is interrupted")
    func budget() async throws {
        let (store, router) = try Self.budgeted(.milliseconds(200))
        // How the slow statement ended.
        let outcome = Mutex<String?>(nil)
        router.get("/slow") { _, _ -> String in
            do {
                let count = try await store.writer.read { db in try Int.fetchOne(db, sql: Self.slowSQL) }
                outcome.withLock { $0 = "completed" }
                return String(count ?? 0)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
                outcome.withLock { $0 = "interrupted" }
                throw error
            }
        }
        router.get("/quick") { _, _ -> String in
            String(try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT 42") } ?? 0)
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.get("/slow")
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(outcome.withLock { $0 } == "interrupted")
            // The one connection is free again.
            #expect(String(buffer: try await client.get("/quick").body) == "42")
        }
    }

    @Test("a write is not stopped by the budget: it may have waited for the write lock, and it needs the token")
    func writesExempt() async throws {
        let (store, router) = try Self.budgeted(.milliseconds(50))
        // Several times the budget of work inside a write transaction, as a write that waited for the lock.
        router.post("/write") { _, _ -> String in
            let count = try await store.writer.write { db in
                try Int.fetchOne(
                    db,
                    sql:
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c"
                )
            }
            return String(count ?? 0)
        }
        try await Application(router: router).test(.router) { client in
            let started = ContinuousClock.now
            let response = try await client.execute(uri: "/write", method: .post)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "2000000")
            #expect(ContinuousClock.now - started > .milliseconds(50), "the work outlasted the budget")
        }
    }

    @Test("the budget is a setting, in whole seconds")
    func setting() throws {
        let configuration = try ServerConfiguration.resolve(flags: ["request-timeout": "2"], environment: [:])
        #expect(configuration.limits.requestTimeout == .seconds(2))
        #expect(ServerConfiguration().limits.requestTimeout == .seconds(5))
        #expect(throws: ServerSetting.Invalid.self) {
            try ServerConfiguration.resolve(flags: ["request-timeout": "0"], environment: [:])
        }
    }
}

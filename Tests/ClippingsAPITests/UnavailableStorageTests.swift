import ClippingsAPI
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ClippingsStore

/// End to end: a database that stops taking writes (read-only file, full disk) must answer every write with
/// a 503 problem and `Retry-After`, lose nothing, and keep serving reads.
@Suite("Unavailable storage")
struct UnavailableStorageTests {
    static let token = "s3cret-token"
    static let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]

    /// How the writer connection is made to refuse writes: SQLite's own answers for a read-only file
    /// (`query_only` → SQLITE_READONLY) and a full disk (`max_page_count`, which SQLite clamps to the
    /// current size once the free pages are vacuumed away → SQLITE_FULL as soon as a write needs a page).
    enum Failure: String, CaseIterable {
        case readOnly = "PRAGMA query_only = 1"
        case diskFull = "VACUUM; PRAGMA max_page_count = 1"

        /// What undoes it, so the test can check the file afterwards.
        var undo: String { self == .readOnly ? "PRAGMA query_only = 0" : "PRAGMA max_page_count = 1073741823" }
    }

    /// A body too big for the free space left in any page: on a full disk it needs new ones.
    static let longBody = String(repeating: "The harbour authority approved a quay for cruise ships. ", count: 600)

    @Test("writes are 503 with Retry-After, reads keep working", arguments: Failure.allCases)
    func unwritable(failure: Failure) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unwritable-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try AppDatabase.open(path: path)
        try await seedIfEmpty(store, from: ServerConfiguration.testing.seedsPath!, logger: store.logger)
        let before = try await store.articleCount()
        try await store.writer.writeWithoutTransaction { try $0.execute(sql: failure.rawValue) }

        let article = #"{"title": "Quay approved", "body": "\#(Self.longBody)"}"#
        var writes: [(String, HTTPRequest.Method, String, String)] = [
            ("/articles", .post, "application/json", article),
            ("/articles/bulk", .post, "application/x-ndjson", article),
        ]
        // Edits and deletes need no new pages, so a full disk may still take them; a read-only file never.
        if failure == .readOnly {
            writes += [
                ("/articles/1", .patch, "application/merge-patch+json", #"{"title": "Renamed"}"#),
                ("/articles/1", .delete, "application/json", ""),
            ]
        }
        let requests = writes
        let router = buildRouter(store: store, writes: WritePolicy(token: Self.token))
        try await Application(router: router).test(.router) { client in
            for (uri, method, contentType, body) in requests {
                var headers = Self.headers
                headers[.contentType] = contentType
                let response = try await client.execute(
                    uri: uri,
                    method: method,
                    headers: headers,
                    body: ByteBuffer(string: body)
                )
                #expect(response.status == .serviceUnavailable, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(method) \(uri)")
                #expect(response.headers[.retryAfter] != nil, "\(method) \(uri)")
            }
            let list = try await client.get("/articles")
            #expect(list.status == .ok)
            #expect(try list.decoded(API.Listing.self).total == before)
            #expect(try await client.get("/articles/1").status == .ok)
            #expect(try await client.get("/articles?q=darknet").status == .ok)
            #expect(try await client.get("/tags").status == .ok)
        }
        try await store.writer.writeWithoutTransaction { try $0.execute(sql: failure.undo) }
        #expect(try await store.articleCount() == before)
        #expect(try await store.integrityProblems().isEmpty)
    }
}

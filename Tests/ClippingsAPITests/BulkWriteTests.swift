import ClippingsAPI
import CompressNIO
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /articles/bulk`: many articles in one NDJSON body.
@Suite("Bulk writes")
struct BulkWriteTests {
    static let writable = WriteAPITests.writable
    static let authorized = WriteAPITests.authorized
    static let document = WriteAPITests.document

    @Test("bulk: per-line results, bad lines reported without losing the good ones")
    func bulk() async throws {
        try await withApp(arguments: Self.writable) { client in
            var headers = Self.authorized
            headers[.contentType] = "application/x-ndjson"
            let document = Self.document.replacingOccurrences(of: "\n", with: "\\n")
            let lines = [
                #"{"title":"Bridge opens","body":"The bridge opened on Monday."}"#,
                "this is not json",
                #"{"title":"","body":"empty title"}"#,
                #"{"document":"\#(document)","source":"Harbour Weekly"}"#,
                "",
                #"{"title":"Bridge opens","body":"The bridge opened on Monday."}"#,
                #"{"document":"   "}"#,
            ]
            let response = try await client.execute(
                uri: "/articles/bulk",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: lines.joined(separator: "\n"))
            )
            #expect(response.status == .ok)
            let report = try response.decoded(API.BulkReport.self)
            #expect(report.created == 2 && report.duplicates == 1 && report.errors == 3)
            #expect(report.results.map(\.line) == [1, 2, 3, 4, 6, 7])
            #expect(
                report.results.map(\.status) == ["created", "error", "error", "created", "duplicate", "error"]
            )
            #expect(report.results[1].reason?.isEmpty == false)
            #expect(try await client.get("/articles?q=bridge").decoded(API.Listing.self).total == 1)
            #expect(try await client.get("/articles?q=quay").decoded(API.Listing.self).total == 1)

            // Every line refused: nothing stored, so a 422 problem, still with each line's reason.
            let refused = try await client.execute(
                uri: "/articles/bulk",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "{}\nnot json\n")
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try refused.decoded(API.BulkReport.self).results.map(\.line) == [1, 2])

            var json = headers
            json[.contentType] = "application/json"
            #expect(
                try await client.execute(
                    uri: "/articles/bulk",
                    method: .post,
                    headers: json,
                    body: ByteBuffer(string: "{}")
                ).status == .unsupportedMediaType
            )
            #expect(
                try await client.execute(
                    uri: "/articles/bulk",
                    method: .post,
                    headers: [.contentType: "application/x-ndjson"],
                    body: ByteBuffer(string: "{}")
                ).status == .unauthorized
            )
            #expect(try await client.get("/articles/bulk").status == .methodNotAllowed)
        }
    }

    @Test("bulk: a gzip body across several batches keeps every line, in order, with bad lines in place")
    func bulkGzipBatches() async throws {
        var arguments = Self.writable
        arguments.maximumBodySize = 1 << 20
        try await withApp(.live, arguments: arguments) { client in
            var headers = Self.authorized
            headers[.contentType] = "application/x-ndjson"
            headers[.contentEncoding] = "gzip"
            let lines = (1...1_200).map { number in
                number == 700
                    ? "{broken"
                    : #"{"title":"Harbour report \#(number)","body":"Ferry number \#(number) sailed on time.","tags":["ferries"]}"#
            }
            var plain = ByteBuffer(string: lines.joined(separator: "\n"))
            let response = try await client.execute(
                uri: "/articles/bulk",
                method: .post,
                headers: headers,
                body: try plain.compress(with: .gzip())
            )
            #expect(response.status == .ok)
            let report = try response.decoded(API.BulkReport.self)
            #expect(report.created == 1_199 && report.errors == 1)
            #expect(report.results.map(\.line) == Array(1...1_200))
            #expect(report.results[699].status == "error")
            #expect(try await client.get("/tags/ferries").decoded(API.Counted.self).articleCount == 1_199)
            #expect(try await client.get("/articles?q=harbour&limit=1").decoded(API.Listing.self).total == 1_199)
        }
    }
}

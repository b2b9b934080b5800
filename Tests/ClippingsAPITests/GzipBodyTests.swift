import ClippingsStore
import CompressNIO
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import ClippingsAPI

/// gzip request bodies are decoded whole (every member) or refused with nothing stored.
@Suite("gzip request bodies")
struct GzipBodyTests {
    static func gzip(_ text: String) throws -> ByteBuffer {
        var plain = ByteBuffer(string: text)
        return try plain.compress(with: .gzip())
    }

    static func lines(_ count: Int, from first: Int = 1) -> String {
        (first..<(first + count)).map { number in
            #"{"title": "Ferry line \#(number) reopens", "body": "The ferry line \#(number) runs again after repairs to the quay."}"#
        }.joined(separator: "\n") + "\n"
    }

    /// The body cut `bytes` before its end.
    static func cut(_ buffer: ByteBuffer, by bytes: Int) -> ByteBuffer {
        buffer.getSlice(at: buffer.readerIndex, length: buffer.readableBytes - bytes)!
    }

    @Test("decoding: every member, in order; a cut, a bad checksum or trailing bytes are refused")
    func decoding() throws {
        var both = try Self.gzip("first member, ")
        var second = try Self.gzip("second member")
        both.writeBuffer(&second)
        let decoded = try GzipStream.decode(both, maximumSize: 1_000)
        #expect(String(buffer: decoded) == "first member, second member")

        let whole = try Self.gzip(String(repeating: "harbour strike ", count: 400))
        #expect(String(buffer: try GzipStream.decode(whole, maximumSize: 10_000)).count == 6_000)
        for bytes in [1, 4, 8, 9, whole.readableBytes / 2] {
            #expect(throws: GzipStream.Failure.truncated) {
                try GzipStream.decode(Self.cut(whole, by: bytes), maximumSize: 10_000)
            }
        }
        var badChecksum = whole
        let crcIndex = badChecksum.writerIndex - 8
        badChecksum.setInteger(badChecksum.getInteger(at: crcIndex, as: UInt8.self)! ^ 0xFF, at: crcIndex)
        #expect(throws: GzipStream.Failure.corrupt) {
            try GzipStream.decode(badChecksum, maximumSize: 10_000)
        }
        var trailing = whole
        trailing.writeString("junk")
        #expect(throws: GzipStream.Failure.corrupt) { try GzipStream.decode(trailing, maximumSize: 10_000) }
        #expect(throws: GzipStream.Failure.tooLarge) { try GzipStream.decode(whole, maximumSize: 5_999) }
        #expect(throws: GzipStream.Failure.truncated) { try GzipStream.decode(ByteBuffer(), maximumSize: 10) }
    }

    @Test("a bulk upload of several gzip members keeps every line; a cut one stores nothing and says so")
    func bulk() async throws {
        try await withApp(arguments: WriteAPITests.writable) { client in
            var headers = WriteAPITests.authorized
            headers[.contentType] = "application/x-ndjson"
            headers[.contentEncoding] = "gzip"
            let before = try await client.get("/articles?limit=1").decoded(API.Listing.self).total
            var body = try Self.gzip(Self.lines(3))
            var more = try Self.gzip(Self.lines(2, from: 4))
            body.writeBuffer(&more)
            let response = try await client.execute(uri: "/articles/bulk", method: .post, headers: headers, body: body)
            #expect(response.status == .ok)
            #expect(try response.decoded(API.BulkReport.self).created == 5)

            let cut = Self.cut(try Self.gzip(Self.lines(40, from: 100)), by: 30)
            let refused = try await client.execute(uri: "/articles/bulk", method: .post, headers: headers, body: cut)
            #expect(refused.status == .badRequest)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let after = try await client.get("/articles?limit=1").decoded(API.Listing.self).total
            #expect(after == before.map { $0 + 5 })
        }
    }

    @Test("a cut gzip document or JSON article is a 400 and stores nothing, not an article ending mid-word")
    func singleArticle() async throws {
        try await withApp(arguments: WriteAPITests.writable) { client in
            var headers = WriteAPITests.authorized
            headers[.contentEncoding] = "gzip"
            let before = try await client.get("/articles?limit=1").decoded(API.Listing.self).total
            let text = WriteAPITests.document + "\n\n" + String(repeating: "The quay will be long. ", count: 200)
            let cut = Self.cut(try Self.gzip(text), by: 12)
            let plain = try await client.execute(uri: "/articles", method: .post, headers: headers, body: cut)
            #expect(plain.status == .badRequest)
            headers[.contentType] = "application/json"
            let json =
                #"{"title": "Quay approved", "body": "\#(String(repeating: "The quay will be long. ", count: 200))"}"#
            let cutJSON = Self.cut(try Self.gzip(json), by: 5)
            let article = try await client.execute(uri: "/articles", method: .post, headers: headers, body: cutJSON)
            #expect(article.status == .badRequest)
            #expect(try await client.get("/articles?limit=1").decoded(API.Listing.self).total == before)
        }
    }
}

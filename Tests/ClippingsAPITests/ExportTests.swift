import ClippingsAPI
import CompressNIO
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Export")
struct ExportTests {
    @Test("NDJSON exports every matching article whole, one per line, with filters and search")
    func ndjson() async throws {
        try await withApp(.live) { client in
            let all = try await client.get("/articles/export")
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            #expect(all.headers[.contentDisposition]?.contains("articles.ndjson") == true)
            let lines = String(buffer: all.body).split(separator: "\n")
            #expect(lines.count == 5)
            let articles = try lines.map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
            }
            #expect(articles.allSatisfy { $0["body"] is String && $0["paragraphs"] is [Any] && $0["links"] is [Any] })
            let single = try await client.get("/articles/1").object()
            let exported = try #require(articles.first { $0["id"] as? Int == 1 })
            #expect(NSDictionary(dictionary: exported) == NSDictionary(dictionary: single))

            let filtered = try await client.get("/articles/export?language=en&tag=child")
            #expect(String(buffer: filtered.body).split(separator: "\n").count == 2)
            let searched = try await client.get("/articles/export?q=reikras")
            #expect(String(buffer: searched.body).split(separator: "\n").count == 4)
        }
    }

    @Test("CSV has the documented columns, one row per article, quoted per RFC 4180")
    func csv() async throws {
        try await withApp(.live) { client in
            let response = try await client.get("/articles/export?format=csv&sort=title")
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            let text = String(buffer: response.body)
            let records = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                records.first
                    == "id,slug,title,author,published_at,language,source,source_domain,url,tags,word_count,summary,authors"
            )
            #expect(records.count == 6)
            #expect(text.contains("\"Police in Bergen, Norway’s second biggest city,"))
        }
    }

    @Test("gzip streams the export; bad parameters are 400 before anything is sent")
    func gzipAndErrors() async throws {
        try await withApp(.live) { client in
            let plain = try await client.get("/articles/export")
            let zipped = try await client.get("/articles/export", headers: [.acceptEncoding: "gzip"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(try zipped.plainBody() == plain.body)
            let empty = try await client.get("/articles/export?q=zzzznothing", headers: [.acceptEncoding: "gzip"])
            #expect(try empty.plainBody().readableBytes == 0)
            for uri in ["/articles/export?format=xml", "/articles/export?limit=5", "/articles/export?q=%22open"] {
                let response = try await client.get(uri)
                #expect(response.status == .badRequest, "\(uri)")
            }
        }
    }
}

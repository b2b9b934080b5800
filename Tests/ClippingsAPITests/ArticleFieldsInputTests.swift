import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What `POST /articles` and bulk lines accept: every input field, output fields ignored, nothing else.
@Suite("Article fields on input")
struct ArticleFieldsInputTests {
    static func post(_ json: String, to client: some TestClientProtocol) async throws -> TestResponse {
        var headers = WriteAPITests.authorized
        headers[.contentType] = "application/json"
        return try await client.execute(
            uri: "/articles",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: json)
        )
    }

    /// A JSON value as text with sorted keys, to compare values decoded from two documents.
    static func canonical(_ value: Any?) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: value ?? NSNull(),
            options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
        )
        return String(decoding: data, as: UTF8.self)
    }

    @Test("a field that is neither input nor output is a 400 naming it, in POST and in bulk lines")
    func unknownFields() async throws {
        try await withApp(arguments: WriteAPITests.writable) { client in
            let response = try await Self.post(
                #"{"title": "Quay approved", "body": "The quay was approved.", "publishedAt": "2022-03-03"}"#,
                to: client
            )
            #expect(response.status == .badRequest)
            #expect(try response.decoded(API.Problem.self).invalidParams?.first?.name == "publishedAt")
            var headers = WriteAPITests.authorized
            headers[.contentType] = "application/x-ndjson"
            let lines =
                #"{"title": "Quay one", "body": "A first quay.", "tagz": ["x"]}"# + "\n"
                + #"{"title": "Quay two", "body": "A second quay."}"# + "\n"
            let bulk = try await client.execute(
                uri: "/articles/bulk",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: lines)
            )
            let results = try bulk.decoded(API.BulkReport.self).results
            #expect(results.first?.status == "error")
            #expect(results.first?.reason?.contains("'tagz'") == true)
            #expect(results.last?.status == "created")
        }
    }

    @Test("tags and titles in any script are accepted, with readable slugs; symbols tell tags apart")
    func scripts() async throws {
        try await withApp(arguments: WriteAPITests.writable) { client in
            let response = try await Self.post(
                #"{"title": "Путин в Москве", "body": "Встреча прошла в Кремле.", "tags": ["Москва", "日本", "C#", "C++"]}"#,
                to: client
            )
            #expect(response.status == .created)
            let article = try response.decoded(API.Article.self)
            #expect(article.slug == "putin-v-moskve")
            #expect(article.tags.map(\.slug) == ["moskva", "ri-ben", "c-sharp", "c-plus-plus"])
            #expect(try await client.get("/tags/moskva/articles").decoded(API.Listing.self).total == 1)
            let symbols = try await Self.post(
                #"{"title": "Symbols", "body": "Only symbols.", "tags": ["!!!"]}"#,
                to: client
            )
            #expect(symbols.status == .badRequest)
            #expect((try symbols.decoded(API.Problem.self).detail)?.contains("no letter or digit") == true)
        }
    }

    @Test("external_id is kept, and with a source identifies the article when no URL does")
    func externalID() async throws {
        try await withApp(arguments: WriteAPITests.writable) { client in
            let first = try await Self.post(
                #"{"title": "Quay approved", "body": "The quay was approved.", "source": "Harbour Times", "external_id": "ht-1042"}"#,
                to: client
            )
            #expect(first.status == .created)
            #expect(try first.decoded(API.Article.self).externalId == "ht-1042")
            let again = try await Self.post(
                #"{"title": "Quay approved (updated)", "body": "The quay was approved on Thursday.", "source": "Harbour Times", "external_id": "ht-1042"}"#,
                to: client
            )
            #expect(again.status == .ok)
            #expect(again.headers[HTTPField.Name("Clippings-Duplicate")!] == "true")
            let otherSource = try await Self.post(
                #"{"title": "Quay approved", "body": "The quay at Bodø was approved.", "source": "Nordland Post", "external_id": "ht-1042"}"#,
                to: client
            )
            #expect(otherSource.status == .created)
        }
    }

    @Test("every line of an export imports again as it is, into another archive, with the same fields")
    func exportRoundTrip() async throws {
        let lines = try await withApp { client in
            let export = try await client.get("/articles/export?format=ndjson")
            return String(buffer: export.body).split(separator: "\n").map(String.init)
        }
        #expect(lines.count == 5)
        var configuration = WriteAPITests.writable
        configuration.seedsPath = nil
        try await withApp(arguments: configuration) { client in
            var headers = WriteAPITests.authorized
            headers[.contentType] = "application/x-ndjson"
            let report = try await client.execute(
                uri: "/articles/bulk",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: lines.joined(separator: "\n"))
            ).decoded(API.BulkReport.self)
            #expect(report.created == 5 && report.errors == 0)
            let compared = [
                "title", "body", "author", "authors", "published_at", "language", "url", "tags", "categories",
                "links", "images", "external_id", "word_count", "summary",
            ]
            for line in lines {
                let original = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let title = try #require(original["title"] as? String)
                let found = try await client.get("/articles?limit=100").decoded(API.Page<API.ArticleSummary>.self)
                let id = try #require(found.items.first { $0.title == title }?.id)
                let copy = try await client.get("/articles/\(id)").object()
                for field in compared {
                    #expect(try Self.canonical(copy[field]) == Self.canonical(original[field]), "\(title): \(field)")
                }
                let source = original["source"] as? [String: Any]
                let copiedSource = copy["source"] as? [String: Any]
                #expect(copiedSource?["slug"] as? String == source?["slug"] as? String)
                #expect(copiedSource?["domain"] as? String == source?["domain"] as? String)
            }
        }
    }
}

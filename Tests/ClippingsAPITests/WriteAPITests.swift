import ClippingsAPI
import CompressNIO
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Writes")
struct WriteAPITests {
    static let token = "s3cret-token"
    static var writable: ServerConfiguration {
        var arguments = ServerConfiguration.testing
        arguments.apiToken = token
        return arguments
    }
    static let authorized: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "text/plain"]

    static let document = """
        Harbour authority approves new quay

        By Ada Lund

        TROMSØ, NORWAY (MARCH 3, 2022) (NRK) – The harbour authority approved a new quay for cruise ships on Thursday.

        Construction starts in the autumn and should take two years.
        """

    @Test("no token configured: writes are 403 with how to enable them; reads stay open")
    func writesDisabled() async throws {
        try await withApp { client in
            let response = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: Self.authorized,
                body: ByteBuffer(string: Self.document)
            )
            #expect(response.status == .forbidden)
            #expect((try response.decoded(API.Problem.self).detail)?.contains("CLIPPINGS_API_TOKEN") == true)
            #expect(try await client.get("/articles").status == .ok)
        }
    }

    @Test("missing or wrong token is 401 with WWW-Authenticate")
    func wrongToken() async throws {
        try await withApp(arguments: Self.writable) { client in
            for authorization in [nil, "Bearer wrong", "Basic czNjcmV0", "Bearer \(Self.token)x", "Bearer "] {
                var headers: HTTPFields = [.contentType: "text/plain"]
                if let authorization { headers[.authorization] = authorization }
                let response = try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: Self.document)
                )
                #expect(response.status == .unauthorized, "\(authorization ?? "none")")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test("a raw document is extracted and stored: 201 with Location, then 200 as a duplicate")
    func createFromDocument() async throws {
        try await withApp(arguments: Self.writable) { client in
            let created = try await client.execute(
                uri: "/articles?source=Harbour+Weekly",
                method: .post,
                headers: Self.authorized,
                body: ByteBuffer(string: Self.document)
            )
            #expect(created.status == .created)
            let article = try created.decoded(API.Article.self)
            #expect(article.title == "Harbour authority approves new quay")
            #expect(article.author == "Ada Lund")
            #expect(article.publishedAt == "2022-03-03T00:00:00Z")
            #expect(article.source?.name == "Harbour Weekly")
            let location = try #require(created.headers[.location])
            #expect(try await client.get(location).status == .ok)
            #expect(try await client.get("/articles?q=quay").decoded(API.Listing.self).total == 1)

            let again = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: Self.authorized,
                body: ByteBuffer(string: Self.document)
            )
            #expect(again.status == .ok)
            #expect(again.headers[HTTPField.Name("Clippings-Duplicate")!] == "true")
            #expect(again.headers[.location] == location)
        }
    }

    @Test("an article as JSON is validated; title and body are required")
    func createFromJSON() async throws {
        try await withApp(arguments: Self.writable) { client in
            var headers = Self.authorized
            headers[.contentType] = "application/json"
            let body =
                #"{"title":"Ferry fares rise","body":"Fares rise in May.\n\nCommuters object.","tags":["Ferries"],"published_at":"2023-04-01T08:00:00Z"}"#
            let created = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body)
            )
            #expect(created.status == .created)
            let article = try created.decoded(API.Article.self)
            #expect(article.paragraphs == ["Fares rise in May.", "Commuters object."])
            #expect(article.tags.first?.slug == "ferries")
            for (bad, field) in [
                (#"{"body":"x"}"#, "title"), (#"{"title":"x"}"#, "body"), (#"{"title":"","body":"x"}"#, "title"),
                (#"{"title":"x","body":"y","published_at":"soon"}"#, "published_at"),
                (#"{"title":"x","body":"y","url":"ftp://x"}"#, "url"), (#"{"title":5,"body":"y"}"#, "title"),
            ] {
                let response = try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: bad)
                )
                #expect(response.status == .badRequest, "\(bad)")
                #expect(
                    try response.decoded(API.Problem.self).invalidParams?.first?.name == field,
                    "\(bad)"
                )
            }
            let notJSON = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "{")
            )
            #expect(notJSON.status == .badRequest)
        }
    }

    @Test("several writers: authors in, authors out, author= matches any one; author and authors must agree")
    func severalAuthors() async throws {
        try await withApp(arguments: Self.writable) { client in
            var headers = Self.authorized
            headers[.contentType] = "application/json"
            let body =
                #"{"title":"Tunnel opens","body":"The tunnel opened on Monday.","authors":["Ingrid Dahl","Omar Haddad"]}"#
            let created = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body)
            )
            #expect(created.status == .created)
            let article = try created.decoded(API.Article.self)
            #expect(article.authors == ["Ingrid Dahl", "Omar Haddad"])
            #expect(article.author == "Ingrid Dahl, Omar Haddad")
            let id = article.id
            for name in ["omar+haddad", "Ingrid%20Dahl", "ingrid+dahl,+omar+haddad"] {
                #expect(
                    try await client.get("/articles?author=\(name)").decoded(API.Listing.self).total == 1,
                    "\(name)"
                )
            }
            let csv = String(buffer: try await client.get("/articles/export?format=csv&author=omar+haddad").body)
            #expect(csv.hasSuffix(",Ingrid Dahl;Omar Haddad\r\n"))

            for bad in [
                #"{"title":"x","body":"y","authors":["A B"],"author":"C D"}"#,
                #"{"title":"x","body":"y","authors":"A B"}"#,
                #"{"title":"x","body":"y","authors":[""]}"#,
            ] {
                let response = try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: bad)
                )
                #expect(response.status == .badRequest, "\(bad)")
            }

            headers[.contentType] = "application/merge-patch+json"
            let patched = try await client.execute(
                uri: "/articles/\(id)",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"authors":["Kari Nordmann","Ola Hansen","Per Berg"]}"#)
            )
            #expect(try patched.decoded(API.Article.self).author == "Kari Nordmann, Ola Hansen, Per Berg")
            #expect(try await client.get("/articles?author=per+berg").decoded(API.Listing.self).total == 1)
            #expect(try await client.get("/articles?author=omar+haddad").decoded(API.Listing.self).total == 0)
            let byline = try await client.execute(
                uri: "/articles/\(id)",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"author":"Ada Lund"}"#)
            )
            #expect(try byline.decoded(API.Article.self).authors == ["Ada Lund"])
            for bad in [#"{"authors":"Ada"}"#, #"{"authors":["A B"],"author":"C D"}"#, #"{"authors":[3]}"#] {
                let response = try await client.execute(
                    uri: "/articles/\(id)",
                    method: .patch,
                    headers: headers,
                    body: ByteBuffer(string: bad)
                )
                #expect(response.status == .badRequest, "\(bad)")
            }
            let cleared = try await client.execute(
                uri: "/articles/\(id)",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"authors":null}"#)
            )
            let after = try cleared.decoded(API.Article.self)
            #expect(after.authors.isEmpty && after.author == nil)
        }
    }

    @Test("wrong content type 415, oversized body 413, gzip bodies accepted, a gzip bomb 413, empty document 422")
    func bodies() async throws {
        try await withApp(.live, arguments: Self.writable) { client in
            var headers = Self.authorized
            headers[.contentType] = "image/png"
            #expect(
                try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: "x")
                ).status == .unsupportedMediaType
            )

            let huge = ByteBuffer(string: "Headline\n\n" + String(repeating: "word ", count: 20_000))
            #expect(
                try await client.execute(uri: "/articles", method: .post, headers: Self.authorized, body: huge).status
                    == .contentTooLarge
            )

            var zipped = Self.authorized
            zipped[.contentEncoding] = "gzip"
            var plain = ByteBuffer(string: Self.document)
            let compressed = try plain.compress(with: .gzip())
            #expect(
                try await client.execute(uri: "/articles", method: .post, headers: zipped, body: compressed).status
                    == .created
            )

            var zeros = ByteBuffer(repeating: UInt8(ascii: "a"), count: 5_000_000)
            let bomb = try zeros.compress(with: .gzip())
            #expect(bomb.readableBytes < 64 * 1024)
            #expect(
                try await client.execute(uri: "/articles", method: .post, headers: zipped, body: bomb).status
                    == .contentTooLarge
            )
            #expect(
                try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: zipped,
                    body: ByteBuffer(string: "not gzip")
                ).status == .badRequest
            )

            let empty = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: Self.authorized,
                body: ByteBuffer(string: "  \n")
            )
            #expect(empty.status == .unprocessableContent)
            #expect(try await client.get("/health").status == .ok)
        }
    }

    @Test("delete: 204, then gone everywhere: detail, lists, search, tags and sources it alone had")
    func delete() async throws {
        try await withApp(arguments: Self.writable) { client in
            let nrk = try await client.get("/sources/nrk/articles").decoded(API.Page<API.ArticleSummary>.self)
            let id = try #require(nrk.items.first?.id)
            let unauthorized = try await client.execute(
                uri: "/articles/\(id)",
                method: .delete,
                headers: [:],
                body: nil
            )
            #expect(unauthorized.status == .unauthorized)
            let deleted = try await client.execute(
                uri: "/articles/\(id)",
                method: .delete,
                headers: Self.authorized,
                body: nil
            )
            #expect(deleted.status == .noContent)
            #expect(try await client.get("/articles/\(id)").status == .notFound)
            #expect(try await client.get("/sources/nrk").status == .notFound)
            #expect(try await client.get("/articles?q=Kripos").decoded(API.Listing.self).total == 0)
            #expect(try await client.get("/articles").decoded(API.Listing.self).total == 4)
            let again = try await client.execute(
                uri: "/articles/\(id)",
                method: .delete,
                headers: Self.authorized,
                body: nil
            )
            #expect(again.status == .notFound)
        }
    }

    @Test("patch: merge-patch edits fields; tags, sources and search follow; bad patches are 400")
    func patch() async throws {
        try await withApp(arguments: Self.writable) { client in
            var headers = Self.authorized
            headers[.contentType] = "application/merge-patch+json"
            let nrk = try await client.get("/sources/nrk/articles").decoded(API.Page<API.ArticleSummary>.self)
            let id = try #require(nrk.items.first?.id)
            let body =
                #"{"title":"Tysk nettsted stengt","author":"Kari Nordmann","tags":["Europol","Overgrep"],"source":"VG","published_at":"2021-05-03"}"#
            let patched = try await client.execute(
                uri: "/articles/\(id)",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: body)
            )
            #expect(patched.status == .ok)
            let article = try patched.decoded(API.Article.self)
            #expect(article.title == "Tysk nettsted stengt")
            #expect(article.author == "Kari Nordmann")
            #expect(article.publishedAt == "2021-05-03T00:00:00Z")
            #expect(article.tags.map(\.slug) == ["europol", "overgrep"])
            #expect(try await client.get("/sources/nrk").status == .notFound)  // its only article moved to VG
            #expect(try await client.get("/sources/vg").decoded(API.Counted.self).articleCount == 1)
            #expect(try await client.get("/tags/europol").decoded(API.Counted.self).articleCount == 1)
            #expect(try await client.get("/articles?q=nettsted+stengt").decoded(API.Listing.self).total == 1)
            #expect(try await client.get("/articles?author=kari+nordmann").decoded(API.Listing.self).total == 1)

            let cleared = try await client.execute(
                uri: "/articles/\(id)",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"author":null,"tags":[]}"#)
            )
            let after = try cleared.decoded(API.Article.self)
            #expect(after.author == nil && after.tags.isEmpty)
            #expect(try await client.get("/tags/europol").status == .notFound)

            for (bad, field) in [
                (#"{"body":"new"}"#, "body"), (#"{"title":null}"#, "title"), (#"{"language":"english"}"#, "language"),
                (#"{"published_at":"someday"}"#, "published_at"), (#"{"tags":"x"}"#, "tags"),
            ] {
                let response = try await client.execute(
                    uri: "/articles/\(id)",
                    method: .patch,
                    headers: headers,
                    body: ByteBuffer(string: bad)
                )
                #expect(response.status == .badRequest, "\(bad)")
                #expect(
                    try response.decoded(API.Problem.self).invalidParams?.first?.name == field
                )
            }
            var text = headers
            text[.contentType] = "text/plain"
            #expect(
                try await client.execute(
                    uri: "/articles/\(id)",
                    method: .patch,
                    headers: text,
                    body: ByteBuffer(string: "{}")
                ).status == .unsupportedMediaType
            )
            #expect(
                try await client.execute(
                    uri: "/articles/99999",
                    method: .patch,
                    headers: headers,
                    body: ByteBuffer(string: "{}")
                ).status == .notFound
            )
        }
    }
}

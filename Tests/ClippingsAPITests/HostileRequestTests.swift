import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Requests that are careless or hostile: each is refused with the right problem or bounded, never
/// stored wrong.
@Suite("Hostile requests")
struct HostileRequestTests {
    static let token = WriteAPITests.token
    static var writable: ServerConfiguration { WriteAPITests.writable }
    static func headers(_ contentType: String, authorization: String = "Bearer \(token)") -> HTTPFields {
        [.authorization: authorization, .contentType: contentType]
    }

    static let document = """
        Harbour authority approves new quay

        The harbour authority approved a new quay for cruise ships on Thursday, after two years of debate.

        Construction starts in the autumn and should take two years.
        """

    static func post(
        _ client: any TestClientProtocol,
        _ body: String,
        to uri: String = "/articles",
        type: String = "text/plain"
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers(type), body: ByteBuffer(string: body))
    }

    @Test("the Bearer scheme is case-insensitive (RFC 9110 §11.1)")
    func bearerCase() async throws {
        try await withApp(arguments: Self.writable) { client in
            for (index, scheme) in ["bearer", "BEARER", "Bearer ", "bEaReR"].enumerated() {
                let response = try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: Self.headers("text/plain", authorization: "\(scheme) \(Self.token)"),
                    body: ByteBuffer(string: Self.document + "\n\nEdition \(index) of the report.")
                )
                #expect(response.status == .created, "\(scheme)")
            }
        }
    }

    @Test("any method a known path does not take is 405 with Allow; unknown paths stay 404")
    func unknownMethods() async throws {
        try await withApp { client in
            for (method, uri, allow) in [
                ("PROPFIND", "/articles", "GET, HEAD, POST"), ("CONNECT", "/articles/1", "GET, HEAD, PATCH, DELETE"),
                ("MKCOL", "/articles/export", "GET, HEAD"), ("PURGE", "/tags/norway", "GET, HEAD"),
            ] {
                let response = try await client.execute(uri: uri, method: .init(method)!, headers: [:], body: nil)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let nowhere = try await client.execute(uri: "/nowhere", method: .init("PROPFIND")!, headers: [:], body: nil)
            #expect(nowhere.status == .notFound)
        }
    }

    @Test("HEAD of a streamed export names no length, where GET streams; unmatched routes are `unmatched` in metrics")
    func headAndMetricsLabel() async throws {
        try await withApp(.live) { client in
            let head = try await client.execute(uri: "/articles/export", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == nil)
            #expect(head.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            let bad = try await client.execute(
                uri: "/articles/export?format=xml",
                method: .head,
                headers: [:],
                body: nil
            )
            #expect(bad.status == .badRequest)
            _ = try await client.get("/no/such/route")
            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains(#"route="unmatched",status="404""#))
            #expect(!metrics.contains("NotFound"))
        }
    }

    @Test("a CORS preflight answer varies on what it depends on")
    func preflightVary() async throws {
        var arguments = ServerConfiguration.testing
        arguments.corsOrigins = ["https://desk.example"]
        try await withApp(arguments: arguments) { client in
            for origin in ["https://desk.example", "https://elsewhere.example"] {
                let response = try await client.execute(
                    uri: "/articles",
                    method: .options,
                    headers: [.origin: origin, .accessControlRequestMethod: "GET"],
                    body: nil
                )
                let vary = response.headers[values: .vary].joined(separator: ", ")
                #expect(vary.contains("Origin"), "\(origin)")
                #expect(vary.contains("Access-Control-Request-Method"), "\(origin)")
            }
        }
    }

    @Test("a CSV cell a spreadsheet would run as a formula is prefixed with a quote")
    func csvFormulas() async throws {
        try await withApp(arguments: Self.writable) { client in
            let article = """
                {"title": "=HYPERLINK(\\"http://evil.example\\",\\"click\\")", "author": "@SUM(1+1)",
                 "body": "-2+3 is a sum a spreadsheet would compute.", "tags": ["+cmd"]}
                """
            #expect(try await Self.post(client, article, type: "application/json").status == .created)
            let csv = String(buffer: try await client.get("/articles/export?format=csv&q=spreadsheet").body)
            let row = try #require(csv.components(separatedBy: "\r\n").dropFirst().first)
            #expect(row.contains(#""'=HYPERLINK(""http://evil.example"",""click"")""#))
            #expect(row.contains(",'@SUM(1+1),"))
            #expect(row.contains(",'-2+3 is a sum"))
            #expect(!row.contains(",=") && !row.contains(",@") && !row.contains(",+") && !row.contains(",-"))
        }
    }

    @Test("only absolute http(s) URLs are stored, from a query, a JSON field or a bulk line")
    func urlSchemes() async throws {
        try await withApp(arguments: Self.writable) { client in
            for url in ["javascript:alert(1)", "file:///etc/passwd", "notaurl", "http://", "https://exa mple.com/a"] {
                let encoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let raw = try await Self.post(client, Self.document, to: "/articles?url=\(encoded)")
                #expect(raw.status == .badRequest, "\(url)")
                #expect(try raw.decoded(API.Problem.self).detail ?? "" != "", "\(url)")
                let json = try await Self.post(
                    client,
                    #"{"title": "Quay", "body": "A quay for ships.", "url": "\#(url)"}"#,
                    type: "application/json"
                )
                #expect(json.status == .badRequest, "\(url)")
                let line = #"{"document": "A quay was approved for the ships of the harbour.", "url": "\#(url)"}"#
                let bulk = try await Self.post(client, line, to: "/articles/bulk", type: "application/x-ndjson")
                #expect(bulk.status == .unprocessableContent, "\(url)")
            }
            // A page that names a script as its address keeps the article and drops the address.
            let page = """
                <html><head><title>Quay approved</title><link rel="canonical" href="javascript:alert(1)"></head>
                <body><article><h1>Quay approved</h1><p>The harbour authority approved a new quay for cruise
                ships on Thursday, after two years of debate.</p></article></body></html>
                """
            let created = try await Self.post(client, page, type: "text/html")
            #expect(created.status == .created)
            #expect(try created.decoded(API.Article.self).url == nil)
        }
    }

    @Test("bytes that are not a document are 422, whatever the content type says")
    func notDocuments() async throws {
        try await withApp(arguments: Self.writable) { client in
            // Random-looking bytes, the same on every run (a multiplicative hash of the index).
            let random = (0..<2048).map { UInt8(truncatingIfNeeded: (UInt64($0) &* 0x9E37_79B9_7F4A_7C15) >> 56) }
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("IHDR some text after".utf8)
            for (bytes, type) in [(random, "text/plain"), (png, "text/html")] {
                let response = try await client.execute(
                    uri: "/articles",
                    method: .post,
                    headers: Self.headers(type),
                    body: ByteBuffer(bytes: bytes)
                )
                #expect(response.status == .unprocessableContent, "\(type)")
                #expect((try response.decoded(API.Problem.self).detail)?.contains("not text") == true)
            }
            #expect(try await client.get("/articles").decoded(API.Listing.self).total == 5)
        }
    }

    @Test("an extracted page keeps its first 100 tags, each cut to 100 characters, and says so")
    func extractedLimits() async throws {
        var arguments = Self.writable
        arguments.maximumBodySize = 4 * 1024 * 1024
        // Extracting 10 000 links takes seconds in a debug build on a loaded machine: the budget is not
        // what this test is about.
        arguments.limits.requestTimeoutSeconds = 60
        try await withApp(arguments: arguments) { client in
            let links = (0..<10_000).map { #"<a rel="tag" href="/tag/t\#($0)">topic \#($0)</a>"# }.joined(
                separator: " "
            )
            let long = String(repeating: "x", count: 300)
            let page = """
                <html><head><title>Tagged to the hilt</title></head><body><article><h1>Tagged to the hilt</h1>
                <p>A page whose template lists far too many tags for any article, and then some more.</p>
                <footer><a rel="tag" href="/tag/long">\(long)</a> \(links)</footer></article></body></html>
                """
            let response = try await Self.post(client, page, type: "text/html")
            #expect(response.status == .created)
            let tags = try response.decoded(API.Article.self).tags
            #expect(tags.count == 100)
            #expect(tags.allSatisfy { $0.name.count <= 100 })
            let warnings = response.headers[values: HTTPField.Name("Clippings-Warning")!]
            #expect(warnings.contains("kept the first 100 of 10001 tags"))
            #expect(warnings.contains("cut tag names to 100 characters"))
            // The same page in a bulk line: its result says what was cut too.
            let line = try String(
                decoding: JSONSerialization.data(withJSONObject: ["document": page + " <p>Bulk copy.</p>"]),
                as: UTF8.self
            )
            let bulk = try await Self.post(client, line, to: "/articles/bulk", type: "application/x-ndjson")
            let result = try #require(try bulk.decoded(API.BulkReport.self).results.first)
            #expect(result.warnings?.contains("kept the first 100 of 10001 tags") == true)
            // JSON is the client's own input: over a limit it stays a 400.
            let json =
                #"{"title": "T", "body": "A body.", "tags": [\#((0...100).map { "\"t\($0)\"" }.joined(separator: ","))]}"#
            #expect(try await Self.post(client, json, type: "application/json").status == .badRequest)
        }
    }

    @Test("source and tag filters match a slug or a name, whatever its case and accents")
    func filtersByName() async throws {
        try await withApp { client in
            for uri in ["/articles?source=tv2", "/articles?source=TV2", "/articles?source=Tv2"] {
                #expect(try await client.get(uri).decoded(API.Listing.self).total == 1, "\(uri)")
            }
            let bySlug = try await client.get("/articles?tag=norway").decoded(API.Listing.self).total ?? 0
            #expect(bySlug > 0)
            // Accents fold as the names' keys fold them: "Nørway" is "norway" to a search, and to a filter.
            for uri in ["/articles?tag=Norway", "/articles?tag=NORWAY", "/articles?tag=N%C3%B8rway"] {
                #expect(try await client.get(uri).decoded(API.Listing.self).total == bySlug, "\(uri)")
            }
            #expect(try await client.get("/articles?source=nobody").decoded(API.Listing.self).total == 0)
        }
    }

    @Test("rate limits: a bucket per address for reads and a smaller one for writes, 429 with the draft headers")
    func rateLimits() async throws {
        var arguments = Self.writable
        arguments.rateLimit = 1
        try await withApp(.live, arguments: arguments) { client in
            // Reads: a burst of two, then refused until a token comes back (one a second), so of six sent at
            // once most are refused.
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<6 { group.addTask { try await client.get("/articles?limit=1") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.count(where: { $0.status == .ok }) <= 3)
            let refused = try #require(responses.first { $0.status == .tooManyRequests })
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[HTTPField.Name("RateLimit-Policy")!] == #""reads";q=2;w=2"#)
            #expect(refused.headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""reads";r=0;"#) == true)
            #expect(refused.headers[.contentType] == "application/problem+json")
            // Health probes are never limited; writes draw from their own bucket.
            #expect(try await client.get("/health").status == .ok)
            let write = try await Self.post(
                client,
                #"{"title": "T", "body": "A body of text."}"#,
                type: "application/json"
            )
            #expect(write.status == .created)
            #expect(write.headers[HTTPField.Name("RateLimit-Policy")!] == #""writes";q=2;w=2"#)
            // /metrics draws from the reads' bucket too: asked until the bucket has refilled (5 s is a guard).
            var scrape = try await client.get("/metrics")
            let deadline = ContinuousClock.now + .seconds(5)
            while scrape.status == .tooManyRequests, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                scrape = try await client.get("/metrics")
            }
            let metrics = String(buffer: scrape.body)
            #expect(metrics.contains(#"clippings_rate_limited_requests_total{bucket="reads"} "#))
        }
    }

    @Test("search caps: repeats collapse, and too many or too short prefixes are a 400 that says which")
    func searchCaps() async throws {
        try await withApp { client in
            let repeated = Array(repeating: "darknet", count: 40).joined(separator: "+")
            #expect(try await client.get("/articles?q=\(repeated)").status == .ok)
            let cases = [
                ("dar*+dar*+dar*", HTTPResponse.Status.ok, ""),
                ("a*", .badRequest, "at least 3 letters"),
                ("dar*+pol*+osl*+ber*+nor*", .badRequest, "prefix terms"),
            ]
            for (query, status, words) in cases {
                let response = try await client.get("/articles?q=\(query)&limit=100")
                #expect(response.status == status, "\(query)")
                if !words.isEmpty {
                    let detail = try response.decoded(API.Problem.self).detail ?? ""
                    #expect(detail.contains(words), "\(query): \(detail)")
                }
            }
        }
    }
}

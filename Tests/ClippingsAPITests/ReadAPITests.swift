import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Read API over the seeded archive")
struct ReadAPITests {
    @Test("GET /articles lists the five seeds, newest first and undated last, with every summary field")
    func listArticles() async throws {
        try await withApp { client in
            let response = try await client.get("/articles")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let page = try response.decoded(API.Page<API.ArticleSummary>.self)
            #expect(page.total == 5)
            #expect(page.nextCursor == nil)
            #expect(
                page.items.map(\.publishedAt) == [
                    "2017-06-17T00:00:00Z", "2016-11-29T00:00:00Z", "2016-11-20T00:00:00Z", nil, nil,
                ]
            )
            // Every summary field, present even when null: the shape itself, read from the raw object.
            let keys: Set<String> = [
                "id", "slug", "title", "author", "authors", "published_at", "language", "source", "url", "tags",
                "word_count", "summary", "story_id", "near_duplicate_of",
            ]
            for item in try response.object()["items"] as? [[String: Any]] ?? [] { #expect(Set(item.keys) == keys) }
            for item in page.items {
                // The byline is the writers' names joined; no byline, no writers.
                #expect(item.authors.isEmpty ? item.author == nil : item.authors.joined(separator: ", ") == item.author)
            }
            #expect(Set(page.items.map(\.language)) == ["en", "no"])
        }
    }

    @Test("GET /articles/{id} returns the full article; a slug works too; unknown ids are 404 problems")
    func articleDetail() async throws {
        try await withApp { client in
            let list = try await client.get("/articles?author=C.+Aliens").decoded(API.Page<API.ArticleSummary>.self)
            let summary = try #require(list.items.first)
            let article = try await client.get("/articles/\(summary.id)").decoded(API.Article.self)
            #expect(
                article.title
                    == "Norway Busted Massive a Darknet Child Porn Ring and Seized 150TB of Pictures and Videos"
            )
            #expect(article.categories == ["Featured", "News Updates"])
            #expect(article.externalId == "16642")
            #expect(article.paragraphs.count == 18)
            #expect(article.body == article.paragraphs.joined(separator: "\n\n"))
            #expect(article.images.first?.alt == "nedlasting.jpg")
            #expect(article.links.count == 6)
            #expect(!article.createdAt.isEmpty && !article.updatedAt.isEmpty)
            let bySlug = try await client.get("/articles/\(summary.slug)").decoded(API.Article.self)
            #expect(bySlug.id == summary.id)

            let missing = try await client.get("/articles/99999")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(try missing.decoded(API.Problem.self).status == 404)
        }
    }

    @Test("filters: tag, source, language (nb as an alias of no), author, date range")
    func filters() async throws {
        try await withApp { client in
            let titles = { @Sendable (query: String) async throws -> [String] in
                try await client.get("/articles?" + query).decoded(API.Page<API.ArticleSummary>.self).items.map(\.title)
            }
            let counts = [
                ("tag=darknet", 1), ("tag=darknet&tag=room", 2), ("source=deepdotweb", 2),
                ("from=2016-11-20&to=2016-11-29", 2), ("from=2017-01-01", 1), ("author=BENJAMIN+VITARIS", 1),
            ]
            for (filter, count) in counts {
                let found = try await titles(filter)
                #expect(found.count == count, "\(filter): \(found)")
            }
            let norwegian = try await titles("language=nb")
            #expect(norwegian == ["En av verdens største barneovergrepsringer på nett avslørt"])
        }
    }

    @Test("cursor pages cover every article once, with a Link header to the next page")
    func pagination() async throws {
        try await withApp { client in
            var uri: String? = "/articles?limit=2&sort=-published_at"
            var ids: [Int] = []
            while let next = uri {
                let response = try await client.get(next)
                #expect(response.status == .ok)
                let page = try response.decoded(API.Page<API.ArticleSummary>.self)
                ids += page.items.map(\.id)
                if let cursor = page.nextCursor {
                    let link = try #require(response.headers[HTTPField.Name("Link")!])
                    #expect(link.contains("cursor=\(cursor)") && link.hasSuffix("rel=\"next\""))
                    uri = link.firstMatch(of: /<([^>]+)>/).map { String($0.1) }
                } else {
                    #expect(response.headers[HTTPField.Name("Link")!] == nil)
                    uri = nil
                }
            }
            #expect(ids.count == 5 && Set(ids).count == 5)
        }
    }

    @Test("q searches title and body, ranked, with score and snippet; bad searches are 400 naming q")
    func search() async throws {
        try await withApp { client in
            let page = try await client.get("/articles?q=Reikras")
            #expect(page.status == .ok)
            let found = try page.decoded(API.Page<API.ArticleSummary>.self)
            #expect(found.total == 4)  // "Reikrås" in 000 and 001 folds to the same word
            #expect(found.items.allSatisfy { $0.snippet?.contains("<mark>") == true })
            let scores = found.items.compactMap(\.score)
            #expect(scores.count == found.items.count && scores == scores.sorted(by: >))
            let total = { @Sendable (uri: String) async throws -> Int? in
                try await client.get(uri).decoded(API.Page<API.ArticleSummary>.self).total
            }
            #expect(try await total("/articles?q=overgrep*&language=no") == 1)
            #expect(try await total("/articles?q=%22Operation+Darkroom%22") == 1)
            let plain = try await client.get("/articles").decoded(API.Page<API.ArticleSummary>.self)
            #expect(plain.items.first?.score == nil)
            for (uri, parameter) in [
                ("/articles?q=%22open", "q"), ("/articles?q=OR", "q"), ("/articles?q=-only", "q"),
                ("/articles?sort=relevance", "sort"),
            ] {
                let response = try await client.get(uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(try response.decoded(API.Problem.self).invalidParams?.first?.name == parameter)
            }
        }
    }

    @Test("any q whatsoever is answered 200 or 400, never 500")
    func hostileSearches() async throws {
        try await withApp { client in
            let inputs = [
                "%22unbalanced", "OR", "*", "NEAR(dark+room)", "title:dark", "%27%3B+DROP+TABLE+article%3B+--",
                "a%00b%07c", String(repeating: "x", count: 4_000), "%F0%9F%92%A5", "%22%22", "-", "dark+OR+OR",
                "(", ")", "%5E", "%E2%80%8B", "AND", "NOT", "police+NOT", "%FF%FE", "polit*+%22dark+room%22+-sweden",
            ]
            for input in inputs {
                let response = try await client.get("/articles?q=" + input)
                #expect(response.status == .ok || response.status == .badRequest, "q=\(input.prefix(40))")
                if response.status == .badRequest {
                    #expect(try response.decoded(API.Problem.self).invalidParams?.first?.name == "q")
                }
            }
        }
    }

    @Test("the Link header re-encodes the request's parameters, whatever they hold")
    func linkHeaderEncoding() async throws {
        try await withApp { client in
            // Tags OR together: `child` matches two articles, the odd one none.
            // Names are decoded too: `s%6Frt=` is `sort=`, which the next link carries over re-encoded.
            let page = try await client.get("/articles?limit=1&tag=child&tag=%3Cx%3E%22+%2C&s%6Frt=-published_at")
            let link = try #require(page.headers[HTTPField.Name("Link")!])
            let target = String(try #require(link.firstMatch(of: /^<([^<>" ]+)>; rel="next"$/)).1)
            #expect(target.hasPrefix("/articles?limit=1&tag=child&tag=%3Cx%3E%22%20%2C&sort=-published_at&cursor="))
            let next = try await client.get(target)
            #expect(next.status == .ok)
            #expect(try next.decoded(API.Page<API.ArticleSummary>.self).items.count == 1)
        }
    }

    @Test("bad parameters are 400 problems naming the parameter")
    func badParameters() async throws {
        try await withApp { client in
            let cases = [
                ("/articles?limit=abc", "limit"), ("/articles?limit=-1", "limit"), ("/articles?limit=0", "limit"),
                ("/articles?limit=101", "limit"), ("/articles?from=2016-13-45", "from"),
                ("/articles?to=yesterday", "to"),
                ("/articles?cursor=not-a-cursor", "cursor"), ("/articles?sort=random", "sort"),
                ("/articles?colour=red", "colour"),
                ("/articles?limit=1&limit=2", "limit"), ("/tags?limit=1000", "limit"),
                ("/sources?cursor=%00%FF", "cursor"),
                ("/articles?from=2017-01-01&to=2016-01-01", "to"), ("/articles?language=english", "language"),
                ("/health?verbose=1", "verbose"),
            ]
            for (uri, parameter) in cases {
                let response = try await client.get(uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                let problem = try response.decoded(API.Problem.self)
                #expect(problem.status == 400)
                #expect(problem.detail?.contains("'\(parameter)'") == true, "\(uri)")
                #expect(problem.invalidParams?.first?.name == parameter, "\(uri)")
            }
            // Years that do not fit four digits cannot be compared with stored timestamps.
            #expect(try await client.get("/articles?to=10000-01-01").status == .badRequest)
            // An empty value is refused, not read as "not given": it would widen the result silently.
            for empty in ["limit=", "sort=", "cursor=", "from=", "tag=", "tag=child&tag=", "fields=", "q="] {
                let response = try await client.get("/articles?" + empty)
                #expect(response.status == .badRequest, "\(empty)")
                #expect(
                    try response.decoded(API.Problem.self).detail?.contains("must not be empty") == true,
                    "\(empty)"
                )
            }
            #expect(try await client.get("/articles?fields=id,,title").status == .badRequest)
            #expect(try await client.get("/articles?fields=%20id%20,title").status == .ok)
            #expect(try await client.get("/articles?facets=tag,,year").status == .badRequest)
            // A cursor from the tag listing is not valid for articles.
            let tags = try await client.get("/tags?limit=1").decoded(API.Page<API.Tag>.self)
            let tagCursor = try #require(tags.nextCursor)
            #expect(try await client.get("/articles?cursor=\(tagCursor)").status == .badRequest)
        }
    }

    @Test("unknown paths are 404 and wrong methods 405 with Allow, as problems")
    func notFoundAndMethods() async throws {
        try await withApp { client in
            for uri in [
                "/nope", "/articles/1/nope", "/tags/no-such-tag", "/sources/no-such-source",
                "/tags/no-such-tag/articles",
            ] {
                let response = try await client.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            for (method, uri, allow) in [
                (HTTPRequest.Method.put, "/articles", "GET, HEAD, POST"),
                (.put, "/articles/1", "GET, HEAD, PATCH, DELETE"),
                (.post, "/tags", "GET, HEAD"), (.patch, "/health", "GET, HEAD"),
                (.delete, "/articles/export", "GET, HEAD"),
            ] {
                let response = try await client.execute(uri: uri, method: method, headers: [:], body: nil)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow)
                #expect(try response.decoded(API.Problem.self).status == 405)
            }
        }
    }

    @Test("tags: sorted by count then name, prefix filter, detail and articles")
    func tags() async throws {
        try await withApp { client in
            let page = try await client.get("/tags?limit=100").decoded(API.Page<API.Tag>.self)
            #expect(page.total == page.items.count)
            let counts = page.items.map(\.articleCount)
            #expect(counts == counts.sorted(by: >))
            #expect(page.items.prefix(3).map(\.slug) == ["child", "norway", "porn"])
            let prefixed = try await client.get("/tags?prefix=R").decoded(API.Page<API.Tag>.self)
            #expect(prefixed.items.map(\.slug) == ["ring", "room"])
            let tag = try await client.get("/tags/norway").decoded(API.Tag.self)
            #expect(tag.name == "norway" && tag.articleCount == 2)
            let articles = try await client.get("/tags/norway/articles").decoded(API.Page<API.ArticleSummary>.self)
            #expect(articles.total == 2)
        }
    }

    @Test("sources: publishers with counts and date spans, detail and articles")
    func sources() async throws {
        try await withApp { client in
            let sources = try await client.get("/sources").decoded(API.Page<API.Source>.self)
            #expect(sources.items.map(\.slug) == ["deepdotweb", "nrk", "tv2"])
            let deepDotWeb = try await client.get("/sources/deepdotweb").decoded(API.Source.self)
            #expect(deepDotWeb.domain == "deepdotweb.com")
            #expect(deepDotWeb.firstPublishedAt == "2016-11-29T00:00:00Z")
            #expect(deepDotWeb.lastPublishedAt == "2017-06-17T00:00:00Z")
            let nrk = try await client.get("/sources/nrk")
            #expect(try nrk.object()["first_published_at"] is NSNull)  // present, and null
            let nrkArticles = try await client.get("/sources/nrk/articles").decoded(API.Page<API.ArticleSummary>.self)
            #expect(nrkArticles.total == 1)
        }
    }

    @Test("GET /health is liveness (no database); GET /ready reports the database and the article count")
    func healthAndReadiness() async throws {
        try await withApp { client in
            let health = try await client.get("/health").decoded(API.Health.self)
            #expect(health.status == "ok" && health.version != nil && health.articles == nil)
            let ready = try await client.get("/ready").decoded(API.Health.self)
            #expect(ready.status == "ready" && ready.articles == 5)
        }
    }

    @Test("a query string or target over the limits is 414; a page size over the limit is 400")
    func targetLimits() async throws {
        var arguments = ServerConfiguration.testing
        arguments.limits.maximumQueryLength = 100
        arguments.limits.maximumURILength = 300
        arguments.limits.maximumPageSize = 10
        try await withApp(arguments: arguments) { client in
            let longQuery = try await client.get("/articles?q=" + String(repeating: "a", count: 120))
            #expect(longQuery.status == .uriTooLong)
            #expect(longQuery.headers[.contentType] == "application/problem+json")
            let longPath = try await client.get("/tags/" + String(repeating: "a", count: 320))
            #expect(longPath.status == .uriTooLong)
            #expect(try await client.get("/articles?q=" + String(repeating: "a", count: 90)).status == .ok)
            #expect(try await client.get("/articles?limit=10").status == .ok)
            #expect(try await client.get("/articles?limit=11").status == .badRequest)
            #expect(try await client.get("/tags?limit=11").status == .badRequest)
        }
    }

    @Test("GET /openapi.yaml serves the contract in the repository, byte for byte")
    func openAPIDocument() async throws {
        try await withApp { client in
            let response = try await client.get("/openapi.yaml")
            #expect(response.status == .ok)
            let file = try String(
                contentsOf: TestArguments.repository.appendingPathComponent("openapi.yaml"),
                encoding: .utf8
            )
            #expect(String(buffer: response.body) == file)
        }
    }
}

/// Cursors over HTTP: each listing's own.
@Suite("Cursors")
struct CursorTests {
    @Test("a cursor from /sources/{slug}/articles, another filter or another order is a 400 on /articles")
    func foreignListings() async throws {
        try await withApp { client in
            let scoped = try await client.get("/sources/deepdotweb/articles?limit=1")
            let cursor = try #require(try scoped.decoded(API.Page<API.ArticleSummary>.self).nextCursor)
            #expect(try await client.get("/sources/deepdotweb/articles?limit=1&cursor=\(cursor)").status == .ok)
            for listing in ["/articles", "/articles?tag=norway", "/tags/norway/articles", "/articles?sort=title"] {
                let separator = listing.contains("?") ? "&" : "?"
                let response = try await client.get(listing + separator + "limit=1&cursor=\(cursor)")
                #expect(response.status == .badRequest, "\(listing)")
                #expect(try response.decoded(API.Problem.self).invalidParams?.first?.name == "cursor", "\(listing)")
            }
            let tags = try await client.get("/tags?prefix=c&limit=1").decoded(API.Page<API.Tag>.self)
            let tagCursor = try #require(tags.nextCursor)
            #expect(try await client.get("/tags?limit=1&cursor=\(tagCursor)").status == .badRequest)
            #expect(try await client.get("/sources?limit=1&cursor=\(tagCursor)").status == .badRequest)
        }
    }
}

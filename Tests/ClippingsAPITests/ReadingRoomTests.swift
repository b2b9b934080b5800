import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The reading room's HTML pages over the seeds: what a reader finds on each page kind, that every value
/// is escaped, and that the JSON API answers as before whatever a client accepts.
@Suite("Reading room")
struct ReadingRoomTests {
    static let token = "reading-room-token"

    static var writable: ServerConfiguration {
        var configuration = ServerConfiguration.testing
        configuration.apiToken = token
        return configuration
    }

    static func html(_ response: TestResponse) throws -> String {
        String(buffer: try response.plainBody())
    }

    /// The `href`s of the links in a page, with `&amp;` read back as `&`.
    static func links(_ page: String) -> [String] {
        page.matches(of: /href="([^"]*)"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
    }

    @Test("the front page has a labelled search box, the latest stories and articles, and its JSON twin")
    func frontPage() async throws {
        try await withApp { client in
            let response = try await client.get("/")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(response.headers[.contentSecurityPolicy]?.contains("script-src") == false)
            let page = try Self.html(response)
            #expect(page.contains(#"<label for="q">"#) && page.contains(#"<input id="q" name="q""#))
            #expect(page.contains(#"<form class="search" role="search" action="/" method="get">"#))
            #expect(page.contains("<main id=\"main\">") && page.contains("<header") && page.contains("<footer"))
            #expect(page.contains(#"<link rel="alternate" type="application/json" href="/articles">"#))
            let links = Self.links(page)
            #expect(links.filter { $0.hasPrefix("/story/") }.count == 3)
            #expect(links.filter { $0.hasPrefix("/read/") }.count == 5)
            #expect(links.contains("/source/deepdotweb"))
        }
    }

    @Test("a search shows ranked, marked results, facet links that narrow it, a chart and its table")
    func search() async throws {
        try await withApp { client in
            let page = try Self.html(try await client.get("/?q=police"))
            #expect(page.contains("<h1>Results for “police”</h1>"))
            #expect(page.contains("4 articles match."))
            #expect(page.contains("<mark>Police</mark>"))
            let links = Self.links(page)
            #expect(links.contains("/?q=police&source=tv2"))
            #expect(links.contains("/?q=police&from=2016-01-01&to=2016-12-31"))
            #expect(links.contains("/?q=police&from=2016-11-01&to=2016-11-30"))
            #expect(
                links.contains(
                    "/articles?q=police&facets=tag,source,language,year,month".replacingOccurrences(
                        of: ",",
                        with: "%2C"
                    )
                )
            )
            #expect(page.contains(#"role="img" aria-labelledby="chart-caption""#))
            #expect(page.contains("<caption>Articles per month, November 2016 to June 2017</caption>"))
            // Following a facet link narrows the results to it.
            let narrowed = try Self.html(try await client.get("/?q=police&source=tv2"))
            #expect(narrowed.contains("1 article matches."))
            #expect(Self.links(narrowed).contains("/?q=police"))  // the filter's removal
        }
    }

    @Test("the next page link follows the cursor to the rest of the results, and an empty box is no search")
    func paging() async throws {
        try await withApp { client in
            let first = try Self.html(try await client.get("/?q=police&limit=2"))
            let next = try #require(Self.links(first).first { $0.contains("cursor=") })
            #expect(first.contains(#"rel="next""#))
            let second = try Self.html(try await client.get(next))
            let articles = { (page: String) in Self.links(page).filter { $0.hasPrefix("/read/") } }
            #expect(articles(first).count == 2 && articles(second).count == 2)
            #expect(Set(articles(first)).isDisjoint(with: articles(second)))
            #expect(!second.contains(#"rel="next""#))
            let empty = try await client.get("/?q=")
            #expect(empty.status == .ok)
            #expect(try Self.html(empty).contains("<h1>The archive</h1>"))
        }
    }

    @Test("an article's page has its title as h1, its text, source, story and JSON twin")
    func articlePage() async throws {
        try await withApp { client in
            let response = try await client.get("/read/norwegian-police-uncover-large-paedophile-ring")
            #expect(response.status == .ok)
            let page = try Self.html(response)
            #expect(page.contains("<h1>Norwegian police uncover large paedophile ring</h1>"))
            #expect(page.contains(#"<article class="read" lang="en">"#))
            #expect(page.contains("<title>Norwegian police uncover large paedophile ring · Clippings</title>"))
            let links = Self.links(page)
            #expect(links.contains("/source/tv2"))
            #expect(links.contains { $0.hasPrefix("/story/") })
            #expect(links.contains("/articles/norwegian-police-uncover-large-paedophile-ring"))
            #expect(page.contains("<h2 id=\"related-heading\">Related articles</h2>"))
        }
    }

    @Test("story, tag and source pages show their coverage and articles")
    func collectionPages() async throws {
        try await withApp { client in
            let story = try Self.html(try await client.get("/story/1"))
            #expect(story.contains("3 articles from 2 sources, 20 November 2016 to 29 November 2016."))
            #expect(story.contains("<caption>Articles per day, 2016-11-20 to 2016-11-29</caption>"))
            #expect(story.contains("<caption>Articles by source</caption>"))
            #expect(Self.links(story).contains("/stories/1"))
            let tag = try Self.html(try await client.get("/tag/norway"))
            #expect(tag.contains("<h1>norway</h1>") && tag.contains("2 articles tagged."))
            #expect(Self.links(tag).contains("/?tag=norway"))
            let source = try Self.html(try await client.get("/source/deepdotweb"))
            #expect(source.contains("<h1>DeepDotWeb</h1>"))
            #expect(Self.links(source).filter { $0.hasPrefix("/read/") }.count == 2)
        }
    }

    @Test("a hostile title, body, source and tag show as text, never as markup")
    func hostileValues() async throws {
        try await withApp(arguments: Self.writable) { client in
            let article = #"""
                {"title":"<script>alert(1)</script>\"onmouseover=\"alert(2)","body":"Zebrafish <img src=x onerror=alert(3)> text.",
                 "source":"Evil <Corp>","tags":["<i>tag</i>"],"url":"https://example.com/?a=1&b=\"2\""}
                """#
            let created = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: [.authorization: "Bearer \(Self.token)", .contentType: "application/json"],
                body: ByteBuffer(string: article)
            )
            #expect(created.status == .created)
            for uri in [
                "/?q=zebrafish", "/read/script-alert-1-script-onmouseover-alert-2", "/tag/i-tag-i", "/source/evil-corp",
            ] {
                let page = try Self.html(try await client.get(uri))
                #expect(!page.contains("<script"), "\(uri)")
                #expect(!page.contains("<img"), "\(uri)")
                #expect(!page.contains("<i>"), "\(uri)")
                #expect(!page.contains("<Corp>") && page.contains("Evil &lt;Corp&gt;"), "\(uri)")
                #expect(!page.contains("\"onmouseover"), "\(uri)")
            }
            let read = try Self.html(try await client.get("/read/script-alert-1-script-onmouseover-alert-2"))
            #expect(read.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=&quot;alert(2)</h1>"))
            #expect(read.contains(#"href="https://example.com/?a=1&amp;b=&quot;2&quot;""#))
        }
    }

    @Test("errors are pages with the API's status: unknown article, bad parameter, foreign cursor")
    func errors() async throws {
        try await withApp { client in
            for (uri, status) in [
                ("/read/no-such-article", HTTPResponse.Status.notFound), ("/story/999", .notFound),
                ("/tag/no-such-tag", .notFound), ("/?sort=bogus", .badRequest), ("/?bogus=1", .badRequest),
                ("/?cursor=abc", .badRequest), ("/read/norway?x=1", .badRequest), ("/?tag=", .badRequest),
                ("/tag/norway?cursor=", .badRequest),
            ] {
                let response = try await client.get(uri)
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(uri)")
                #expect(try Self.html(response).contains("<h1>\(status.code) \(status.reasonPhrase)</h1>"), "\(uri)")
            }
        }
    }

    @Test("the JSON API answers the same whatever Accept says")
    func jsonNeverNegotiates() async throws {
        try await withApp { client in
            for uri in ["/articles?q=police", "/stories/1", "/tags/norway"] {
                let plain = try await client.get(uri)
                let browser = try await client.get(uri, headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"])
                #expect(browser.headers[.contentType] == plain.headers[.contentType], "\(uri)")
                #expect(browser.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
                #expect(try browser.plainBody() == plain.plainBody(), "\(uri)")
            }
        }
    }

    @Test("pages are compressed and tagged, and a matching If-None-Match is answered with 304")
    func gzipAndETags() async throws {
        try await withApp { client in
            let response = try await client.get("/?q=police", headers: [.acceptEncoding: "gzip"])
            #expect(response.headers[.contentEncoding] == "gzip")
            #expect(response.body.readableBytes < 50_000)
            let tag = try #require(response.headers[.eTag])
            let again = try await client.get("/?q=police", headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            let css = try await client.get("/assets/reading-room.css")
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(try Self.html(css).contains("prefers-color-scheme: dark"))
        }
    }
}

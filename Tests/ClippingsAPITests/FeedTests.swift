import Foundation
import FoundationXML
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import ClippingsAPI

/// `/articles/feed.atom` and `/articles/feed.json`: any query as a feed that parsers accept.
@Suite("Feeds")
struct FeedTests {
    /// An Atom document as a tree, read by Foundation's XML parser (libxml2): what a reader would see.
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        func all(_ name: String) -> [Node] { children.filter { $0.name == name } }
        func first(_ name: String) -> Node? { children.first { $0.name == name } }
        func link(_ relation: String, type: String? = nil) -> String? {
            all("link").first { $0.attributes["rel"] == relation && (type == nil || $0.attributes["type"] == type) }?
                .attributes["href"]
        }
    }

    final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [Node] = []
        var root: Node?
        var namespace: String?

        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = Node(name: name, attributes: attributes)
            if stack.isEmpty {
                root = node
                namespace = namespaceURI
            }
            stack.last?.children.append(node)
            stack.append(node)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
    }

    /// Parses an Atom feed and checks what RFC 4287 requires of it; the root `feed` element.
    static func atom(_ response: TestResponse) throws -> Node {
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
        let parser = XMLParser(data: Data(try response.plainBody().readableBytesView))
        parser.shouldProcessNamespaces = true
        let builder = TreeBuilder()
        parser.delegate = builder
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        let feed = try #require(builder.root)
        #expect(feed.name == "feed" && builder.namespace == "http://www.w3.org/2005/Atom")
        for required in ["id", "title", "updated", "author"] { #expect(feed.first(required) != nil, "\(required)") }
        #expect(feed.link("self") != nil)
        let stamp = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/
        #expect(feed.first("updated").map { $0.text.wholeMatch(of: stamp) != nil } == true)
        for entry in feed.all("entry") {
            for required in ["id", "title", "updated", "summary", "content"] {
                #expect(entry.first(required) != nil, "entry \(required)")
            }
            #expect(entry.first("updated").map { $0.text.wholeMatch(of: stamp) != nil } == true)
            #expect(["http", "https"].contains(URL(string: entry.first("id")?.text ?? "")?.scheme ?? ""))
        }
        return feed
    }

    struct JSONFeedDocument: Decodable {
        struct Item: Decodable {
            var id: String
            var url: String?
            var externalUrl: String?
            var title: String?
            var contentText: String?
            var contentHtml: String?
            var datePublished: Date?
            var dateModified: Date?
            var tags: [String]?
            var authors: [[String: String]]?
        }
        var version: String
        var title: String
        var feedUrl: String?
        var nextUrl: String?
        var items: [Item]
    }

    static func jsonFeed(_ response: TestResponse) throws -> JSONFeedDocument {
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/feed+json; charset=utf-8")
        let feed = try response.decoded(JSONFeedDocument.self)
        #expect(feed.version == "https://jsonfeed.org/version/1.1")
        // JSON Feed 1.1: every item has an id and content_text or content_html.
        #expect(feed.items.allSatisfy { !$0.id.isEmpty && ($0.contentText != nil || $0.contentHtml != nil) })
        return feed
    }

    /// The path and query of an absolute link, to follow it on the test client.
    static func target(_ link: String) throws -> String {
        let url = try #require(URLComponents(string: link))
        return url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    @Test("Atom: every article with its fields; filters and search select; RFC 5005 next links page through")
    func atomFeed() async throws {
        try await withApp { client in
            let feed = try Self.atom(try await client.get("/articles/feed.atom"))
            #expect(feed.all("entry").count == 5)
            let tagged = try #require(feed.all("entry").first { !$0.all("category").isEmpty })
            #expect(tagged.all("category").allSatisfy { $0.attributes["term"]?.isEmpty == false })
            #expect(feed.all("entry").contains { $0.link("alternate", type: "text/html") != nil })
            #expect(feed.all("entry").allSatisfy { $0.link("alternate", type: "application/json") != nil })
            #expect(try Self.atom(try await client.get("/articles/feed.atom?q=reikras")).all("entry").count == 4)
            #expect(try Self.atom(try await client.get("/articles/feed.atom?language=no")).all("entry").count == 1)

            var titles: [String] = []
            var next: String? = "/articles/feed.atom?limit=2"
            while let target = next {
                let page = try Self.atom(try await client.get(target))
                titles += page.all("entry").compactMap { $0.first("title")?.text }
                #expect(page.link("first")?.contains("cursor") == false)
                next = try page.link("next").map(Self.target)
            }
            #expect(titles.count == 5 && Set(titles).count == 5)
        }
    }

    @Test("JSON Feed 1.1: items, next_url paging, the same filters")
    func jsonFeedPages() async throws {
        try await withApp { client in
            let feed = try Self.jsonFeed(try await client.get("/articles/feed.json"))
            #expect(feed.items.count == 5)
            #expect(feed.items.allSatisfy { $0.dateModified != nil && $0.title?.isEmpty == false })
            #expect(feed.items.contains { $0.externalUrl?.hasPrefix("http") == true })
            var ids: [String] = []
            var next: String? = "/articles/feed.json?limit=2&sort=published_at"
            while let target = next {
                let page = try Self.jsonFeed(try await client.get(target))
                ids += page.items.map(\.id)
                next = try page.nextUrl.map(Self.target)
            }
            #expect(ids.count == 5 && Set(ids).count == 5)
            #expect(try Self.jsonFeed(try await client.get("/articles/feed.json?q=reikras")).items.count == 4)
        }
    }

    @Test("a hostile title stays text in both feeds; control characters XML cannot carry are dropped")
    func escaping() async throws {
        var arguments = ServerConfiguration.testing
        arguments.apiToken = "feed-token"
        try await withApp(arguments: arguments) { client in
            let title = #"<script>alert("x")</script> & 'quotes' ]]> \#u{7}bell"#
            let body =
                #"{"title":\#(try String(decoding: JSONEncoder().encode(title), as: UTF8.self)),"body":"One paragraph with <b>markup</b> & more.","tags":["<i>tag</i>"]}"#
            let created = try await client.execute(
                uri: "/articles",
                method: .post,
                headers: [.authorization: "Bearer feed-token", .contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(created.status == .created)
            // The write path drops the control character already; the feed would have dropped it too.
            let stored = title.replacingOccurrences(of: "\u{7}", with: "")
            let entries = try Self.atom(try await client.get("/articles/feed.atom?limit=100")).all("entry")
            let entry = try #require(entries.first { $0.first("title")?.text.hasPrefix("<script>") == true })
            #expect(entry.first("title")?.text == stored)
            #expect(entry.first("content")?.text.contains("<b>markup</b> & more.") == true)
            #expect(entry.all("category").first?.attributes["label"] == "<i>tag</i>")
            let json = try Self.jsonFeed(try await client.get("/articles/feed.json?limit=100"))
            #expect(json.items.contains { $0.title == stored })
        }
    }

    @Test("ETag and 304, gzip, HEAD; bad parameters are 400 problems; links use the public URL")
    func protocolAndLinks() async throws {
        var arguments = ServerConfiguration.testing
        arguments.publicURL = "https://news.example.org/clippings"
        try await withApp(arguments: arguments) { client in
            let gzipped = try await client.get("/articles/feed.atom", headers: [.acceptEncoding: "gzip"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            let etag = try #require(gzipped.headers[.eTag])
            let again = try await client.get("/articles/feed.atom", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let feed = try Self.atom(gzipped)
            #expect(feed.link("self") == "https://news.example.org/clippings/articles/feed.atom")
            #expect(
                feed.all("entry").allSatisfy {
                    $0.first("id")?.text.hasPrefix("https://news.example.org/clippings/articles/") == true
                }
            )
            let json = try Self.jsonFeed(try await client.get("/articles/feed.json?limit=1"))
            #expect(
                json.nextUrl?.hasPrefix("https://news.example.org/clippings/articles/feed.json?limit=1&cursor=") == true
            )
            let head = try await client.execute(uri: "/articles/feed.json", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            for query in ["limit=0", "bogus=1", "sort=relevance", "cursor=nope", "from=tomorrow", "facets=tag"] {
                for format in ["atom", "json"] {
                    let response = try await client.get("/articles/feed.\(format)?\(query)")
                    #expect(response.status == .badRequest, "\(format) \(query)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }
}

/// The XML escaping on its own: what text could not be carried is dropped, everything else survives a parser.
@Suite("Atom escaping")
struct AtomEscapingTests {
    @Test(
        "markup, quotes and every control character",
        arguments: [
            "<a href=\"x\">&amp;</a>", "'single' \"double\"", "]]>", "tab\tnewline\ncr\r",
            String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{FFFE}\u{FFFF}ok", "Tromsø – «sitat» 😀",
        ]
    )
    func roundTrip(_ text: String) throws {
        let xml = "<t>\(AtomFeed.escaped(text))</t>"
        let parser = XMLParser(data: Data(xml.utf8))
        final class Collector: NSObject, XMLParserDelegate {
            var text = ""
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        }
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse())
        let carried = text.unicodeScalars.filter { scalar in
            ["\t", "\n", "\r"].contains(scalar)
                || (scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF)
        }
        // XML parsers turn a carriage return into a line feed.
        let expected = String(String.UnicodeScalarView(carried)).replacingOccurrences(of: "\r", with: "\n")
        #expect(collector.text.replacingOccurrences(of: "\r", with: "\n") == expected)
    }
}

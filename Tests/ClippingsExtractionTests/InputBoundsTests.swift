import ClippingsExtraction
import Foundation
import Testing

/// What extraction refuses (bytes that are not text, addresses that are not web pages) and bounds (lists a
/// template made too long).
@Suite("Input bounds")
struct InputBoundsTests {
    @Test("bytes that are not text are named and refused; text in any encoding we read passes")
    func binaryContent() throws {
        let random = (0..<2048).map { UInt8(truncatingIfNeeded: (UInt64($0) &* 0x9E37_79B9_7F4A_7C15) >> 56) }
        let cases: [([UInt8], String?)] = [
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("<p>text</p>".utf8), "a PNG image"),
            ([0x1F, 0x8B, 0x08, 0x00] + Array("<html>".utf8), "gzip-compressed data"),
            (Array("%PDF-1.7\n".utf8), "a PDF file"),
            (random, "binary data"),
            (Array("Politiet i Tromsø sier at saken er løst.\n\u{0C}Side 2\n".utf8), nil),
            ("Tromsø: politiet åpner sak".data(using: .isoLatin1).map(Array.init) ?? [], nil),
            ([0xFF, 0xFE] + Array("Oslo".data(using: .utf16LittleEndian)!), nil),
            (Array("tab\tseparated\r\nlines\n".utf8), nil),
        ]
        for (bytes, kind) in cases {
            #expect(BinaryContent.kind(of: Data(bytes)) == kind, "\(bytes.prefix(8))")
        }
        #expect(throws: ExtractionError.notText("a PNG image")) {
            try DocumentExtractor().extract(DocumentInput(data: Data(cases[0].0)))
        }
        #expect(throws: ExtractionError.notText("binary data")) {
            try DocumentExtractor().extract(DocumentInput(data: Data(random), fileName: "notes.txt"))
        }
    }

    @Test("only absolute http(s) URLs with a host are web addresses")
    func webAddresses() {
        for url in ["https://example.com", "http://nrk.no/a/b?c=1#d", "HTTPS://Example.com/x", "https://tromsø.no/sak"]
        {
            #expect(ArticleURL.isWebAddress(url), "\(url)")
        }
        for url in [
            "javascript:alert(1)", "file:///etc/passwd", "notaurl", "http://", "https:///path", "//example.com/a",
            "/relative", "https://exa mple.com", "https://example.com/\u{0}", "data:text/html,<b>",
            "https://example.com/" + String(repeating: "a", count: 2_000),
        ] {
            #expect(!ArticleURL.isWebAddress(url), "\(url.prefix(40))")
        }
    }

    @Test("a page keeps its first 100 tags, names cut to 100 characters, script addresses dropped; cuts are named")
    func extractedLimits() throws {
        let tags = (0..<150).map { #"<a rel="tag" href="/tag/t\#($0)">topic \#($0)</a>"# }.joined(separator: " ")
        let long = String(repeating: "long words ", count: 30)
        let page = """
            <html><head><title>Tagged</title><link rel="canonical" href="javascript:void(0)"></head><body>
            <article><h1>Tagged</h1><p>The council met on Monday and agreed a budget for the harbour, with
            <a href="javascript:steal()">a script</a> and <a href="https://council.example/budget">the budget</a>.</p>
            <footer><a rel="tag" href="/tag/long">\(long)</a> \(tags)</footer></article></body></html>
            """
        let article = try DocumentExtractor().extract(DocumentInput(text: page))
        #expect(article.tags.count == 100)
        #expect(article.tags.allSatisfy { $0.name.count <= 100 && $0.slug.count <= 100 && !$0.slug.isEmpty })
        #expect(article.cuts.contains("kept the first 100 of 151 tags"))
        #expect(article.cuts.contains("cut tag names to 100 characters"))
        #expect(article.url == nil)
        #expect(article.links.map(\.url) == ["https://council.example/budget"])
        // Within the limits nothing is cut, and nothing says so.
        let plain = try DocumentExtractor().extract(
            DocumentInput(text: "Budget agreed\n\nThe council agreed a budget.")
        )
        #expect(plain.cuts.isEmpty)
    }
}

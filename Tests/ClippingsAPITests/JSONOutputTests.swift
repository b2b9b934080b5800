import ClippingsExtraction
import ClippingsStore
import Foundation
import Testing

@testable import ClippingsAPI

/// `JSONOutput` writes the API's JSON without `JSONEncoder`: its bytes must be `JSONEncoder`'s, or ETags
/// and cached bodies would change with the path a response took.
@Suite struct JSONOutputTests {
    /// Text with everything a JSON string escapes, and what it must leave alone.
    static let awkwardText = [
        "", "plain", "quote \" and backslash \\", "slash / and </script>", "tab\there\nnew line\r\u{8}\u{C}",
        "control \u{1}\u{1F}\u{7F}", "Ærøy «sitat» – 😀", "\u{2028}\u{2029}", "<mark>word</mark> &amp;",
    ]

    @Test func listsOfSearchResultsMatchJSONEncoder() throws {
        var random = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let items = (0..<(round % 5)).map { _ in ArticleSummaryJSON(Self.article(&random)) }
            var list = ListResponse(
                Page(items: items, total: Int.random(in: 0...1_000_000, using: &random), nextCursor: nil)
            ) { $0 }
            if Bool.random(using: &random) { list.nextCursor = Self.awkwardText.randomElement(using: &random) }
            if Bool.random(using: &random) {
                list.facets = [
                    "tag": [FacetCount(value: "a\"b", count: 3), FacetCount(value: "ø", count: 1)],
                    "year": [FacetCount(value: "2016", count: 12)], "language": [],
                ]
            }
            let sparse: Set<String>? =
                Bool.random(using: &random)
                ? nil : Set(ResourceFields.articleSummaryNames.filter { _ in Bool.random(using: &random) })
            try Self.expectSameBytes(list, fields: sparse)
        }
    }

    @Test func wholeArticlesMatchJSONEncoder() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let summary = Self.article(&random)
            let detail = ArticleDetail(
                summary: summary,
                paragraphs: Self.awkwardText.shuffled(using: &random),
                categories: ["News"],
                links: [
                    ArticleDetail.Link(
                        url: "https://example.com/a?b=1&c=\"",
                        text: Self.awkwardText.randomElement(using: &random)!
                    )
                ],
                images: [
                    ArticleDetail.Image(url: "https://example.com/i.png", alt: nil),
                    ArticleDetail.Image(url: "https://example.com/j.png", alt: "«\u{1}»"),
                ],
                externalID: Bool.random(using: &random) ? nil : "ext-1",
                createdAt: Date(timeIntervalSince1970: 1_700_000_000),
                updatedAt: Date(timeIntervalSince1970: 1_700_000_100)
            )
            try Self.expectSameBytes(ArticleJSON(detail), fields: nil)
            try Self.expectSameBytes(ArticleJSON(detail), fields: ["id", "body", "updated_at"])
        }
    }

    @Test(arguments: [
        0.0, 1.0, -2.0, 0.1, 3.920095126715656, 1e-7, 2.5e-5, 123_456_789.125, 1e16, 1.5e300, -0.000001,
        Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude,
    ])
    func numbersMatchJSONEncoder(_ number: Double) throws {
        try Self.expectSameBytes(["n": number], fields: nil)
    }

    @Test func datesMatchJSONEncoder() throws {
        var random = SystemRandomNumberGenerator()
        let edges: [TimeInterval] = [
            0, -1, 86_399, 86_400, 951_782_400, 4_107_542_399, -2_208_988_800, 253_402_300_799,
        ]
        let dates =
            edges
            + (0..<500).map { _ in TimeInterval(Int64.random(in: -5_000_000_000...8_000_000_000, using: &random)) }
        for seconds in dates {
            try Self.expectSameBytes(["d": Date(timeIntervalSince1970: seconds)], fields: nil)
        }
    }

    static func expectSameBytes<Value: Encodable & JSONWritable>(_ value: Value, fields: Set<String>?) throws {
        let expected = try JSONOutput.encoder(fields: fields).encode(value)
        let written = JSONOutput.bytes(of: value, fields: fields)
        #expect(
            String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            "fields \(fields.map { $0.sorted() } ?? [])"
        )
    }

    static func article(_ random: inout SystemRandomNumberGenerator) -> ArticleSummary {
        func text() -> String { awkwardText.randomElement(using: &random)! }
        let hasHit = Bool.random(using: &random)
        return ArticleSummary(
            id: Int64.random(in: 1...Int64.max, using: &random),
            slug: text(),
            title: text(),
            author: Bool.random(using: &random) ? nil : text(),
            authors: (0..<Int.random(in: 0...3, using: &random)).map { _ in text() },
            publishedAt: Bool.random(using: &random)
                ? nil : Date(timeIntervalSince1970: TimeInterval(Int.random(in: 0...2_000_000_000, using: &random))),
            language: text(),
            source: Bool.random(using: &random)
                ? nil : SourceRef(slug: text(), name: text(), domain: Bool.random(using: &random) ? nil : text()),
            url: Bool.random(using: &random) ? nil : "https://example.com/a/\(text())",
            tags: (0..<Int.random(in: 0...4, using: &random)).map { _ in TagRef(slug: text(), name: text()) },
            wordCount: Int.random(in: 0...100_000, using: &random),
            summary: text(),
            hit: hasHit
                ? SearchHit(
                    score: Double.random(in: 0...40, using: &random),
                    snippet: Bool.random(using: &random) ? nil : text()
                ) : nil
        )
    }
}

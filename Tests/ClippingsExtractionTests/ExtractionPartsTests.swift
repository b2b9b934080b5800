import Foundation
import Testing

@testable import ClippingsExtraction

@Suite("Extraction building blocks")
struct ExtractionPartsTests {
    @Test("language: English, Norwegian, and undetermined for short or other-language text")
    func languages() {
        #expect(
            LanguageIdentifier.identify("The police said that the men were arrested in the city on Monday.") == "en"
        )
        #expect(
            LanguageIdentifier.identify(
                "Politiet sier at mennene ble pågrepet i byen på mandag, og at de ikke er løslatt."
            ) == "no"
        )
        #expect(LanguageIdentifier.identify("Operation Dark Room") == "und")
        #expect(LanguageIdentifier.identify("") == "und")
        let swedish =
            "Polisen säger att männen greps i staden på måndagen och att de inte har släppts, enligt uppgifter."
        #expect(!["en", "no"].contains(LanguageIdentifier.identify(swedish)))
        let german =
            "Die Polizei hat am Montag in der Stadt mehrere Männer festgenommen, die nicht mehr auf freiem Fuß sind."
        #expect(!["en", "no"].contains(LanguageIdentifier.identify(german)))
        #expect(LanguageIdentifier.canonicalCode("nb") == "no")
    }

    @Test("a date in digits of another script is no date, not a crash (found by the fuzzer)")
    func otherDigits() throws {
        #expect(DateRecognizer.date(from: "٢٠١٦-١١-٢٩") == nil)
        #expect(DateRecognizer.date(from: "２０１６-11-29T10:00:00Z") == nil)
        let page =
            #"<html><head><meta property="article:published_time" content="٢٠١٦-١١-٢٩"><title>Quay</title></head>"#
            + "<body><article><h1>Quay approved</h1><p>The harbour board approved the new quay on Tuesday, "
            + "after a long debate about costs and the fishing fleet.</p></article></body></html>"
        let article = try DocumentExtractor().extract(DocumentInput(text: page, fileName: "page.html"))
        #expect(article.publishedAt == nil)
    }

    @Test("dates as news sites write them")
    func dates() {
        let day = TestDocuments.date("2016-11-29T00:00:00Z")
        for text in [
            "November 29, 2016", "29 November 2016", "Nov. 29, 2016", "29. november 2016", "2016-11-29",
            "Tuesday, November 29, 2016", "NOVEMBER 29, 2016", "29th of November 2016",
        ] {
            #expect(DateRecognizer.date(from: text) == day, "\(text)")
        }
        #expect(DateRecognizer.date(from: "2016-11-29T10:30:00+02:00") == TestDocuments.date("2016-11-29T08:30:00Z"))
        for text in ["February 30, 2016", "Operation 29 November", "8 Comments", "2016-13-01", "yesterday"] {
            #expect(DateRecognizer.date(from: text) == nil, "\(text)")
        }
    }

    @Test("HTML entities: named, decimal, hex, Windows-1252 range, unknown kept")
    func entities() {
        #expect(HTMLEntities.decode("a &amp; b &lt;c&gt; &#8217; &#x2014; &nbsp;") == "a & b <c> ’ — \u{00A0}")
        #expect(HTMLEntities.decode("&#150; &#147;quoted&#148;") == "– “quoted”")
        #expect(HTMLEntities.decode("AT&T &bogus; &#xZZ; &") == "AT&T &bogus; &#xZZ; &")
    }

    @Test("slugs fold Norwegian letters and accents")
    func slugs() {
        #expect(Slugifier.slug("Blåbær Økonomi") == "blabaer-okonomi")
        #expect(Slugifier.slug("  Data   Protection! ") == "data-protection")
        #expect(Slugifier.slug("Vitáris") == "vitaris")
        #expect(Slugifier.slug("—") == "")
    }

    @Test("slugs tell symbols apart and stay readable in any script")
    func slugsOfSymbolsAndScripts() {
        #expect(Slugifier.slug("C++") == "c-plus-plus")
        #expect(Slugifier.slug("C#") == "c-sharp")
        #expect(Slugifier.slug("C") == "c")
        #expect(Slugifier.slug("F# and C#/.NET") == "f-sharp-and-c-sharp-net")
        #expect(Slugifier.slug("Tom & Jerry") == "tom-and-jerry")
        #expect(Slugifier.slug("#MeToo") == "metoo")
        #expect(Slugifier.slug("Issue #12") == "issue-12")
        #expect(Slugifier.slug("Москва") == "moskva")
        #expect(Slugifier.slug("Путин в Москве") == "putin-v-moskve")
        #expect(Slugifier.slug("Αθήνα") == "athena")
        #expect(Slugifier.slug("日本") == "ri-ben")
        #expect(Slugifier.slug("Zürich – Köln") == "zurich-koln")
        // Each distinct name of these gets a distinct slug.
        let names = ["C++", "C#", "C", "Москва", "Moskva Times", "日本", "中国"]
        #expect(Set(names.map(Slugifier.slug)).count == names.count)
        #expect(names.allSatisfy { !Slugifier.slug($0).isEmpty })
    }

    @Test("text helpers: the byte-level fast paths agree with the standard library")
    func textHelpers() {
        let samples = [
            "Plain ASCII Text, With CAPS.", "Blåbær ØKONOMI på Ærø", "İstanbul ΣΊΣΥΦΟΣ straße", "e\u{301}TÉ Ǆ",
            "mixed ’quotes’ and emoji 👍🏽 Done", "",
        ]
        for sample in samples {
            #expect(TextNormalizer.lowercased(sample) == sample.lowercased(), "\(sample)")
            #expect(TextNormalizer.wordCount(in: sample) == TextNormalizer.words(in: sample).count)
        }
        #expect(
            TextNormalizer.words(in: "Fløystad’s 2 non-stop café-bar, ok?") == [
                "Fløystad’s", "2", "non-stop", "café-bar", "ok",
            ]
        )
        #expect(TextNormalizer.lines(of: "a\r\nb\rc\nd\u{2028}e\n") == ["a", "b", "c", "d", "e", ""])
        #expect(TextNormalizer.collapse(" a\u{00A0}\u{200B}b \t c\u{00AD}d\u{0007} ") == "a b cd")
        #expect(TextNormalizer.trimmed(" «Hei!» ", punctuation: true) == "Hei")
        #expect(TextNormalizer.trimmed("\u{2003}x y\n") == "x y")
    }

    @Test("bylines: joined names, roles after a comma, and sentences that only start with 'by'")
    func bylines() {
        #expect(HTMLBodyExtractor.byline("By Anna Berg and Tom Lie") == "Anna Berg and Tom Lie")
        #expect(HTMLBodyExtractor.byline("By Marcus Reyes, Staff Writer") == "Marcus Reyes")
        #expect(HTMLBodyExtractor.byline("Skrevet av Kari Nordmann, politisk redaktør") == "Kari Nordmann")
        #expect(HTMLBodyExtractor.byline("By Jane Doe, Tom Lie") == "Jane Doe, Tom Lie")
        #expect(HTMLBodyExtractor.byline("By and large the council agreed") == nil)
        #expect(HTMLBodyExtractor.byline("By the time the ferry arrived, it was dark") == nil)
    }

    @Test("hostile markup: every document still gives its text, and no markup leaks into it")
    func hostileMarkup() throws {
        let deep = String(repeating: "<div>", count: 20_000) + "deep text" + String(repeating: "</div>", count: 5)
        let inputs = [
            deep, "<", "<<<>>>", "<a href=\"unterminated", "<!-- never closed", "<p>&#99999999999;</p>",
            "<script>", "</p></p></div>", "<p title='x'>a<b>b<i>c</p>d</b>e", String(repeating: "&", count: 10_000),
        ]
        let lead = "Ferry fares rose again in Bergen this week, the third rise this year."
        for input in inputs {
            let article: ExtractedArticle
            do {
                article = try DocumentExtractor().extract(DocumentInput(text: "<p>\(lead)</p>" + input))
            } catch {
                Issue.record("\(input.prefix(40)): \(error)")
                continue
            }
            #expect(article.paragraphs.first == lead, "\(input.prefix(40))")
            #expect(!Self.holdsMarkup(article.body), "\(input.prefix(40)): \(article.body.prefix(80))")
            #expect(
                article.body.unicodeScalars.count <= lead.count + 2 + input.unicodeScalars.count,
                "\(input.prefix(40))"
            )
        }
        let article = try DocumentExtractor().extract(DocumentInput(text: deep))
        #expect(article.body == "deep text")
    }

    /// Whether text holds what reads as a tag, a comment or a declaration: `<` before a letter, `/` or `!`.
    static func holdsMarkup(_ text: String) -> Bool {
        zip(text.unicodeScalars, text.unicodeScalars.dropFirst()).contains { first, next in
            first == "<" && (next.properties.isAlphabetic || next == "/" || next == "!")
        }
    }

    @Test("random bytes: an article of clean text taken from the input, or a clear error; never a crash")
    func randomBytes() {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("<>/=\"' &#;abcpdivspanhref:.\n-–()0123456789ÆØÅ".utf8)
        var articles = 0
        for _ in 0..<300 {
            let length = Int(generator.next() % 400)
            let bytes = (0..<length).map { _ in
                generator.next() % 5 == 0
                    ? UInt8(truncatingIfNeeded: generator.next())
                    : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let article: ExtractedArticle
            do {
                article = try DocumentExtractor().extract(DocumentInput(data: Data(bytes)))
            } catch {
                // The typed error: empty, binary or otherwise unreadable input, said so.
                #expect(!error.localizedDescription.isEmpty)
                continue
            }
            articles += 1
            // Bounded: no more characters than the input had bytes (markup and entities only shrink).
            #expect(article.body.unicodeScalars.count <= bytes.count)
            #expect(article.title.unicodeScalars.count <= bytes.count)
            // Clean: paragraphs are trimmed, non-empty, and free of control characters.
            for paragraph in article.paragraphs + [article.title] {
                #expect(!paragraph.isEmpty && paragraph == paragraph.trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(!paragraph.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            }
            // Taken from the input: every ASCII letter of the text is one the input holds.
            let inputLetters = Set(bytes.filter { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A })
            #expect(
                article.body.utf8.allSatisfy { ($0 | 0x20) < 0x61 || ($0 | 0x20) > 0x7A || inputLetters.contains($0) }
            )
        }
        // The comparison means something: many random inputs still make articles.
        #expect(articles > 30)
    }
}

/// A tiny deterministic generator, so the random test is the same every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

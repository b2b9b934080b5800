import ClippingsExtraction
import Foundation
import Testing

/// Documents written for these tests: the same kinds as the seeds, in shapes the seeds do not show.
@Suite("Documents beyond the seeds")
struct ExtractionVariantTests {
    @Test(
        "another WordPress theme: entry-title, time datetime, byline card, figure, share bar, related posts; subheadings kept"
    )
    func twentyTwentyTheme() throws {
        let html = """
            <article id="post-4711" class="post-4711 post type-post status-publish tag-privacy">
              <header class="entry-header">
                <h1 class="entry-title"><a href="https://example.org/2021/03/04/city-council-votes/" rel="bookmark">City council votes to publish &ldquo;all&rdquo; contracts</a></h1>
                <span class="byline">By <a class="url fn n" href="https://example.org/author/jdoe/">Jane Doe</a></span>
                <time class="entry-date published" datetime="2021-03-04T09:15:00+01:00">4 March 2021</time>
                <time class="updated" datetime="2021-03-05T10:00:00+01:00">5 March 2021</time>
              </header>
              <div class="entry-content">
                <p>The council voted 31&ndash;12 on Thursday to publish every contract above 100&nbsp;000 kroner.</p>
                <figure class="wp-block-image"><img src="/wp-content/uploads/hall.jpg" alt="The council hall"><figcaption>The council hall. Photo: Example</figcaption></figure>
                <h2>What changes</h2>
                <p>Contracts will appear <a href="https://data.example.org/contracts">in the open data portal</a> within a week.</p>
                <div class="sharedaddy"><p>Share this:</p><a href="https://twitter.com/share">Twitter</a></div>
                <div id="jp-relatedposts"><p>Related: Council budget passes</p></div>
              </div>
              <footer class="entry-footer">
                <span class="cat-links"><a href="https://example.org/category/local/" rel="category tag">Local Politics</a></span>
                <span class="tags-links"><a href="https://example.org/tag/data-protection/" rel="tag">Data Protection</a>, <a href="https://example.org/tag/open-data/" rel="tag">Open Data</a></span>
              </footer>
              <section id="comments" class="comments-area"><p>Great news!</p></section>
            </article>
            """
        let article = try TestDocuments.extract(html)
        #expect(article.title == "City council votes to publish “all” contracts")
        #expect(article.author == "Jane Doe")
        #expect(article.publishedAt == TestDocuments.date("2021-03-04T08:15:00Z"))
        #expect(article.url == "https://example.org/2021/03/04/city-council-votes/")
        #expect(article.source?.domain == "example.org")
        #expect(article.categories == ["Local Politics"])
        #expect(
            article.tags == [
                Tag(slug: "data-protection", name: "Data Protection"), Tag(slug: "open-data", name: "Open Data"),
            ]
        )
        #expect(article.externalID == "4711")
        #expect(
            article.paragraphs == [
                "The council voted 31–12 on Thursday to publish every contract above 100 000 kroner.",
                "What changes",
                "Contracts will appear in the open data portal within a week.",
            ]
        )
        #expect(article.links == [Link(url: "https://data.example.org/contracts", text: "in the open data portal")])
        #expect(
            article.images == [Image(url: "https://example.org/wp-content/uploads/hall.jpg", alt: "The council hall")]
        )
        #expect(article.language == "en")
    }

    @Test("broken markup: unclosed paragraphs, stray end tags, upper case, unquoted attributes, scripts")
    func brokenMarkup() throws {
        let html = """
            ---
            Storm closes &amp; floods coastal road
            ---
            <DIV class=post-inner><SPAN>Posted by: <A href=https://coast.example.com/author/kim/>Kim Berg</A></SPAN></p></span>
            <span>January 5, 2022</span>
            <P>Heavy rain closed the coastal road on Wednesday morning.
            <P>Crews expect to reopen one lane by Friday, the road authority said.</div></div>
            <script>document.write("<p>not text</p>")</script>
            <p style="display: none">hidden teaser</p>
            <p>Drivers should use the inland route &mdash; it adds about 20 minutes.
            """
        let article = try TestDocuments.extract(html)
        #expect(article.title == "Storm closes & floods coastal road")
        #expect(article.author == "Kim Berg")
        #expect(article.publishedAt == TestDocuments.date("2022-01-05T00:00:00Z"))
        #expect(
            article.paragraphs == [
                "Heavy rain closed the coastal road on Wednesday morning.",
                "Crews expect to reopen one lane by Friday, the road authority said.",
                "Drivers should use the inland route — it adds about 20 minutes.",
            ]
        )
        #expect(article.source?.domain == "coast.example.com")
    }

    @Test("plain text: headline, byline, wire dateline with agency")
    func wireStory() throws {
        let text = """
            Ferry operator cancels winter routes

            By Ola Nordmann

            TROMSØ, NORWAY (JANUARY 12, 2023) (NTB) – The ferry operator said on Thursday it would cancel three winter routes.

            The company blamed rising fuel costs and a shortage of crew.

            Latest news

            Another story headline
            """
        let article = try TestDocuments.extract(text)
        #expect(article.title == "Ferry operator cancels winter routes")
        #expect(article.author == "Ola Nordmann")
        #expect(article.publishedAt == TestDocuments.date("2023-01-12T00:00:00Z"))
        #expect(article.source?.name == "NTB")
        #expect(
            article.paragraphs == [
                "The ferry operator said on Thursday it would cancel three winter routes.",
                "The company blamed rising fuel costs and a shortage of crew.",
            ]
        )
    }

    @Test("other datelines: Reuters style and press-release style")
    func otherDatelines() throws {
        let reuters = try TestDocuments.extract(
            "OSLO (Reuters) - Norway's central bank kept its key rate unchanged on Thursday, as expected by analysts.\n"
                + "The bank said it would likely raise rates later this year."
        )
        #expect(reuters.source?.name == "Reuters")
        #expect(reuters.publishedAt == nil)
        #expect(
            reuters.paragraphs.first
                == "Norway's central bank kept its key rate unchanged on Thursday, as expected by analysts."
        )

        let release = try TestDocuments.extract(
            "BERGEN, Norway, May 5, 2020 — Acme Marine today announced a new research centre in Bergen.\n"
                + "The centre will employ forty engineers from next year."
        )
        #expect(release.publishedAt == TestDocuments.date("2020-05-05T00:00:00Z"))
        #expect(release.paragraphs.first == "Acme Marine today announced a new research centre in Bergen.")
    }

    @Test("a dash in a normal sentence is no dateline")
    func noFalseDateline() throws {
        let article = try TestDocuments.extract(
            "The Prime Minister said - again - that the budget was fair.\nShe spoke to reporters in the capital."
        )
        #expect(article.publishedAt == nil && article.source == nil)
        #expect(article.paragraphs.first == "The Prime Minister said - again - that the budget was fair.")
    }

    @Test("hard-wrapped text is joined into paragraphs; a long first sentence is shortened into a title")
    func wrappedTextWithoutTitle() throws {
        let text = """
            Researchers at the university have found that coastal cod populations recovered faster than expected
            after the fishing quotas were cut in half over a period of five consecutive years in the region.

            The study followed twelve fjords.
            """
        let article = try TestDocuments.extract(text)
        #expect(article.paragraphs.count == 2)
        #expect(article.paragraphs[0].hasSuffix("five consecutive years in the region."))
        #expect(article.title.hasPrefix("Researchers at the university have found"))
        #expect(article.title.hasSuffix("…"))
        #expect(article.title.count <= 111)
    }

    @Test("Norwegian plain text with captions and credits from another paper")
    func norwegianCaptions() throws {
        let text = """
            Kommunen stenger to skoler etter vannlekkasje

            Kommunen har besluttet å stenge to skoler i sentrum etter en stor vannlekkasje natt til mandag.

            Skolen i sentrum
            Skolen i sentrum ble rammet hardest av lekkasjen.
            Foto: Kari Hansen / VG

            Elevene skal få undervisning i andre lokaler fra onsdag, og foreldrene er varslet.

            Det er ikke kjent hvor lenge skolene vil være stengt, sier rektor til avisen.

            Les også

            En annen sak
            """
        let article = try TestDocuments.extract(text)
        #expect(article.title == "Kommunen stenger to skoler etter vannlekkasje")
        #expect(article.language == "no")
        #expect(article.source == Publisher(name: "VG", domain: "vg.no"))
        #expect(
            article.paragraphs == [
                "Kommunen har besluttet å stenge to skoler i sentrum etter en stor vannlekkasje natt til mandag.",
                "Elevene skal få undervisning i andre lokaler fra onsdag, og foreldrene er varslet.",
                "Det er ikke kjent hvor lenge skolene vil være stengt, sier rektor til avisen.",
            ]
        )
    }

    @Test("a URL hint becomes the canonical URL and the publisher when the document names neither")
    func urlHint() throws {
        let article = try TestDocuments.extract(
            "Bridge reopens\n\nThe old bridge reopened to traffic on Monday after a year of repairs.",
            url: "https://www.nrk.no/vestland/bridge-1.234"
        )
        #expect(article.url == "https://www.nrk.no/vestland/bridge-1.234")
        #expect(article.source == Publisher(name: "NRK", domain: "nrk.no"))
    }

    @Test("empty and whitespace-only documents are refused, not turned into empty articles")
    func emptyDocuments() {
        #expect(throws: ExtractionError.emptyDocument) { try TestDocuments.extract("") }
        #expect(throws: ExtractionError.emptyDocument) { try TestDocuments.extract(" \n\t \n") }
        #expect(throws: ExtractionError.emptyDocument) { try TestDocuments.extract("<div><script>x()</script></div>") }
    }

    @Test(
        "character sets: UTF-8 with a BOM, Latin-1 and Windows-1252 by declaration or detection, damaged UTF-8 repaired byte by byte"
    )
    func characterSets() throws {
        let norwegian =
            "Blåbærsesongen er i gang\n\nBøndene i Sør-Trøndelag venter en god sesong, og prisene er «stabile»."
        var withBOM: [UInt8] = [0xEF, 0xBB, 0xBF]
        withBOM += Array(norwegian.utf8)
        #expect(try DocumentExtractor().extract(DocumentInput(data: Data(withBOM))).title == "Blåbærsesongen er i gang")

        // Latin-1 bytes, no declaration: detected because they are not UTF-8.
        let latin1 = try #require(norwegian.data(using: .isoLatin1))
        let detected = try DocumentExtractor().extract(DocumentInput(data: latin1))
        #expect(detected.title == "Blåbærsesongen er i gang")
        #expect(detected.paragraphs.first?.contains("Bøndene i Sør-Trøndelag") == true)
        #expect(detected.paragraphs.first?.contains("«stabile»") == true)

        // Windows-1252 HTML with a meta charset: curly quotes and dashes from 0x80–0x9F.
        var page = Array("<html><head><meta charset=\"windows-1252\"><title>Fiskeriet</title></head><body><p>".utf8)
        page += [
            0x93, 0x4A, 0x61, 0x94, 0x20, 0x96, 0x20, 0x73, 0x61, 0x20, 0x68, 0x61, 0x6E, 0x20, 0xF8, 0x79, 0x65, 0x6E,
            0x2E,
        ]
        page += Array("</p></body></html>".utf8)
        let windows = try DocumentExtractor().extract(DocumentInput(data: Data(page)))
        #expect(windows.paragraphs == ["“Ja” – sa han øyen."])

        // Declared UTF-8 with a damaged byte: the stray byte is read as Windows-1252, the rest stays UTF-8.
        var damaged = Array("<meta charset=\"utf-8\"><p>Bad ".utf8) + [0xFF] + Array(" byte in a paragraph.</p>".utf8)
        damaged += Array("<p>Second paragraph.</p>".utf8)
        let repaired = try DocumentExtractor().extract(DocumentInput(data: Data(damaged)))
        #expect(repaired.paragraphs.first == "Bad ÿ byte in a paragraph.")

        // Undeclared UTF-8 with one stray Latin-1 no-break space in a price: every "ø" survives (issue 16).
        let mixed =
            Array("<p>Strømprisen i Tromsø er nå ".utf8) + [0x31, 0x32, 0xA0]
            + Array("kroner, sier Bjørn Olsen.</p>".utf8)
        let repairedMixed = try DocumentExtractor().extract(DocumentInput(data: Data(mixed)))
        #expect(repairedMixed.paragraphs.first == "Strømprisen i Tromsø er nå 12 kroner, sier Bjørn Olsen.")
    }

    @Test("JSON-LD NewsArticle: headline, date, author, publisher, keywords and section when the markup lacks them")
    func jsonLD() throws {
        let html = """
            <html><head><title>Page</title>
            <script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
             {"@type":["NewsArticle"],"headline":"Wind farm approved off the coast","datePublished":"2022-09-14T07:30:00+02:00",
              "author":[{"@type":"Person","name":"Siri Berg"}],"publisher":{"@type":"Organization","name":"Coast Herald"},
              "mainEntityOfPage":{"@id":"https://coastherald.example/2022/wind-farm"},"keywords":"Energy, Wind power",
              "articleSection":"Business"}]}
            </script></head>
            <body><main><p>The ministry approved the wind farm on Wednesday after two years of review.</p>
            <p>Construction is expected to begin next spring.</p></main></body></html>
            """
        let article = try TestDocuments.extract(html)
        #expect(article.title == "Wind farm approved off the coast")
        #expect(article.publishedAt == TestDocuments.date("2022-09-14T05:30:00Z"))
        #expect(article.author == "Siri Berg")
        #expect(article.source == Publisher(name: "Coast Herald", domain: "coastherald.example"))
        #expect(article.url == "https://coastherald.example/2022/wind-farm")
        #expect(article.tags.map(\.slug) == ["energy", "wind-power"])
        #expect(article.categories == ["Business"])
        #expect(article.paragraphs.count == 2)
        #expect(!article.body.contains("@context"))
    }

    @Test("press releases: the release line is not a headline or body")
    func pressRelease() throws {
        let text = """
            FOR IMMEDIATE RELEASE

            Nordic Ferries orders two electric vessels

            OSLO, Norway, June 1, 2021 — Nordic Ferries today ordered two battery-electric ferries for the Oslofjord.

            The vessels will enter service in 2024.
            """
        let article = try TestDocuments.extract(text)
        #expect(article.title == "Nordic Ferries orders two electric vessels")
        #expect(article.publishedAt == TestDocuments.date("2021-06-01T00:00:00Z"))
        #expect(!article.body.contains("IMMEDIATE"))
        #expect(article.paragraphs.count == 2)
    }
}

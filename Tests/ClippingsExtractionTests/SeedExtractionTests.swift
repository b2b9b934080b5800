import ClippingsExtraction
import Foundation
import Testing

/// The five sample documents, field by field. Each expectation is what a careful reader finds in the
/// document, including where the markup misleads.
@Suite("Seed documents")
struct SeedExtractionTests {
    @Test("WordPress seed 000: header title, byline, date, categories, tags from rel=tag, clean body")
    func wordPressDarknetBust() throws {
        let article = try TestDocuments.seed("000")
        #expect(
            article.title == "Norway Busted Massive a Darknet Child Porn Ring and Seized 150TB of Pictures and Videos"
        )
        #expect(article.author == "C. Aliens")  // trailing space in the markup trimmed
        #expect(article.publishedAt == TestDocuments.date("2016-11-29T00:00:00Z"))
        #expect(article.language == "en")
        #expect(article.source == Publisher(name: "DeepDotWeb", domain: "deepdotweb.com"))
        #expect(
            article.url
                == "https://www.deepdotweb.com/2016/11/29/norway-busted-massive-darknet-child-porn-ring-seized-150tb-pictures-videos/"
        )
        #expect(article.categories == ["Featured", "News Updates"])
        #expect(
            article.tags.map(\.slug) == [
                "150tb", "busted", "child", "darknet", "massive", "norway", "pictures", "porn", "ring", "seized",
                "videos",
            ]
        )
        #expect(article.externalID == "16642")
        #expect(article.paragraphs.count == 18)
        #expect(
            article.paragraphs.first?.hasPrefix("Norwegian officials announced the bust of Norway’s largest") == true
        )
        #expect(article.paragraphs.last?.hasSuffix("is currently 15 years in prison.") == true)
        #expect(
            article.images == [
                Image(
                    url: "https://www.deepdotweb.com/wp-content/uploads/2016/11/nedlasting-jpg.jpeg",
                    alt: "nedlasting.jpg"
                )
            ]
        )
        #expect(article.links.count == 6)
        #expect(
            article.links.contains(
                Link(
                    url: "https://www.nrk.no/hordaland/to-politikarar-tatt-i-massiv-overgrepssak-1.13236655",
                    text: "according to NRK"
                )
            )
        )
        for boilerplate in ["Posted by", "8 Comments", "Featured", "150tb", "C. Aliens", "2016-11-29", "<"] {
            #expect(!article.body.contains(boilerplate), "body holds \(boilerplate)")
        }
    }

    @Test("WordPress seed 001: no entry wrapper, tag 33 not the class's tag-1099, body tag link not a tag")
    func wordPressDarkRoomCases() throws {
        let article = try TestDocuments.seed("001")
        #expect(article.title == "Norway Opened 33 New Cases In Operation Dark Room Child Porn Investigation")
        #expect(article.author == "Benjamin Vitáris")
        #expect(article.publishedAt == TestDocuments.date("2017-06-17T00:00:00Z"))
        #expect(article.language == "en")
        #expect(article.source?.domain == "deepdotweb.com")
        #expect(article.categories == ["Featured", "News Updates"])
        let slugs = article.tags.map(\.slug)
        #expect(
            slugs == ["33", "cases", "child", "dark", "investigation", "norway", "opened", "operation", "porn", "room"]
        )
        #expect(!slugs.contains("1099"))
        #expect(!slugs.contains("playpen"))  // a body link to a tag page is not a tag of this article
        #expect(article.externalID == "20692")
        #expect(article.paragraphs.count == 12)
        #expect(
            article.paragraphs.first?.hasPrefix("According to the Norwegian news publication newsinenglish.no") == true
        )
        #expect(article.paragraphs.last?.hasSuffix("42 in Switzerland.") == true)
        #expect(article.links.contains(Link(url: "https://www.deepdotweb.com/tag/playpen/", text: "PlayPen")))
        #expect(article.images.isEmpty)
        for boilerplate in ["Leave a comment", "Posted by", "investigation opened", "2017-06-17"] {
            #expect(!article.body.contains(boilerplate), "body holds \(boilerplate)")
        }
    }

    @Test("plain text without a headline: title derived from the first sentence, nothing guessed")
    func plainTextWithoutHeadline() throws {
        let article = try TestDocuments.seed("002")
        #expect(article.title.hasPrefix("Police in Norway have identified more than 50 people suspected"))
        #expect(article.title.count <= 111)
        #expect(article.author == nil)
        #expect(article.publishedAt == nil)  // "Sunday", "in 2015", "Back in August" are no publication date
        #expect(article.source == nil)  // Aftenposten and The Local are cited, not the publisher
        #expect(article.url == nil)
        #expect(article.language == "en")
        #expect(article.tags.isEmpty && article.categories.isEmpty)
        #expect(article.paragraphs.count == 10)
        #expect(article.paragraphs.first?.hasPrefix("Police in Norway have identified") == true)
        #expect(article.paragraphs.last?.hasPrefix("Speaking at the time, Steven Wilson") == true)
    }

    @Test("plain text with headline and dateline: date and agency from the dateline, not from the body")
    func plainTextWithDateline() throws {
        let article = try TestDocuments.seed("003")
        #expect(article.title == "Norwegian police uncover large paedophile ring")
        #expect(article.publishedAt == TestDocuments.date("2016-11-20T00:00:00Z"))  // not "Monday (November 21)"
        #expect(article.source?.name == "TV2")
        #expect(article.author == nil)
        #expect(article.language == "en")
        #expect(article.paragraphs.count == 13)
        #expect(article.paragraphs.first?.hasPrefix("Police in Bergen, Norway’s second biggest city") == true)
        #expect(article.paragraphs[1].hasPrefix("Norwegian Prime Minister Erna Solberg said on Monday"))
        #expect(!article.body.contains("BERGEN, NORWAY (NOVEMBER 20, 2016)"))
        #expect(!article.body.contains("Norwegian police uncover large paedophile ring"))
    }

    @Test("Norwegian text: language, NRK from the photo credits, captions, subheadings and 'Siste nytt' out")
    func norwegianText() throws {
        let article = try TestDocuments.seed("004")
        #expect(article.title == "En av verdens største barneovergrepsringer på nett avslørt")
        #expect(article.language == "no")
        #expect(article.source == Publisher(name: "NRK", domain: "nrk.no"))
        #expect(article.publishedAt == nil)
        #expect(article.author == nil)
        #expect(article.paragraphs.count == 19)
        #expect(article.paragraphs.first?.hasPrefix("Tysk politi har, i samarbeid med Europol") == true)
        #expect(article.paragraphs.last?.hasPrefix("– Vi bistår ved behov med kompetanse") == true)
        for boilerplate in [
            "Foto:", "Politiet overvåker nettet, på jakt etter overgripere.", "400.000 brukere",
            "Samarbeid mellom flere land",
            "Grenseoverskridende kriminalitet", "Emil Kofoed er leder for Seksjon", "SISTE NYTT", "Siste nytt",
        ] {
            #expect(!article.body.contains(boilerplate), "body holds \(boilerplate)")
        }
        // The quote attributed to Kofoed stays: only the caption repeating it goes.
        #expect(article.body.contains("Det sier Emil Kofoed, som er leder for Seksjon for seksuallovbrudd hos Kripos."))
    }
}

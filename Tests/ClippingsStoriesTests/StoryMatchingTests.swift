import Foundation
import Testing

@testable import ClippingsStories

/// Story matching on articles written for these tests: two events of one kind, one event in two languages,
/// and wire copies dressed up by the sites that ran them.
@Suite struct StoryMatchingTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static let ferryOne = StoryFeatures(
        title: "Ferry Nordstjerna runs aground near Florø",
        body: """
            The coastal ferry Nordstjerna ran aground near Florø on Tuesday evening with 214 passengers on \
            board. Rescue coordinator Ingrid Vatne said all passengers were brought ashore by lifeboats.

            The Norwegian Maritime Authority has opened an investigation into the grounding.
            """,
        published: start
    )
    static let ferryOneFollowUp = StoryFeatures(
        title: "Nordstjerna captain questioned after grounding",
        body: """
            Police questioned the captain of the Nordstjerna a day after the ferry hit a skerry near Florø. \
            Ingrid Vatne said the 214 passengers had all been checked by doctors.
            """,
        published: start + day
    )
    static let ferryOneNorwegian = StoryFeatures(
        title: "Nordstjerna gikk på grunn ved Florø",
        body: """
            Hurtigbåten Nordstjerna gikk på grunn ved Florø tirsdag kveld med 214 passasjerer om bord. \
            Redningsleder Ingrid Vatne sier at alle ble hentet i land med livbåter.
            """,
        published: start + day / 2
    )
    static let ferryTwo = StoryFeatures(
        title: "Ferry Polarlys runs aground off Bodø",
        body: """
            The coastal ferry Polarlys ran aground off Bodø on Sunday morning with 88 passengers on board. \
            Rescue coordinator Tor Hegge said nobody was hurt and tugs were on their way.

            The Norwegian Maritime Authority has opened an investigation into the grounding.
            """,
        published: start + 40 * day
    )

    /// Every word weighs alike: what a young archive knows.
    static func vectors(_ features: StoryFeatures) -> StoryVectors { features.weighted { _ in 1 } }

    @Test func namesAreCapitalisedWordsAwayFromASentencesStart() {
        let features = StoryFeatures(
            title: "Another star in rehab",
            body: "Word comes that Tara Reid's agent Jack Ketsoyan confirmed it. Promises said 1,500 fans wrote in."
        )
        #expect(Set(features.names.keys) == ["tara", "reid", "jack", "ketsoyan"])
        #expect(features.figures == ["1500"])
        #expect(features.terms["word"] == nil || features.names["word"] == nil)
    }

    @Test func wordsSplitOnUnicodePunctuationAndFoldTheirLetters() {
        let words = StoryWords.words(in: "«Tromsø» — Reikrås’s “Room” 1,500 kr.\u{00A0}ÆRE×2 don't")
        #expect(words.map(\.folded) == ["tromso", "reikras", "room", "1500", "kr", "aere", "2", "don't"])
        #expect(words.map(\.capitalised) == [true, true, true, false, false, true, false, false])
        #expect(words.map(\.opensSentence) == [true, false, false, false, false, true, false, false])
    }

    @Test func wordsReadOnceForTheSignatureGiveTheFeaturesOfTheLeadAlone() {
        // Over 3 000 characters, with words beyond the lead that must not count, and a non-ASCII word at
        // the lead's edge (offsets are bytes; the lead is characters).
        let sentence = "Ålesund ferry fares rose by 12 percent, said Kari Nordmann in Bergen. "
        let tail = "Quarterly Tromsø harbour statistics follow later. "
        let body = String(repeating: sentence, count: 45) + String(repeating: tail, count: 80)
        #expect(body.count > 3 * StoryFeatures.leadLength)
        let once = StoryWords.words(in: body.prefix(ShingleSignature.textLimit))
        #expect(once.map(\.start) == once.map(\.start).sorted() && once[1].start == "Ålesund ".utf8.count)
        let shared = StoryFeatures(title: "Fares rise", body: body, bodyWords: once)
        #expect(shared == StoryFeatures(title: "Fares rise", body: body))
        #expect(shared.terms["harbour"] == nil && shared.names["tromso"] == nil)
        #expect(ShingleSignature(words: once) == ShingleSignature(text: body))
    }

    @Test func aSentenceOpeningNameCountsWhenTheTextNamesItElsewhere() {
        let features = StoryFeatures(
            title: "x",
            body: "Vatne led the rescue. Later that night, coordinator Vatne spoke. Rescue ended at dawn."
        )
        #expect(features.names["vatne"] == 2)
        #expect(features.names["rescue"] == nil)
        #expect(features.names["later"] == nil)
    }

    @Test func aFollowUpAndATranslationJoinTheirStoryNotTheOtherEventOfTheSameKind() {
        let matcher = StoryMatcher()
        var story = StoryProfile(Self.vectors(Self.ferryOne))
        let other = StoryProfile(Self.vectors(Self.ferryTwo))
        for article in [Self.ferryOneFollowUp, Self.ferryOneNorwegian] {
            let vectors = Self.vectors(article)
            #expect(matcher.score(vectors, story) >= matcher.threshold)
            #expect(matcher.score(vectors, story) > matcher.score(vectors, other))
            story.add(vectors)
        }
        #expect(matcher.score(Self.vectors(Self.ferryTwo), story) < matcher.threshold)
    }

    @Test func similarityFadesWithDaysOutsideTheStorysSpan() {
        let matcher = StoryMatcher()
        let story = StoryProfile(Self.vectors(Self.ferryOne))
        var later = Self.ferryOneFollowUp
        let scores = [1.0, 5, 20].map { days -> Double in
            later.published = Self.start + days * Self.day
            return matcher.score(Self.vectors(later), story)
        }
        #expect(scores[0] > scores[1] && scores[1] > scores[2])
        #expect(abs(scores[2] - scores[0] * matcher.timeFloor) < 0.01)
        later.published = nil
        #expect(
            matcher.score(Self.vectors(later), story) == scores[0] / matcher.timeFactor(Self.start + Self.day, story)
        )
    }

    @Test func aProfileReadsBackAsWritten() {
        var profile = StoryProfile(Self.vectors(Self.ferryOne))
        profile.add(
            StoryFeatures(
                title: "Tagged",
                body: "See https://example.test/report for Nordstjerna's log.",
                links: ["https://www.example.test/report/"],
                tags: ["ferries"],
                published: Self.start + 2 * Self.day
            ).weighted { _ in 2 }
        )
        let decoded = StoryProfile(bytes: profile.bytes)
        #expect(decoded.articles == 2)
        #expect(decoded.first == profile.first && decoded.last == profile.last)
        #expect(decoded.links == ["example.test/report": 1] && decoded.tags == ["ferries": 1])
        #expect(decoded.figures == profile.figures)
        for (key, value) in profile.terms { #expect(abs((decoded.terms[key] ?? 0) - value) < 1e-6) }
        #expect(StoryProfile(bytes: Array(profile.bytes.dropLast(3))) == StoryProfile())
        #expect(decoded.names.count == profile.names.count)
    }

    @Test func aProfileKeepsItsHeaviestTerms() {
        var profile = StoryProfile()
        for index in 0..<300 {
            profile.add(StoryVectors(terms: ["w\(index)": Double(index)], names: [:], figures: [], links: [], tags: []))
        }
        #expect(profile.terms.count == StoryProfile.termLimit)
        #expect(profile.terms["w299"] != nil && profile.terms["w0"] == nil)
    }
}

import Testing

@testable import ClippingsStories

/// Copies as sites run a wire story: another headline, the ending cut, furniture around the text.
@Suite struct ShingleSignatureTests {
    static let paragraphs = [
        "Heavy rain flooded the lower town of Voss overnight, and the fire service evacuated 43 homes along the river before dawn on Thursday.",
        "The river rose almost two metres in six hours, the highest level measured since the station opened in 1987, according to the water authority.",
        "Mayor Hilde Aasen said the municipality had opened the school gym for those who could not stay with family or friends.",
        "The railway line towards Bergen was closed after a landslide near the tunnel mouth, and buses replace trains until further notice.",
        "Forecasters expect the rain to ease on Friday afternoon, but warn that the ground is saturated and more slides may follow.",
    ]
    static let original = paragraphs.joined(separator: "\n\n")

    @Test func copiesWithTrimmedEndingsAndFurnitureAreFound() {
        let signature = ShingleSignature(text: Self.original)
        let copies = [
            Self.paragraphs.prefix(4).joined(separator: "\n\n"),
            (["Share this article"] + Self.paragraphs + ["© 2026 Vestland Daily. All rights reserved."])
                .joined(separator: "\n\n"),
            (Self.paragraphs.prefix(4) + ["Read more: Storm closes mountain pass", "Subscribe to our newsletter"])
                .joined(separator: "\n\n"),
        ]
        for copy in copies {
            let copySignature = ShingleSignature(text: copy)
            #expect(copySignature.isNearDuplicate(of: signature))
            #expect(!Set(copySignature.bandKeys).isDisjoint(with: signature.bandKeys))
        }
    }

    @Test func anotherArticleOnTheSameSubjectIsNoCopy() {
        let other = """
            Heavy rain flooded parts of Odda on Thursday, and the fire service evacuated 12 homes near the \
            harbour. The river rose quickly after two days of rain, the water authority said. Mayor Per Lid \
            said the town hall was open for those who had to leave. Forecasters expect the rain to ease on \
            Friday, but warn that more slides may follow in the valley.
            """
        #expect(!ShingleSignature(text: other).isNearDuplicate(of: ShingleSignature(text: Self.original)))
    }

    @Test func aShortBriefIsTooShortToCall() {
        let brief = Self.paragraphs[0]
        #expect(!ShingleSignature(text: brief).isComparable)
        #expect(!ShingleSignature(text: brief).isNearDuplicate(of: ShingleSignature(text: brief)))
    }

    @Test func bytesReadBackAsWritten() {
        let signature = ShingleSignature(text: Self.original)
        #expect(ShingleSignature(bytes: signature.bytes, shingles: signature.shingles) == signature)
        #expect(ShingleSignature(bytes: Array(signature.bytes.dropLast()), shingles: 1) == nil)
    }
}

import ClippingsStore
import Testing

/// Query strings built for links (`Link: rel="next"`, the reading room's addresses) read back as they were
/// written, and hold nothing but unreserved ASCII and percent escapes.
@Suite("Query string encoding")
struct QueryEncodingTests {
    @Test("any names and values round-trip, and the result is plain ASCII")
    func roundTrip() throws {
        let samples = [
            "police", "Tromsø", "a b", "a+b", "x=1&y=2", "100%", "\"quoted\"", "<script>", "日本語", "emoji 🗞️",
            "-._~", "#frag", "/path?", "",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let pairs = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (name: samples.randomElement(using: &generator)!, value: samples.randomElement(using: &generator)!)
            }
            let encoded = QueryParameters.encode(pairs)
            #expect(encoded.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "+") })
            let decoded = try QueryParameters.pairs(ofQuery: encoded)
            #expect(decoded.map(\.name) == pairs.map(\.name) && decoded.map(\.value) == pairs.map(\.value))
        }
        #expect(QueryParameters.encode([("q", "Tromsø ferry"), ("tag", "a&b")]) == "q=Troms%C3%B8%20ferry&tag=a%26b")
    }
}

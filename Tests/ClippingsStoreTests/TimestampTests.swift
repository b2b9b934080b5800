import Foundation
import Testing

@testable import ClippingsStore

/// Stored timestamps are read by hand in their one stored form; anything else by the format style.
@Suite("Stored timestamps")
struct TimestampTests {
    @Test("the hand reading gives the format style's date for every stored form, and nil for what it leaves")
    func sameAsFormatStyle() {
        let style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        var state: UInt64 = 0x1234_5678
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // From 1600 to 2400: leap years of every kind, both sides of 1970.
            let seconds = Double(Int64(state >> 20) % 25_000_000_000 - 11_676_096_000)
            let text = Timestamp.string(Date(timeIntervalSince1970: seconds))
            #expect(Timestamp.storedDate(text) == (try? Date(text, strategy: style)), "\(text)")
            #expect(Timestamp.storedDate(text) != nil, "\(text)")
        }
        for text in [
            "2021-02-29T00:00:00Z", "2020-13-01T00:00:00Z", "2020-01-01T24:00:00Z", "2020-01-01T00:00:60Z",
            "2020-01-01 00:00:00Z", "2020-01-01T00:00:00+01:00", "2020-01-01", "２０２０-01-01T00:00:00Z",
        ] {
            #expect(Timestamp.storedDate(text) == nil, "\(text)")
        }
        #expect(Timestamp.storedDate("2020-02-29T23:59:59Z") == (try? Date("2020-02-29T23:59:59Z", strategy: style)))
        #expect(
            Timestamp.date("2020-01-01T00:00:00+01:00") == (try? Date("2020-01-01T00:00:00+01:00", strategy: style))
        )
    }
}

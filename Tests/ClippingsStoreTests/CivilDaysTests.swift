import ClippingsStore
import Foundation
import Testing

/// The calendar arithmetic every stored timestamp, JSON date and chart period goes through.
@Suite("Civil days")
struct CivilDaysTests {
    @Test("day numbers and dates agree with Foundation's Gregorian calendar from 1600 to 2380")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // From 1600: before October 1582 Foundation's calendar is Julian, ours proleptic Gregorian (as ISO 8601).
        for days in stride(from: -135_000, through: 150_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400 + 3_725)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            #expect(CivilDays.date(days) == (parts.year!, parts.month!, parts.day!))
            #expect(CivilDays.days(year: parts.year!, month: parts.month!, day: parts.day!) == days)
            #expect(date.civilDay == days)
            #expect(date.timestampText == date.formatted(.iso8601))
        }
    }
}

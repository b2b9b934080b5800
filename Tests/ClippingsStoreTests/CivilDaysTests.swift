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

    @Test("YYYY-MM and YYYY-MM-DD read back as month and day numbers; anything else is none")
    func parsing() {
        #expect(CivilDays.monthNumber("2016-11") == 2016 * 12 + 10)
        #expect(CivilDays.dayNumber("1970-01-02") == 1)
        #expect(CivilDays.dayNumber("2016-11-29") == CivilDays.days(year: 2016, month: 11, day: 29))
        for bad in ["2016-13", "2016-1", "16-11", "2016-11-", "2016/11", "2016-11-29", "", "abcd-ef"] {
            #expect(CivilDays.monthNumber(bad) == nil, "\(bad)")
        }
        for bad in ["2016-11", "2016-11-32", "2016-00-10", "2016-11-2x", "2016-11-29-1"] {
            #expect(CivilDays.dayNumber(bad) == nil, "\(bad)")
        }
    }
}

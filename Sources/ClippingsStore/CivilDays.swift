import Foundation

/// Days of the proleptic Gregorian calendar (ISO 8601's) numbered from 1970-01-01, with Howard Hinnant's
/// `days_from_civil` and `civil_from_days`: what stored timestamps, the JSON writer and the reading room's
/// charts count in, without Foundation's calendars (slow per call, and Julian before 1582).
public enum CivilDays {
    /// The day number of a date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number.
    public static func date(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM` as `year * 12 + month - 1`.
    public static func monthNumber(_ text: String) -> Int? {
        guard let (year, month, _) = Self.fields(text, count: 2), (1...12).contains(month) else { return nil }
        return year * 12 + month - 1
    }

    /// `YYYY-MM-DD` as its day number.
    public static func dayNumber(_ text: String) -> Int? {
        guard let (year, month, day) = Self.fields(text, count: 3), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return days(year: year, month: month, day: day)
    }

    /// The numbers of `YYYY-MM` (`count` 2) or `YYYY-MM-DD` (3), read byte by byte: facet columns and charts read
    /// one per article or per month of a search's matches.
    private static func fields(_ text: String, count: Int) -> (Int, Int, Int)? {
        var numbers = [0, 0, 0]
        var index = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                guard digits == (index == 0 ? 4 : 2), index + 1 < count else { return nil }
                index += 1
                digits = 0
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                numbers[index] = numbers[index] * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return nil
            }
        }
        guard index == count - 1, digits == 2 else { return nil }
        return (numbers[0], numbers[1], numbers[2])
    }

    /// A number with leading zeros to `width` digits.
    public static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Date {
    /// `2016-11-23T10:05:00Z`: whole seconds in UTC, as the API writes every timestamp.
    public var timestampText: String {
        let seconds = Int(timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, time) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = CivilDays.date(day)
        var text = ""
        text.reserveCapacity(22)
        func pad(_ value: Int, _ width: Int) {
            let digits = String(value)
            if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
            text += digits
        }
        pad(year, 4)
        text += "-"
        pad(month, 2)
        text += "-"
        pad(dayOfMonth, 2)
        text += "T"
        pad(time / 3600, 2)
        text += ":"
        pad(time / 60 % 60, 2)
        text += ":"
        pad(time % 60, 2)
        text += "Z"
        return text
    }

    /// The day number of the date, in UTC.
    public var civilDay: Int { Int((timeIntervalSince1970 / 86_400).rounded(.down)) }
}

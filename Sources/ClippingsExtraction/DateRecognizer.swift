import Foundation

/// Recognises publication dates written the ways news sites write them, in English and Norwegian.
///
/// Accepts ISO 8601 (`2016-11-29`, `2016-11-29T10:00:00+01:00`), `November 29, 2016`, `29 November 2016`,
/// `29. november 2016`, abbreviated months, and upper case. Results are UTC; a bare day is midnight UTC.
public enum DateRecognizer {
    // Compiled once: a regex literal in a function body is parsed again on every call. `nonisolated(unsafe)`
    // is sound: these values are never mutated, and matching works on copies.
    nonisolated(unsafe) static let isoPattern =
        /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/
    nonisolated(unsafe) static let monthFirst = /(?i)\b([a-zæøå]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/
    nonisolated(unsafe) static let dayFirst =
        /(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([a-zæøå]{3,9})\.?,?\s+(\d{4})\b/
    nonisolated(unsafe) static let numeric = /\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b/
    nonisolated(unsafe) static let timeSuffix =
        /(?i)^,?\s*(?:at\s+|kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:\s*([ap]\.?m\.?))?(?:\s*(gmt|utc|z|cet|cest|bst|est|edt|pst|pdt)\b)?/

    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names = [
            ["january", "jan", "januar"], ["february", "feb", "februar"], ["march", "mar", "mars"],
            ["april", "apr"], ["may", "mai"], ["june", "jun", "juni"], ["july", "jul", "juli"],
            ["august", "aug"], ["september", "sep", "sept"], ["october", "oct", "oktober", "okt"],
            ["november", "nov"], ["december", "dec", "desember", "des"],
        ]
        for (index, aliases) in names.enumerated() {
            for alias in aliases { table[alias] = index + 1 }
        }
        return table
    }()

    /// Parses a string that is, in its entirety, a date (surrounding whitespace and weekday allowed).
    public static func date(from text: String) -> Date? {
        guard text.utf8.count <= 200 else { return nil }  // a date line is short; skip the work for paragraphs
        let trimmed = TextNormalizer.trimmed(Substring(text), punctuation: true)
        guard !trimmed.isEmpty, trimmed.count <= 64 else { return nil }
        if let date = isoDate(trimmed) { return date }
        return writtenDate(trimmed, wholeString: true)
    }

    /// Finds the first written date (`Month D, YYYY` or `D Month YYYY`) anywhere in a text.
    public static func firstDate(in text: String) -> Date? {
        writtenDate(text, wholeString: false)
    }

    static func isoDate(_ text: String) -> Date? {
        // `\d` is any Unicode digit (`٢٠١٦`); `Int` reads ASCII ones only, so other digits are no date.
        guard let match = text.wholeMatch(of: isoPattern), let year = Int(match.1), let month = Int(match.2),
            let day = Int(match.3)
        else { return nil }
        var offset = 0
        if let zone = match.7, zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            let hours = Int(digits.prefix(2)) ?? 0
            let minutes = Int(digits.suffix(2)) ?? 0
            offset = (hours * 3600 + minutes * 60) * (zone.first == "-" ? -1 : 1)
        }
        return make(
            year: year,
            month: month,
            day: day,
            hour: match.4.flatMap { Int($0) } ?? 0,
            minute: match.5.flatMap { Int($0) } ?? 0,
            second: match.6.flatMap { Int($0) } ?? 0,
            offset: offset
        )
    }

    static let zoneOffsets: [String: Int] = [
        "gmt": 0, "utc": 0, "z": 0, "cet": 3600, "cest": 7200, "bst": 3600, "est": -18000, "edt": -14400,
        "pst": -28800, "pdt": -25200,
    ]

    static func writtenDate(_ text: String, wholeString: Bool) -> Date? {
        // A time after the date (`14.12 GMT`, `kl. 10:32`, `2:05 pm EST`) refines it only with a known zone:
        // a local time without its zone would shift the day for some readers.
        var candidates: [(range: Range<String.Index>, year: Int, month: Int, day: Int)] = []
        for match in text.matches(of: monthFirst) {
            if let month = months[match.1.lowercased()], let day = Int(match.2), let year = Int(match.3) {
                candidates.append((match.range, year, month, day))
            }
        }
        for match in text.matches(of: dayFirst) {
            if let month = months[match.2.lowercased()], let day = Int(match.1), let year = Int(match.3) {
                candidates.append((match.range, year, month, day))
            }
        }
        for match in text.matches(of: numeric) {
            if let day = Int(match.1), let month = Int(match.2), var year = Int(match.3) {
                if match.3.count == 2 { year += year < 70 ? 2000 : 1900 }
                candidates.append((match.range, year, month, day))
            }
        }
        candidates.sort { $0.range.lowerBound < $1.range.lowerBound }
        for candidate in candidates {
            var end = candidate.range.upperBound
            var time: (hour: Int, minute: Int, offset: Int)?
            if let match = text[end...].firstMatch(of: timeSuffix), var hour = Int(match.1), let minute = Int(match.2) {
                let meridiem = match.3.map { $0.lowercased().filter(\.isLetter) }
                if meridiem == "pm", hour < 12 { hour += 12 }
                if meridiem == "am", hour == 12 { hour = 0 }
                if let zone = match.4.flatMap({ zoneOffsets[$0.lowercased()] }) { time = (hour, minute, zone) }
                end = match.range.upperBound
            }
            if wholeString {
                let rest = text[..<candidate.range.lowerBound] + text[end...]
                let leftovers = rest.lowercased().split { !$0.isLetter }.filter { !fillerWords.contains(String($0)) }
                guard leftovers.isEmpty else { continue }
            }
            if let date = make(
                year: candidate.year,
                month: candidate.month,
                day: candidate.day,
                hour: time?.hour ?? 0,
                minute: time?.minute ?? 0,
                offset: time?.offset ?? 0
            ) {
                return date
            }
        }
        return nil
    }

    /// Words that may stand around a date on a date line: weekdays, "published", time words.
    static let fillerWords: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
        "søndag", "man", "tir", "ons", "tor", "lør", "søn", "on", "den", "published", "publisert", "posted",
        "first", "kl", "at", "am", "pm", "gmt", "utc", "cet", "cest", "bst", "est", "edt", "pst", "pdt",
        "veröffentlicht", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "um",
        "uhr",
    ]

    static func make(
        year: Int,
        month: Int,
        day: Int,
        hour: Int = 0,
        minute: Int = 0,
        second: Int = 0,
        offset: Int = 0
    )
        -> Date?
    {
        guard (1900...2200).contains(year), (1...12).contains(month), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }
}

import Foundation

/// A dateline opening a news paragraph: `BERGEN, NORWAY (NOVEMBER 20, 2016) (TV2) – …`,
/// `OSLO (Reuters) - …`, `OSLO, Norway, March 3, 2021 — …`.
///
/// Recognised by shape, not by place names: an upper-case place (or a title-case place followed by a
/// date), then parenthesised dates or agencies, then a dash. The paragraph keeps only the text after it.
struct Dateline: Equatable {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let dashSeparator = /\s+(?:[-–—]{1,2})\s+/
    nonisolated(unsafe) static let colonSeparator = /\)\s*:\s+/
    nonisolated(unsafe) static let trailingGroup = /\s*\(([^()]{1,60})\)\s*$/
    nonisolated(unsafe) static let trailingDate = /,\s+([A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})$/

    var place: String
    var date: Date?
    var agency: String?
    /// The paragraph with the dateline removed.
    var remainder: String

    /// Longest prefix considered a dateline, in characters.
    static let maximumLength = 140

    init?(paragraph: String) {
        // Cheap test first: a dateline ends in a dash or `):` within its first characters.
        // (A byte scan: Foundation's substring search is slow and this runs on every paragraph.)
        let head = Array(paragraph.utf8.prefix(Self.maximumLength * 3))
        let hasSeparator = head.indices.contains { index in
            let next = index + 1 < head.count ? head[index + 1] : 0
            return (head[index] == 0xE2 && next == 0x80) || (head[index] == 0x20 && next == UInt8(ascii: "-"))
                || (head[index] == UInt8(ascii: ")") && next == UInt8(ascii: ":"))
        }
        guard hasSeparator else { return nil }
        // `PLACE … – text`, or `PLACE (AGENCY): text` as Norwegian wires write it.
        let prefixEnd: String.Index
        let remainderStart: String.Index
        if let dash = paragraph.firstMatch(of: Self.dashSeparator),
            paragraph.distance(from: paragraph.startIndex, to: dash.range.lowerBound) <= Self.maximumLength
        {
            (prefixEnd, remainderStart) = (dash.range.lowerBound, dash.range.upperBound)
        } else if let colon = paragraph.firstMatch(of: Self.colonSeparator),
            paragraph.distance(from: paragraph.startIndex, to: colon.range.lowerBound) <= Self.maximumLength
        {
            (prefixEnd, remainderStart) = (paragraph.index(after: colon.range.lowerBound), colon.range.upperBound)
        } else {
            return nil
        }
        var prefix = String(paragraph[..<prefixEnd])
        let remainder = String(paragraph[remainderStart...])
        var date: Date?
        var agency: String?
        // Parenthesised groups at the end: (NOVEMBER 20, 2016) (TV2)
        while let group = prefix.firstMatch(of: Self.trailingGroup) {
            let content = String(group.1)
            if let found = DateRecognizer.date(from: content) ?? DateRecognizer.firstDate(in: content) {
                date = date ?? found
            } else if content.count <= 40, agency == nil {
                agency = content.trimmingCharacters(in: .whitespaces)
            } else {
                return nil
            }
            prefix.removeSubrange(group.range)
        }
        // A written date after the place: OSLO, Norway, March 3, 2021
        if date == nil, let match = prefix.firstMatch(of: Self.trailingDate),
            let found = DateRecognizer.date(from: String(match.1))
        {
            date = found
            prefix.removeSubrange(match.range)
        }
        let place = prefix.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ",")))
        guard Self.looksLikePlace(place, upperCaseRequired: date == nil && agency == nil) else { return nil }
        guard date != nil || agency != nil || Self.isUpperCase(place) else { return nil }
        self.place = place
        self.date = date
        self.agency = agency
        self.remainder = remainder
    }

    /// A place is one to four short comma-separated names, the first in capitals unless a date follows.
    static func looksLikePlace(_ place: String, upperCaseRequired: Bool) -> Bool {
        let parts = place.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...4).contains(parts.count), let first = parts.first, !first.isEmpty else { return false }
        for part in parts {
            let words = part.split(separator: " ")
            guard (1...4).contains(words.count),
                words.allSatisfy({ $0.first?.isUppercase == true || $0.allSatisfy { !$0.isLetter } })
            else { return false }
        }
        return upperCaseRequired ? isUpperCase(first) : true
    }

    static func isUpperCase(_ text: String) -> Bool {
        let letters = text.filter(\.isLetter)
        return letters.count >= 2 && letters.allSatisfy(\.isUppercase)
    }
}

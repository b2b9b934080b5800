import Foundation

/// A request's query string, validated against the parameters an endpoint accepts.
///
/// Parsed here rather than with Hummingbird's dictionary so that `+` means a space (form encoding),
/// repeated keys are kept in order, and every mistake becomes a 400 problem naming the parameter:
/// unknown names (a typo must not silently widen a result), a single-valued parameter given twice,
/// values out of range.
public struct QueryParameters: Sendable {
    private var values: [(name: String, value: String)] = []

    public init(pairs: [(name: String, value: String)], allowed: Set<String>) throws(InputError) {
        for (name, value) in pairs {
            guard allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw .parameter(name, "unknown parameter (this endpoint accepts: \(known))")
            }
            values.append((name, value))
        }
    }

    /// The decoded name/value pairs of a query string, in order; refused if one is not valid
    /// percent-encoded UTF-8 (it would otherwise reach a search or a filter half-decoded).
    public static func pairs(ofQuery query: String) throws(InputError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else {
                throw .parameter(
                    decode(parts[0]) ?? String(parts[0]),
                    "is not valid percent-encoded UTF-8"
                )
            }
            pairs.append((name, value))
        }
        return pairs
    }

    /// Builds a query string from decoded pairs, percent-encoding everything but RFC 3986's unreserved
    /// characters (ASCII letters, digits, `-._~`), byte by byte over UTF-8: a reading-room page builds dozens
    /// of addresses, and Foundation's `addingPercentEncoding` was a tenth of its time.
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        var bytes: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "&")) }
            percentEncode(pair.name, into: &bytes)
            bytes.append(UInt8(ascii: "="))
            percentEncode(pair.value, into: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func percentEncode(_ text: String, into bytes: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
    }

    /// `+` as a space, then percent-decoding; nil for malformed escapes or bytes that are not UTF-8.
    static func decode(_ text: Substring) -> String? {
        // Most names and values need neither step: each request decodes its query more than once.
        let spaced = text.contains("+") ? String(text.map { $0 == "+" ? " " : $0 }) : String(text)
        return spaced.contains("%") ? spaced.removingPercentEncoding : spaced
    }

    /// Every value of a repeatable parameter.
    public func all(_ name: String) throws(InputError) -> [String] {
        let found = values.filter { $0.name == name }.map(\.value)
        if found.contains("") { throw Self.empty(name) }
        return found
    }

    /// The value of a single-valued parameter.
    public func single(_ name: String) throws(InputError) -> String? {
        let found = values.filter { $0.name == name }
        guard found.count <= 1 else { throw .parameter(name, "give it at most once") }
        guard found.first?.value != "" else { throw Self.empty(name) }
        return found.first?.value
    }

    /// An empty value (`tag=`) is refused rather than read as "not given": like a typo in a name, it
    /// would otherwise widen a result without saying so.
    static func empty(_ name: String) -> InputError {
        .parameter(name, "must not be empty (leave the parameter out instead)")
    }

    /// A comma-separated list of names from `allowed`, spaces around them allowed, none empty.
    public func names(_ name: String, allowed: Set<String>) throws(InputError) -> [String]? {
        guard let text = try single(name) else { return nil }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        guard !names.contains("") else { throw .parameter(name, "an empty name in the list") }
        let unknown = names.filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            throw .parameter(
                name,
                "unknown \(unknown.joined(separator: ", ")) (available: \(allowed.sorted().joined(separator: ", ")))"
            )
        }
        return names
    }

    /// An integer parameter within bounds.
    public func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(InputError) -> Int {
        guard let text = try single(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .parameter(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A parameter restricted to a set of values.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws(InputError) -> T
    where T.RawValue == String {
        guard let text = try single(name) else { return value }
        guard let choice = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw .parameter(name, "must be one of: \(options)")
        }
        return choice
    }

    /// An opaque cursor issued by a previous page.
    public func cursor() throws(InputError) -> Cursor? {
        guard let text = try single("cursor") else { return nil }
        guard let cursor = Cursor(token: text) else {
            throw .parameter("cursor", "not a cursor issued by this listing")
        }
        return cursor
    }

    /// A date (`2016-11-29`) or RFC 3339 timestamp. A bare date as an upper bound covers that whole day.
    public func date(_ name: String, upperBound: Bool) throws(InputError) -> Date? {
        guard let text = try single(name) else { return nil }
        // Four-digit years only: stored timestamps compare as text.
        guard let year = Int(text.prefix(4)), (1000...9998).contains(year) else {
            throw .parameter(
                name,
                "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp between years 1000 and 9998"
            )
        }
        if text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, let day = Timestamp.date(text + "T00:00:00Z"),
            Timestamp.string(day).hasPrefix(text)
        {
            return upperBound ? day.addingTimeInterval(86_400) : day
        }
        if let instant = try? Date(text, strategy: .iso8601) {
            return upperBound ? instant.addingTimeInterval(1) : instant  // stored times have second precision
        }
        throw .parameter(name, "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp")
    }
}

import Foundation

/// A value that writes its own JSON into a `JSONOutput`.
///
/// The bytes are those `JSONOutput.encoder` (Foundation's `JSONEncoder` with sorted keys, unescaped slashes
/// and ISO 8601 dates) writes for the same value, so ETags do not move between the two; a test compares
/// them. It exists because building `JSONEncoder`'s value tree through existential containers was the
/// largest single cost of a page of results.
public protocol JSONWritable {
    func write(to json: inout JSONOutput)
}

/// JSON text being written, and the sparse fieldset (`fields=`) each resource's top-level fields are
/// filtered by, as `ResourceJSONKeys.fields` carries it for `JSONEncoder`.
public struct JSONOutput {
    public private(set) var bytes: [UInt8] = []
    public let fields: Set<String>?

    /// The encoder whose output this one reproduces, and which writes what has no writer of its own.
    public static func encoder(fields: Set<String>? = nil) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let fields { encoder.userInfo[ResourceJSONKeys.fields] = fields }
        return encoder
    }

    public init(fields: Set<String>? = nil, capacity: Int = 16_384) {
        self.fields = fields
        bytes.reserveCapacity(capacity)
    }

    /// The JSON of one value.
    public static func bytes(of value: some JSONWritable, fields: Set<String>? = nil) -> [UInt8] {
        var json = JSONOutput(fields: fields)
        value.write(to: &json)
        return json.bytes
    }

    /// `{`, what `members` writes with `member`, then `}`.
    public mutating func object(_ members: (inout JSONOutput) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        members(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    /// One `"key":value` of the object being written. Callers give keys in sorted order.
    public mutating func member(_ key: String, _ value: some JSONWritable) {
        separate()
        string(key)
        bytes.append(UInt8(ascii: ":"))
        value.write(to: &self)
    }

    /// `[`, each element, `]`.
    public mutating func array<Element: JSONWritable>(_ elements: some Sequence<Element>) {
        bytes.append(UInt8(ascii: "["))
        for element in elements {
            separate()
            element.write(to: &self)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A value with no writer of its own, through `JSONEncoder` (a rarely sent field).
    public mutating func encoded(_ value: any Encodable) {
        // Encoding a plain value into memory fails only for non-finite numbers, which no resource holds.
        let data = (try? Self.encoder(fields: fields).encode(value)) ?? Data("null".utf8)
        bytes.append(contentsOf: data)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func digits(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A comma unless this is the first member or element: what precedes it opened the container.
    private mutating func separate() {
        if let last = bytes.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped as `JSONEncoder` escapes them.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: utf8[start..<index])
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22, 0x5C: bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: Array("u00".utf8))
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: utf8[start...])
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension String: JSONWritable {
    public func write(to json: inout JSONOutput) { json.string(self) }
}

extension Int: JSONWritable {
    public func write(to json: inout JSONOutput) { json.digits(String(self)) }
}

extension Int64: JSONWritable {
    public func write(to json: inout JSONOutput) { json.digits(String(self)) }
}

extension Bool: JSONWritable {
    public func write(to json: inout JSONOutput) { self ? json.raw("true") : json.raw("false") }
}

extension Double: JSONWritable {
    /// Finite numbers only, as `JSONEncoder` (which refuses the others); a whole number has no `.0`.
    public func write(to json: inout JSONOutput) {
        var text = description
        if text.hasSuffix(".0") { text.removeLast(2) }
        json.digits(text)
    }
}

extension Date: JSONWritable {
    /// `2016-11-23T10:05:00Z`: whole seconds in UTC, as the `.iso8601` strategy writes them.
    public func write(to json: inout JSONOutput) {
        json.string(timestampText)
    }
}

extension Optional: JSONWritable where Wrapped: JSONWritable {
    public func write(to json: inout JSONOutput) {
        if let value = self { value.write(to: &json) } else { json.raw("null") }
    }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func write(to json: inout JSONOutput) { json.array(self) }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    public func write(to json: inout JSONOutput) {
        json.object { json in
            for key in keys.sorted() { json.member(key, self[key]!) }
        }
    }
}

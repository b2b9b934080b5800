import Foundation

/// Turns a document's bytes into text: UTF-8 (with or without a byte-order mark), UTF-16 with a mark, and
/// the single-byte Latin-1/Windows-1252 that older sites and Windows tools still write.
///
/// Bytes that are valid UTF-8 are read as UTF-8, whatever a page declares (a declared Latin-1 page of
/// pure ASCII reads the same either way). A page that declares a legacy charset is read as Windows-1252, a
/// superset of Latin-1's printable characters. Anything else is read as UTF-8 with only its invalid bytes
/// read as Windows-1252: a UTF-8 page with one stray Latin-1 byte (a no-break space in a price) keeps every
/// "ø" it has, and a Latin-1 page, whose accented letters are all invalid UTF-8, reads as Latin-1.
public enum TextDecoding {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let charsetPattern = /charset\s*=\s*["']?([a-z0-9_:.-]+)/

    public static func decode(_ data: Data) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return String(data: Data(bytes), encoding: .utf16) ?? String(decoding: bytes, as: UTF8.self)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if let declared = declaredCharset(bytes.prefix(4096)), Self.legacyCharsets.contains(declared) {
            return Windows1252.decode(bytes)
        }
        return repairingUTF8(Array(bytes))
    }

    /// Charsets whose bytes Windows-1252 reads right (or nearly: its printable characters are theirs).
    static let legacyCharsets: Set<String> = [
        "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "iso-8859-15", "us-ascii", "ascii",
    ]

    /// UTF-8, each byte that starts no valid sequence read as Windows-1252.
    static func repairingUTF8(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length =
                byte < 0x80
                ? 1
                : byte >= 0xC2 && byte <= 0xDF
                    ? 2
                    : byte >= 0xE0 && byte <= 0xEF
                        ? 3
                        : byte >= 0xF0 && byte <= 0xF4 ? 4 : 0
            if length > 0, index + length <= bytes.count,
                length == 1 || String(validating: bytes[index..<index + length], as: UTF8.self) != nil
            {
                output += bytes[index..<index + length]
                index += length
            } else {
                output += Windows1252.decode([byte]).utf8
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The `charset` an HTML page declares in its first bytes (`<meta charset=…>` or `content="…; charset=…"`).
    static func declaredCharset(_ head: some Collection<UInt8>) -> String? {
        let ascii = String(decoding: head.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self).lowercased()
        return ascii.firstMatch(of: Self.charsetPattern).map { String($0.1) }
    }
}

/// The Windows-1252 code page: Latin-1 plus typographic characters in 0x80–0x9F.
enum Windows1252 {
    static let table: [UInt8: Character] = [
        0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰", 0x8A: "Š",
        0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—",
        0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
    ]

    static func decode(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            if (0x80...0x9F).contains(byte) {
                text.append(table[byte] ?? "\u{FFFD}")
            } else {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return text
    }
}

import Foundation

/// Turns a document's bytes into text: UTF-8 (with or without a byte-order mark), UTF-16 with a mark, and
/// the single-byte Latin-1/Windows-1252 that older sites and Windows tools still write.
///
/// Bytes that are valid UTF-8 are read as UTF-8, whatever a page declares (a declared Latin-1 page of
/// pure ASCII reads the same either way). Otherwise a declared UTF-8 charset keeps UTF-8 with replacement
/// characters for the damage; anything else is read as Windows-1252, a superset of Latin-1's printable
/// characters, which is what such bytes nearly always are.
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
        if declaredCharset(bytes.prefix(4096)).map({ ["utf-8", "utf8"].contains($0) }) == true {
            return String(decoding: bytes, as: UTF8.self)
        }
        return Windows1252.decode(bytes)
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

import Foundation

/// Whitespace and word helpers shared by every reader.
public enum TextNormalizer {
    /// Collapses runs of whitespace (including no-break and zero-width spaces) to one space and trims.
    public static func collapse(_ text: String) -> String {
        // Built as UTF-8 bytes: appending scalars to a `String` one by one is slow, and imports collapse all
        // their text.
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                let byte = UInt8(scalar.value)
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = !output.isEmpty
                    continue
                }
                if byte < 0x20 || byte == 0x7F { continue }
                if pendingSpace {
                    output.append(0x20)
                    pendingSpace = false
                }
                output.append(byte)
                continue
            }
            if scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{FEFF}" {
                pendingSpace = !output.isEmpty
                continue
            }
            if scalar == "\u{00AD}" || scalar.properties.generalCategory == .control { continue }
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            output.append(contentsOf: UTF8.encode(scalar)!)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The text in Unicode Normalization Form C, so that "é" typed as one character and as "e" with a
    /// combining accent is one spelling: stored, hashed, searched and compared alike. Text without a scalar
    /// from U+0300 on is already NFC and comes back as it is, without Foundation's pass.
    public static func nfc(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x300 }) else { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// The lines of a text, split at `\n`, `\r\n`, `\r` and the Unicode line separators, without grapheme
    /// breaking (which is slow on long documents).
    public static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            let value = scalars[index].value
            guard
                value == 0x0A || value == 0x0D || value == 0x0B || value == 0x0C || value == 0x85
                    || value == 0x2028 || value == 0x2029
            else {
                index = scalars.index(after: index)
                continue
            }
            lines.append(Substring(scalars[start..<index]))
            var next = scalars.index(after: index)
            if value == 0x0D, next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
            start = next
            index = next
        }
        lines.append(Substring(scalars[start...]))
        return lines
    }

    /// Blocks of text separated by blank lines, each collapsed to one line: the paragraphs of a body given
    /// as plain text.
    public static func blocks(of text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring] = []
        for line in lines(of: text) + [""] {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { blocks.append(collapse(current.joined(separator: " "))) }
                current.removeAll()
            } else {
                current.append(line)
            }
        }
        return blocks.filter { !$0.isEmpty }
    }

    /// The words of a text: maximal runs of letters and digits (apostrophes and hyphens kept inside).
    public static func words(in text: String) -> [Substring] {
        var words: [Substring] = []
        forEachWord(in: text) { words.append(text[$0]) }
        return words
    }

    /// How many words `words(in:)` finds, without collecting them.
    public static func wordCount(in text: String) -> Int {
        var count = 0
        forEachWord(in: text) { _ in count += 1 }
        return count
    }

    /// Calls `body` with the range of each word, in order.
    static func forEachWord(in text: String, _ body: (Range<String.Index>) -> Void) {
        // Over the UTF-8 bytes, decoding only non-ASCII scalars: this runs over every body several times
        // during import, and the scalar and grapheme views decode every character.
        let utf8 = text.utf8
        let index = { (offset: Int) in utf8.index(utf8.startIndex, offsetBy: offset) }
        withUTF8(of: text) { bytes in
            var start: Int?
            var hasAlphanumeric = false
            var offset = 0
            while offset < bytes.count {
                let (scalar, length) = scalar(in: bytes, at: offset)
                let value = scalar.value
                let alphanumeric =
                    value < 0x80
                    ? (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
                        || (value >= 0x30 && value <= 0x39)
                    : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                if alphanumeric || value == 0x27 || value == 0x2019 || value == 0x2D {
                    if start == nil { start = offset }
                    hasAlphanumeric = hasAlphanumeric || alphanumeric
                } else if let begin = start {
                    if hasAlphanumeric { body(index(begin)..<index(offset)) }
                    start = nil
                    hasAlphanumeric = false
                }
                offset += length
            }
            if let begin = start, hasAlphanumeric { body(index(begin)..<utf8.endIndex) }
        }
    }

    /// Runs `body` over the text's UTF-8 bytes, copying them only if the string is not stored contiguously.
    static func withUTF8<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// The scalar starting at `offset` of valid UTF-8 (as every Swift string is), and its length in bytes.
    @inline(__always)
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[offset])
        guard lead >= 0x80 else { return (Unicode.Scalar(UInt8(lead)), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (0xFF >> (length + 1))
        for next in 1..<length { value = value << 6 | UInt32(bytes[offset + next] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The text in lower case, as `lowercased()` gives it, with ASCII done byte by byte: Unicode case
    /// mapping runs only for the letters that need it.
    public static func lowercased(_ text: String) -> String {
        withUTF8(of: text) { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var offset = 0
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte < 0x80 {
                    output.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                    offset += 1
                    continue
                }
                let (scalar, length) = scalar(in: bytes, at: offset)
                if scalar.properties.changesWhenLowercased {
                    output.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
                } else {
                    output.append(contentsOf: bytes[offset..<offset + length])
                }
                offset += length
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The text without leading and trailing whitespace (and punctuation, if asked). Pure Swift: Foundation's
    /// `trimmingCharacters` bridges through UTF-16, a needless cost on text that every import trims.
    static func trimmed(_ text: Substring, punctuation: Bool = false) -> String {
        let scalars = text.unicodeScalars
        let drop = { (scalar: Unicode.Scalar) -> Bool in
            scalar.properties.isWhitespace || (punctuation && isPunctuation(scalar))
        }
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !drop($0) })!
        return String(text[first...last])
    }

    /// Unicode punctuation (the categories Foundation's `punctuationCharacters` holds).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            true
        default: false
        }
    }

    /// Whether a line ends like a sentence rather than a heading.
    static func endsSentence(_ line: String) -> Bool {
        guard let last = line.last(where: { !$0.isWhitespace }) else { return false }
        return ".!?:;…\"”»)’'".contains(last)
    }
}

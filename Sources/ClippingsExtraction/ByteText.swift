/// Substring tests over bytes for the rules that look inside class and id names.
///
/// Foundation's `String.contains(_:)` goes through `NSString` and locale-aware search; for the thousands of
/// short names a page has, comparing bytes is what keeps extraction fast.
enum ByteText {
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Patterns prepared for `containsAny`: lower-case ASCII bytes.
    static func patterns(_ words: [String]) -> [[UInt8]] { words.map { Array($0.lowercased().utf8) } }

    /// Whether `haystack` holds `needle` anywhere.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    /// Whether `text` holds `needle`, compared byte for byte (case-sensitive).
    static func contains(_ text: String?, _ needle: String) -> Bool {
        guard let text, text.utf8.count >= needle.utf8.count else { return false }
        let haystack = text.utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        var index = haystack.startIndex
        while let found = haystack[index...].firstIndex(of: first) {
            if haystack[found...].starts(with: pattern) { return true }
            index = haystack.index(after: found)
        }
        return false
    }

    /// Whether `haystack` holds any of `needles`.
    static func containsAny(_ haystack: [UInt8], _ needles: [[UInt8]]) -> Bool {
        guard !haystack.isEmpty else { return false }
        return needles.contains { contains(haystack, $0) }
    }

    /// Whether `haystack`, split at anything but letters, digits, `-` and `_`, has `word` as a part.
    static func containsWord(_ haystack: [UInt8], _ word: [UInt8]) -> Bool {
        haystack.split { !(isWordByte($0)) }.contains { $0.elementsEqual(word) }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
    }
}

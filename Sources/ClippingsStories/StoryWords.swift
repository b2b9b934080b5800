import Foundation

/// A word of an article's text as story matching reads it: folded for comparison, with what its spelling
/// says about it (a capital away from a sentence's start marks a name; digits a figure).
public struct StoryWord: Sendable, Equatable {
    /// Lower-cased, accents removed: how two spellings of one word compare (`Tromsø` and `tromso`).
    public var folded: String
    /// Capitalised, or all capitals, as a name is written.
    public var capitalised: Bool
    /// The first word of a sentence, capitalised whatever it is.
    public var opensSentence: Bool
    /// Holds a digit: a figure, a year, an age, a score.
    public var isFigure: Bool
    /// Where the word begins in the text it was read from, in UTF-8 bytes: how a part of that text (a
    /// lead) is taken from words read once for the whole.
    public var start: Int
}

/// Splits text into words. Letters and digits make a word; a figure keeps its inner `.`, `,` and `:`
/// (`6.1`, `1,500`, `21:30`) with the thousands separators dropped, and a possessive `'s` is cut.
///
/// Read as UTF-8 bytes: every imported article's title, lead and whole body (for its copy signature) pass
/// through here on the way to the archive, and asking `Character` for its properties, or Foundation to
/// fold every word, cost more than the rest of preparing the article. A byte above ASCII is part of a
/// word unless it begins punctuation or a space of Latin-1 (`U+0080`–`U+00BF`, `×`, `÷`) or the general
/// punctuation block (`U+2000`–`U+206F`: dashes, quotes, `’`).
public enum StoryWords {
    public static func words(in text: Substring) -> [StoryWord] {
        var words: [StoryWord] = []
        var text = text
        text.withUTF8 { bytes in
            var word: [UInt8] = []
            word.reserveCapacity(32)
            var hasDigit = false
            var hasLetter = false
            var ascii = true
            var wordStart = 0
            // Whether the next word opens a sentence: at the start, after `.`, `!`, `?`, `:` or a paragraph.
            var pendingSentenceStart = true
            var sentenceStart = true
            var previousWasNewline = false

            func finish() {
                guard !word.isEmpty else { return }
                // A possessive: `'s` or `’s` (E2 80 99) at the end.
                if word.count >= 2, word[word.count - 1] | 0x20 == 0x73 {
                    if word[word.count - 2] == 0x27 {
                        word.removeLast(2)
                    } else if word.count >= 4, word[(word.count - 4)...].elementsEqual([0xE2, 0x80, 0x99, word.last!]) {
                        word.removeLast(4)
                    }
                }
                while let last = word.last, last == 0x27 || last == 0x2E || last == 0x2C || last == 0x3A {
                    word.removeLast()
                }
                if word.count >= 3, word[(word.count - 3)...].elementsEqual([0xE2, 0x80, 0x99]) { word.removeLast(3) }
                if !word.isEmpty {
                    let isFigure = hasDigit
                    if isFigure { word.removeAll { $0 == 0x2C } }
                    let capitalised: Bool
                    if word[0] < 0x80 {
                        capitalised = word[0] >= 0x41 && word[0] <= 0x5A
                    } else {
                        let first = String(decoding: word.prefix(4), as: UTF8.self).unicodeScalars.first
                        capitalised = first?.properties.isUppercase ?? false
                    }
                    let folded: String
                    if ascii {
                        folded = String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                    } else {
                        folded = fold(String(decoding: word, as: UTF8.self))
                    }
                    words.append(
                        StoryWord(
                            folded: folded,
                            capitalised: !isFigure && capitalised,
                            opensSentence: sentenceStart,
                            isFigure: isFigure,
                            start: wordStart
                        )
                    )
                }
                word.removeAll(keepingCapacity: true)
                hasDigit = false
                hasLetter = false
                ascii = true
            }

            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                let end = min(index + length, bytes.count)
                defer {
                    previousWasNewline = byte == 0x0A
                    index = end
                }
                let isDigit = byte >= 0x30 && byte <= 0x39
                let isLetter =
                    byte < 0x80
                    ? (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    : !isSeparator(bytes, at: index, length: end - index)
                if isDigit || isLetter {
                    if word.isEmpty {
                        sentenceStart = pendingSentenceStart
                        wordStart = index
                    }
                    pendingSentenceStart = false
                    word.append(contentsOf: bytes[index..<end])
                    if byte >= 0x80 { ascii = false }
                    if isDigit { hasDigit = true } else { hasLetter = true }
                } else if !word.isEmpty, hasDigit, !hasLetter, byte == 0x2E || byte == 0x2C || byte == 0x3A {
                    word.append(byte)
                } else if !word.isEmpty, byte == 0x27 {
                    word.append(byte)
                } else if !word.isEmpty, end - index == 3, bytes[index] == 0xE2, bytes[index + 1] == 0x80,
                    bytes[index + 2] == 0x99
                {
                    word.append(contentsOf: bytes[index..<end])
                    ascii = false
                } else {
                    finish()
                    if byte == 0x2E || byte == 0x21 || byte == 0x3F || byte == 0x3A
                        || (byte == 0x0A && previousWasNewline)
                    {
                        pendingSentenceStart = true
                    }
                }
            }
            finish()
        }
        return words
    }

    /// Whether the character of `length` bytes at `index` (not ASCII) is punctuation or a space.
    private static func isSeparator(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> Bool {
        let lead = bytes[index]
        if length == 2 {
            // U+0080–U+00BF, and × (C3 97) and ÷ (C3 B7).
            return lead == 0xC2 || (lead == 0xC3 && (bytes[index + 1] == 0x97 || bytes[index + 1] == 0xB7))
        }
        if length == 3 {
            // U+2000–U+206F (E2 80 80 – E2 81 AF), and the ideographic space and punctuation U+3000–U+303F.
            return (lead == 0xE2 && (bytes[index + 1] == 0x80 || bytes[index + 1] == 0x81))
                || (lead == 0xE3 && bytes[index + 1] == 0x80)
        }
        return length == 1  // A stray continuation byte.
    }

    /// Lower case without accents; `ø`, `æ` and `ß` as plain Latin letters, as the search index folds them.
    public static func fold(_ word: String) -> String {
        if word.unicodeScalars.allSatisfy({ $0.value < 0x80 }) {
            return String(decoding: word.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        let folded = word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        guard folded.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return folded }
        var result = ""
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "ø": result += "o"
            case "æ": result += "ae"
            case "œ": result += "oe"
            case "ß": result += "ss"
            case "đ", "ð": result += "d"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

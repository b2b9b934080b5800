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
}

/// Splits text into words. Letters and digits make a word; a figure keeps its inner `.`, `,` and `:`
/// (`6.1`, `1,500`, `21:30`) with the thousands separators dropped, and a possessive `'s` is cut.
public enum StoryWords {
    public static func words(in text: Substring) -> [StoryWord] {
        var words: [StoryWord] = []
        var current = ""
        var hasDigit = false
        var hasLetter = false
        // Whether the next word opens a sentence: at the start, after `.`, `!`, `?`, `:` or a paragraph.
        var sentenceStart = true
        var pendingSentenceStart = true
        var previous: Character = " "

        func finish() {
            guard !current.isEmpty else { return }
            var word = current
            if word.hasSuffix("'s") || word.hasSuffix("’s") { word.removeLast(2) }
            while let last = word.last, !last.isLetter, !last.isNumber { word.removeLast() }
            if !word.isEmpty {
                let first = word.first!
                let isFigure = hasDigit
                let folded = fold(isFigure ? word.replacingOccurrences(of: ",", with: "") : word)
                words.append(
                    StoryWord(
                        folded: folded,
                        capitalised: !isFigure && first.isUppercase,
                        opensSentence: sentenceStart,
                        isFigure: isFigure
                    )
                )
            }
            current = ""
            hasDigit = false
            hasLetter = false
            sentenceStart = false
        }

        for character in text {
            if character.isLetter || character.isNumber {
                if current.isEmpty { sentenceStart = pendingSentenceStart }
                pendingSentenceStart = false
                current.append(character)
                if character.isNumber { hasDigit = true } else { hasLetter = true }
            } else if !current.isEmpty, hasDigit, !hasLetter, ".,:".contains(character) {
                current.append(character)
            } else if !current.isEmpty, character == "'" || character == "’" {
                current.append(character)
            } else {
                finish()
                if ".!?:".contains(character) || (character == "\n" && previous == "\n") {
                    pendingSentenceStart = true
                }
            }
            previous = character
        }
        finish()
        return words
    }

    /// Lower case without accents; `ø`, `æ` and `ß` as plain Latin letters, as the search index folds them.
    public static func fold(_ word: String) -> String {
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

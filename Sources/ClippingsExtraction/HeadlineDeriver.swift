import Foundation

/// Derives a headline for a document that has none: its first sentence, shortened at a word boundary.
enum HeadlineDeriver {
    static let maximumLength = 110

    static func headline(from paragraphs: [String]) -> String {
        guard let first = paragraphs.first(where: { !$0.isEmpty }) else { return "Untitled" }
        let sentence = firstSentence(of: first)
        guard sentence.count > maximumLength else { return sentence }
        var cut = ""
        for word in sentence.split(separator: " ") {
            if cut.count + word.count + 1 > maximumLength - 1 { break }
            cut += cut.isEmpty ? String(word) : " " + word
        }
        while let last = cut.last, ",;:–—-".contains(last) { cut.removeLast() }
        return cut + "…"
    }

    /// The text up to the first full stop that ends a sentence (not an initial or an abbreviation).
    static func firstSentence(of text: String) -> String {
        let abbreviations: Set<String> = [
            "mr", "mrs", "ms", "dr", "st", "no", "nr", "jr", "sr", "gen", "gov", "sen", "rep",
        ]
        var index = text.startIndex
        while let end = text[index...].firstIndex(where: { ".!?".contains($0) }) {
            let next = text.index(after: end)
            let word = text[..<end].split(separator: " ").last.map { $0.lowercased() } ?? ""
            let isAbbreviation = abbreviations.contains(word) || (word.count == 1 && word.first?.isLetter == true)
            if next == text.endIndex || text[next] == " ", !isAbbreviation {
                let sentence = String(text[..<end])
                return text[end] == "." ? sentence : sentence + String(text[end])
            }
            index = next
        }
        return text
    }
}

import Foundation

/// The header some exports put above a document: a title line between `---` lines, or `key: value` lines.
///
/// ```
/// ---
/// Norway Busted Massive a Darknet Child Porn Ring
/// ---
/// <article …>
/// ```
struct FrontMatter {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let fieldLine = /([A-Za-z_]+)\s*:\s+(.+)/

    var title: String?
    var author: String?
    var date: Date?
    var url: String?

    /// Splits the front matter off a document; documents without one come back unchanged.
    static func split(_ text: String) -> (FrontMatter, String) {
        guard text.drop(while: \.isWhitespace).hasPrefix("---") else { return (FrontMatter(), text) }
        var lines = text.split(separator: "\n", maxSplits: 40, omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else { return (FrontMatter(), text) }
        var matter = FrontMatter()
        var loose: [String] = []
        for line in lines[1..<end] {
            let trimmed = TextNormalizer.collapse(String(line))
            guard !trimmed.isEmpty else { continue }
            if let match = trimmed.wholeMatch(of: Self.fieldLine) {
                let value = String(match.2).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                switch match.1.lowercased() {
                case "title", "headline": matter.title = value
                case "author", "byline": matter.author = value
                case "date", "published", "published_at": matter.date = DateRecognizer.date(from: value)
                case "url", "link", "canonical": matter.url = value
                default: loose.append(trimmed)
                }
            } else {
                loose.append(trimmed)
            }
        }
        if matter.title == nil, !loose.isEmpty { matter.title = HTMLEntities.decode(loose.joined(separator: " ")) }
        lines.removeSubrange(...end)
        return (matter, lines.joined(separator: "\n"))
    }
}

import Foundation

/// The headline: stated by metadata, marked in the post, or repeated by `<title>`, without the site's name.
extension HTMLArticleReader {
    /// The article's heading: one marked as the entry title or headline, else (unless `markedOnly`) the first `<h1>`.
    func headline(in scope: [HTMLElement], markedOnly: Bool) -> String? {
        let candidates = scope.filter { ["h1", "h2"].contains($0.name) }
        let marked = candidates.first { element in
            element.attributes["itemprop"] == "headline"
                || element.classes.contains { ["entry-title", "post-title", "article-title", "headline"].contains($0) }
        }
        if let marked { return marked.text.nonEmpty }
        return markedOnly ? nil : candidates.first { $0.name == "h1" }?.text.nonEmpty
    }

    /// The first metadata title that shares most of its words with the document's `<title>`: some pages
    /// put a description or a social-media teaser in one of the title fields. Without a `<title>` to
    /// compare with, the first.
    static func consistentTitle(_ candidates: [String?], documentTitle: String?) -> String? {
        let titles = candidates.compactMap { $0?.nonEmpty }
        guard let documentTitle else { return titles.first }
        let reference = Set(TextNormalizer.words(in: documentTitle.lowercased()))
        return titles.first { title in
            let words = TextNormalizer.words(in: title.lowercased())
            return !words.isEmpty && words.filter { reference.contains($0) }.count * 2 >= words.count
        } ?? titles.first
    }

    /// The `<h1>` that the document's `<title>` repeats: the headline without the site's decoration.
    func documentHeading(in scope: [HTMLElement], documentTitle: String?) -> String? {
        guard let documentTitle = documentTitle?.lowercased() else { return nil }
        return scope.lazy.filter { $0.name == "h1" }.map(\.text)
            .first { $0.count >= 8 && documentTitle.contains($0.lowercased()) }
    }

    func pageTitle(_ elements: [HTMLElement], siteName: String?) -> String? {
        guard let title = elements.first(where: { $0.name == "title" })?.text.nonEmpty else { return nil }
        return Self.removingSiteName(title, siteName)
    }

    /// "Headline | Site", "Headline - Site": the site part is not the headline.
    static func removingSiteName(_ title: String, _ siteName: String?) -> String {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » "] {
            var parts = title.components(separatedBy: separator)
            guard parts.count > 1 else { continue }
            let site = siteName.map(folded)
            // From the end: the site's name, a date ("| DW | 19.01.2020"), a section after the site.
            while parts.count > 1, let last = parts.last {
                let isSite = site.map {
                    folded(last) == $0 || (parts.count > 2 && folded(parts[parts.count - 2]) == $0)
                }
                let isDate =
                    DateRecognizer.date(from: last) != nil || last.allSatisfy { $0.isNumber || ".-/ ".contains($0) }
                let isShort = siteName == nil && last.split(separator: " ").count <= 4
                guard isSite == true || isDate || isShort else { break }
                parts.removeLast()
            }
            // "Site | Headline": a leading site name.
            if parts.count > 1, let site, folded(parts[0]) == site { parts.removeFirst() }
            let result = parts.joined(separator: separator)
            if result != title { return TextNormalizer.trimmed(Substring(result)) }
        }
        return title
    }

    /// A name compared loosely: case, accents and punctuation ("Aktuálně.cz", "aktualne.cz") aside.
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter {
            $0.isLetter || $0.isNumber
        }
    }
}

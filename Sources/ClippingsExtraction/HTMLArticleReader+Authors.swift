import Foundation

/// Where pages name the article's writers, for `AuthorNames` to clean.
extension HTMLArticleReader {
    /// Bylines the page offers, most reliable first: structured data, then `<meta>`, then marked-up
    /// bylines in the article (hCard and schema.org names before `rel=author` links: author boxes also hold
    /// links such as "View all of Jane Doe's posts").
    func authorCandidates(meta: MetaTags, linkedData: LinkedData?, scope: [HTMLElement]) -> [AuthorNames.Candidate] {
        var candidates: [String] = []
        if let data = linkedData, !data.authors.isEmpty { candidates.append(data.authors.joined(separator: "; ")) }
        for key in [
            "author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl",
        ] {
            candidates += meta.all(key).filter { !$0.hasPrefix("http") }
        }
        let byClass = scope.filter { element in
            element.hasClass("fn") && element.lineage.contains { $0.hasClass("author") || $0.hasClass("byline") }
        }
        let byItemprop = scope.filter { ByteText.contains($0.attributes["itemprop"], "author") }.map { element in
            element.descendants.first { $0.attributes["itemprop"] == "name" } ?? element
        }
        let byRel = scope.filter { $0.name == "a" && $0.tokens("rel").contains("author") }
        let byLink = scope.filter { $0.name == "a" && ByteText.contains($0.attributes["href"], "/author/") }
        let names = (byClass + byItemprop + byRel + byLink).map(\.text).filter(Self.looksLikeName)
        let bylines = scope.filter { element in
            element.classes.contains { name in
                let lowered = name.lowercased()
                return ["byline", "author-name", "entry-author", "article-author", "author"].contains(lowered)
                    || lowered.hasSuffix("__byline") || lowered.hasSuffix("-byline")
            }
        }
        .map { HTMLBodyExtractor.byline($0.text) ?? $0.text }
        .filter { $0.count <= 120 }
        return candidates.map { AuthorNames.Candidate(text: $0, structured: true) }
            + (names + bylines).map { AuthorNames.Candidate(text: $0, structured: false) }
    }

    /// A person's name, not a link label: one to five words, no sentence, no "posts" or URL.
    static func looksLikeName(_ text: String) -> Bool {
        let words = text.split(separator: " ")
        let lowered = text.lowercased()
        return (1...5).contains(words.count) && text.count <= 60
            && !["post", "view", "http", "www."].contains { lowered.contains($0) }
    }
}

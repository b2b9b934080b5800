import Foundation

/// When the article was published: `<meta>`, the `<time>` nearest the text, the permalink.
extension HTMLArticleReader {
    /// `<meta>` names under which pages state their publication time.
    static let publicationMeta = [
        "article:published_time", "og:published_time", "article:published", "datepublished", "parsely-pub-date",
        "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
        "citation_publication_date", "publication_date", "publish-date", "publishdate", "pubdate", "date",
        "original-publish-date", "article.published", "published-date", "cxenseparse:recs:publishtime",
    ]

    /// The publication time stated in `<meta>`, else the `<time>` (or `datePublished` element) closest to
    /// the article's text: a page's other dates belong to teasers, comments and "updated" stamps.
    func publishedDate(meta: MetaTags, scope: [HTMLElement], near anchor: HTMLElement?) -> Date? {
        for key in Self.publicationMeta {
            if let value = meta[key], let date = DateRecognizer.date(from: value) { return date }
        }
        var times = scope.filter { element in
            (element.name == "time" || element.attributes["itemprop"] == "datePublished")
                && !element.lineage.contains { ContentFinder.furnitureNames.contains($0.name) }
        }
        if let anchor {
            let end = anchor.descendants.last?.index ?? anchor.index
            func distance(_ element: HTMLElement) -> Int {
                if element.index >= anchor.index && element.index <= end { return 0 }
                return element.index < anchor.index ? anchor.index - element.index : 1_000_000 + element.index
            }
            times.sort { distance($0) < distance($1) }
        }
        let preferred =
            times.first {
                $0.attributes["itemprop"] == "datePublished" || $0.hasClass("published")
                    || $0.attributes["pubdate"] != nil
            }
            ?? times.first { !$0.hasClass("updated") && !($0.attributes["itemprop"] ?? "").contains("Modified") }
        if let element = preferred {
            let value = element.attributes["datetime"] ?? element.attributes["content"] ?? element.visibleText
            if let date = DateRecognizer.date(from: value) ?? DateRecognizer.date(from: element.visibleText) {
                return date
            }
        }
        // A short visible element holding only a date, then the hidden hAtom `updated` stamp.
        let visible = scope.first { element in
            !element.children.isEmpty && element.children.allSatisfy { if case .text = $0 { true } else { false } }
                && element.rawText.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 })
                && !element.isHidden && !element.hasClass("updated") && element.rawText.utf8.count <= 120
                && element.text.count <= 40 && DateRecognizer.date(from: element.text) != nil
        }
        let stamped = scope.first { $0.hasClass("published") || $0.hasClass("entry-date") || $0.hasClass("updated") }
        return [visible, stamped].lazy.compactMap { $0.flatMap { DateRecognizer.date(from: $0.text) } }.first
    }

    /// The day in a WordPress-style permalink (`/2019/05/07/slug/`): the publication day when the page
    /// states no date itself.
    static func permalinkDate(_ url: String) -> Date? {
        guard let match = url.firstMatch(of: Self.permalinkDay),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3)
        else { return nil }
        return DateRecognizer.make(year: year, month: month, day: day)
    }
}

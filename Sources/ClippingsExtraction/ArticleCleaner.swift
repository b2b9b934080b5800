import Foundation

/// Removes what a chosen article element carries besides the article: share bars, link lists, forms,
/// galleries and embeds, judged by their own text, links, images and names (Readability's "clean
/// conditionally").
///
/// Containers are judged innermost first and their text taken off their ancestors as they go, so a
/// large body that holds one link-heavy box keeps its text when the box is gone.
struct ArticleCleaner {
    let elements: [HTMLElement]
    let strictness: ContentFinder.Strictness
    let classWeight: (HTMLElement) -> Double

    func clean(_ content: [HTMLElement], figures: inout PageFigures) {
        // Each content element with everything below it, in document order.
        let span = content.flatMap { root in elements[root.index...lastDescendantIndex(of: root)] }
        for element in span.reversed() where Self.alwaysCleaned.contains(element.name) {
            figures.remove(element)
        }
        for element in span.reversed() where !figures.removed[element.index] && isShareBar(element, figures: figures) {
            figures.remove(element)
        }
        if strictness.weighClasses {
            for element in span where ["h1", "h2"].contains(element.name) && classWeight(element) < 0 {
                figures.remove(element)
            }
            removeFurniture(in: span, content: content, figures: &figures)
        }
        guard strictness.cleanConditionally else { return }
        for names in [["fieldset"], ["table"], ["ul", "ol"], ["div", "section"]] {
            for element in span.reversed() where names.contains(element.name) && !figures.isRemoved(element) {
                if shouldRemove(element, figures: figures) { figures.remove(element) }
            }
        }
    }

    /// Class or id fragments of the furniture that sits inside article elements: bylines and author cards,
    /// share and follow bars, captions and credits, embedded posts, teasers for other stories.
    static let furnitureMarkers = ByteText.patterns([
        "share", "social", "related", "comment", "author", "byline", "vcard", "newsletter", "subscribe", "sidebar",
        "widget", "breadcrumb", "advert", "sponsor", "post-meta", "entry-meta", "postmeta", "story-meta",
        "article-meta", "tags", "tag-links", "cat-links", "categories", "navigation", "pagination", "caption",
        "credit", "promo", "jp-relatedposts", "sharedaddy", "screen-reader", "adspot", "td-a-rec", "adsbygoogle",
        "twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "read-more", "readmore", "read-next",
        "most-read", "more-stories", "recommended", "trending", "popular", "avatar", "cookie", "consent", "paywall",
        "kicker", "timestamp", "dateline", "toolbar", "print-only", "signup", "sign-up", "donate", "teaser",
    ])
    /// Class names that mark an advertisement only when they stand alone (`ad`, not `heading`).
    static let advertTokens = ByteText.patterns(["ad", "ads", "ad-unit", "ad-slot", "ad-container", "banner-ad"])
    static let caption = Array("caption".utf8)

    /// Furniture by name inside the article, and the article's own `<header>` (headline, kicker, byline,
    /// date: each read elsewhere), so long as it is not a large part of the text, which a wrapper with an
    /// unlucky name can be. A captioned image keeps its image; only the caption's text goes.
    private func removeFurniture(in span: [HTMLElement], content: [HTMLElement], figures: inout PageFigures) {
        let total = content.reduce(0) { $0 + figures.textLength[$1.index] }
        for element in span where !figures.isRemoved(element) && !content.contains(where: { $0 === element }) {
            let header = element.name == "header"
            guard header || isFurniture(element), figures.textLength[element.index] * 10 <= total * 4 else {
                continue
            }
            if !header, ByteText.contains(element.names, Self.caption),
                element.descendants.contains(where: { $0.name == "img" })
            {
                figures.imagesOnly[element.index] = true
            } else {
                figures.remove(element)
            }
        }
    }

    private func isFurniture(_ element: HTMLElement) -> Bool {
        let names = element.names
        guard !names.isEmpty else { return false }
        // The post's own `tag-x`/`category-x` classes name its terms, not furniture.
        let tokens = names.split { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }.map(Array.init).filter { token in
            !token.starts(with: Array("tag-".utf8)) && !token.starts(with: Array("category-".utf8))
        }
        return tokens.contains { token in
            Self.advertTokens.contains(token) || ByteText.containsAny(token, Self.furnitureMarkers)
        }
    }

    static let share = Array("share".utf8)
    static let sharedaddy = Array("sharedaddy".utf8)
    static let alwaysCleaned: Set<String> = ["footer", "aside", "figcaption", "h1", "button", "form"]

    private func lastDescendantIndex(of element: HTMLElement) -> Int {
        var current = element
        while let last = current.children.reversed().lazy.compactMap({
            if case .element(let child) = $0 { child } else { nil }
        }).first {
            current = last
        }
        return current.index
    }

    /// `share`/`sharedaddy` as a word of the class or id, on an element with little text.
    private func isShareBar(_ element: HTMLElement, figures: PageFigures) -> Bool {
        guard figures.textLength[element.index] < 500 else { return false }
        let names = element.names
        return ByteText.containsWord(names, Self.share) || ByteText.containsWord(names, Self.sharedaddy)
    }

    private func shouldRemove(_ element: HTMLElement, figures: PageFigures) -> Bool {
        if element.name == "table", isDataTable(element) { return false }
        if element.lineage.dropFirst().contains(where: { $0.name == "code" || $0.name == "pre" }) { return false }
        let weight = strictness.weighClasses ? classWeight(element) : 0
        if weight < 0 { return true }
        guard figures.commas[element.index] < 10 else { return false }
        var paragraphs = 0
        var images = 0
        var items = -100
        var inputs = 0
        var embeds = 0
        var headingLength = 0
        for inner in element.descendants where !figures.removed[inner.index] {
            switch inner.name {
            case "p": paragraphs += 1
            case "img": images += 1
            case "li": items += 1
            case "input": inputs += 1
            case "object", "embed", "iframe": embeds += 1
            case "h1", "h2", "h3", "h4", "h5", "h6": headingLength += figures.textLength[inner.index]
            default: break
            }
        }
        let isList = element.name == "ul" || element.name == "ol"
        let length = figures.textLength[element.index]
        let headingDensity = length == 0 ? 0 : Double(headingLength) / Double(length)
        let density = figures.linkDensity(element)
        let inFigure = element.lineage.dropFirst().contains { $0.name == "figure" }
        if images > 1 && Double(paragraphs) / Double(images) < 0.5 && !inFigure { return true }
        if !isList && items > paragraphs { return true }
        if inputs > paragraphs / 3 { return true }
        if !isList && headingDensity < 0.9 && length < 25 && (images == 0 || images > 2) && !inFigure { return true }
        if !isList && weight < 25 && density > 0.2 { return true }
        if weight >= 25 && density > 0.5 { return true }
        if (embeds == 1 && length < 75) || embeds > 1 { return true }
        // A list of links (a menu, "more on this"), not a list in the text.
        if isList && density > 0.5 { return true }
        return false
    }

    /// Tables of data (a caption, header cells, many rows or columns) are article text; layout tables
    /// are judged like any container.
    private func isDataTable(_ table: HTMLElement) -> Bool {
        if table.attributes["role"] == "presentation" { return false }
        if table.attributes["summary"] != nil { return true }
        let inside = table.descendants
        if inside.contains(where: { ["caption", "thead", "tfoot", "colgroup", "th"].contains($0.name) }) {
            return true
        }
        if inside.contains(where: { $0.name == "table" }) { return false }
        let rows = inside.filter { $0.name == "tr" }
        let columns =
            rows.map { row in
                row.children.filter { if case .element(let cell) = $0 { cell.name == "td" } else { false } }.count
            }
            .max() ?? 0
        return rows.count >= 10 || columns > 4 || rows.count * columns > 10
    }
}

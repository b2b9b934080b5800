import Foundation

/// Turns an article's content element into clean paragraphs, outbound links and images.
///
/// Walks the content in document order, keeping block text and skipping whatever a reader would not see
/// as the article: hidden elements, scripts, navigation, share bars, comment sections, author cards,
/// bylines and tag lists. Works whether or not the theme wraps the text in an `entry-content` element.
struct HTMLBodyExtractor {
    let root: HTMLElement
    let baseURL: String?
    /// The `<article>` around `root`, if any: its lead figure often stands above the body element.
    var article: HTMLElement? = nil

    struct Body {
        var paragraphs: [String] = []
        var links: [Link] = []
        var images: [Image] = []
        /// A byline written as a body paragraph ("By Jane Doe"), removed from the paragraphs.
        var byline: String?
        /// Set at a marker after which nothing is article text ("Share this:", "###").
        var ended = false
    }

    /// Elements that hold the article text, most specific first.
    static func contentRoot(of document: HTMLElement, elements: [HTMLElement], article: HTMLElement?) -> HTMLElement {
        let scope = article?.descendants ?? elements
        let marked = scope.first { element in
            element.attributes["itemprop"] == "articleBody"
                || element.classes.contains { contentClasses.contains(String($0)) }
        }
        return marked ?? article ?? elements.first { $0.name == "main" } ?? elements.first { $0.name == "body" }
            ?? document
    }

    static let contentClasses: Set<String> = [
        "entry-content", "entry", "post-content", "article-content", "article-body", "article__body", "post-body",
        "story-body", "td-post-content", "single-content", "content-body", "post-entry", "articleBody",
    ]
    static let skippedElements: Set<String> = [
        "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button", "iframe", "svg",
        "figcaption", "header", "h1", "h2", "h3", "h4", "h5", "h6", "select", "input", "textarea", "title",
    ]
    /// Class or id fragments that mark furniture rather than article text.
    static let furnitureMarkers = [
        "share", "social", "related", "comment", "author", "byline", "vcard", "newsletter", "subscribe",
        "sidebar", "widget", "breadcrumb", "advert", "sponsor", "post-meta", "entry-meta", "postmeta",
        "tags", "tag-links", "cat-links", "categories", "navigation", "pagination", "caption", "credit", "promo",
        "jp-relatedposts", "sharedaddy", "wp-caption-text", "screen-reader", "adspot", "td-a-rec", "adsbygoogle",
        "twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "embed", "read-more", "readmore", "read-next",
        "most-read", "more-stories", "recommended", "trending", "popular", "avatar", "cookie", "consent", "paywall",
    ]
    /// Class names that mark an advertisement only when they stand alone (`ad`, not `heading`).
    static let advertTokens: Set<String> = ["ad", "ads", "ad-unit", "ad-slot", "ad-container", "banner-ad"]
    static let blockElements: Set<String> = ["p", "li", "blockquote", "pre", "dd", "td"]

    func extract() -> Body {
        var body = Body()
        body.images = leadImages()
        visit(root, into: &body, isRoot: true)
        if body.paragraphs.isEmpty {
            // No paragraph markup at all: the text itself, split on blank lines or double breaks.
            body.paragraphs = looseText(root).filter { !Boilerplate.isNoise($0) }
            if !body.paragraphs.isEmpty { collectLinks(in: root, into: &body) }
        }
        body.links = distinct(body.links)
        return body
    }

    /// Figures in the article above its body element (a lead photo between headline and text), unless they
    /// sit in furniture such as an author card.
    private func leadImages() -> [Image] {
        guard let article, article !== root else { return [] }
        let elements = article.descendants
        guard let rootIndex = elements.firstIndex(where: { $0 === root }) else { return [] }
        return elements[..<rootIndex].filter { figure in
            figure.name == "figure" && !figure.lineage.prefix(while: { $0 !== article }).contains(where: isFurniture)
        }
        .flatMap { figure in
            figure.descendants.filter { $0.name == "img" && !isFurniture($0) }.compactMap(image)
        }
    }

    /// Each link once, in order of first appearance.
    private func distinct(_ links: [Link]) -> [Link] {
        var seen: Set<String> = []
        return links.filter { seen.insert($0.url).inserted }
    }

    private func visit(_ element: HTMLElement, into body: inout Body, isRoot: Bool = false) {
        guard !body.ended else { return }
        if !isRoot, isFurniture(element) {
            // A captioned image (`wp-caption`) keeps its image; only the caption text goes.
            if !element.isHidden, element.classes.contains(where: { $0.contains("caption") }) {
                for image in element.descendants where image.name == "img" && !isHidden(image, within: element) {
                    if let parsed = self.image(image) { body.images.append(parsed) }
                }
            }
            return
        }
        if element.name == "img" {
            if let image = image(element) { body.images.append(image) }
            return
        }
        if Self.blockElements.contains(element.name),
            !element.descendants.contains(where: { Self.blockElements.contains($0.name) })
        {
            collectBlock(element, into: &body)
            return
        }
        for case .element(let child) in element.children { visit(child, into: &body) }
    }

    private func collectBlock(_ element: HTMLElement, into body: inout Body) {
        for image in element.descendants where image.name == "img" && !isHidden(image, within: element) {
            if let parsed = self.image(image) { body.images.append(parsed) }
        }
        let text = TextNormalizer.collapse(element.rawText)
        if Boilerplate.endsArticle(text) {
            body.ended = true
            return
        }
        guard !text.isEmpty, !Boilerplate.isNoise(text) else { return }
        if body.byline == nil, let name = Self.byline(text) {
            body.byline = name
            return
        }
        body.paragraphs.append(text)
        collectLinks(in: element, into: &body)
    }

    private func collectLinks(in element: HTMLElement, into body: inout Body) {
        for anchor in element.descendants where anchor.name == "a" {
            guard !anchor.lineage.prefix(while: { $0 !== element }).contains(where: isFurniture) else { continue }
            guard let href = anchor.attributes["href"], let url = absolute(href) else { continue }
            let label = anchor.text.nonEmpty ?? anchor.attributes["title"] ?? ""
            body.links.append(Link(url: url, text: label))
        }
    }

    private func isFurniture(_ element: HTMLElement) -> Bool {
        if Self.skippedElements.contains(element.name) || element.isHidden { return true }
        let names = (element.classes.map { $0.lowercased() } + [element.attributes["id"]?.lowercased() ?? ""])
            .filter { !$0.isEmpty && !$0.hasPrefix("tag-") && !$0.hasPrefix("category-") }
        return names.contains { name in
            Self.advertTokens.contains(name) || Self.furnitureMarkers.contains { name.contains($0) }
        }
    }

    private func isHidden(_ element: HTMLElement, within block: HTMLElement) -> Bool {
        element.lineage.prefix { $0 !== block }.contains { $0.isHidden }
    }

    private func image(_ element: HTMLElement) -> Image? {
        let attributes = element.attributes
        let lazy = attributes["data-src"] ?? attributes["data-lazy-src"] ?? attributes["data-original"]
        var source = attributes["src"]
        if source == nil || source!.hasPrefix("data:") || source!.isEmpty { source = lazy }
        if source == nil, let set = attributes["srcset"] {
            source = set.split(separator: ",").first?.split(separator: " ").first.map(String.init)
        }
        guard let source, let url = absolute(source) else { return nil }
        if attributes["width"] == "1" || attributes["height"] == "1" { return nil }  // tracking pixels
        return Image(url: url, alt: attributes["alt"].map(TextNormalizer.collapse)?.nonEmpty)
    }

    /// Resolves a link against the article's URL; only web links count.
    private func absolute(_ href: String) -> String? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        if PublisherDirectory.host(of: trimmed) != nil { return trimmed }
        if trimmed.hasPrefix("//") { return "https:" + trimmed }
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.contains(":"),
            let baseURL, let base = URL(string: baseURL), let resolved = URL(string: trimmed, relativeTo: base)
        else { return nil }
        return resolved.absoluteString
    }

    private func looseText(_ element: HTMLElement) -> [String] {
        var copy = ""
        func walk(_ node: HTMLElement) {
            for child in node.children {
                switch child {
                case .text(let text): copy += text
                case .element(let inner) where inner.name == "br": copy += "\n"
                case .element(let inner) where !isFurniture(inner): walk(inner)
                case .element: copy += "\n\n"
                }
            }
        }
        walk(element)
        return copy.components(separatedBy: "\n\n").map(TextNormalizer.collapse).filter { !$0.isEmpty }
    }

    /// The name in a byline paragraph such as "By Jane Doe", "Posted by: Jane Doe", "By Anna Berg and Tom
    /// Lie" or "By Marcus Reyes, Staff Writer" (the role is not part of the name).
    static func byline(_ text: String) -> String? {
        guard let match = text.wholeMatch(of: /(?i)(?:posted by|written by|by|av|skrevet av)\s*:?\s+(.{3,90})/) else {
            return nil
        }
        let name = Self.removingRole(String(match.1))
        let words = name.split(separator: " ")
        let joiners: Set<Substring> = ["and", "&", "og", "und", "et", "y", "i", "och"]
        return (2...8).contains(words.count)
            && words.allSatisfy({ $0.first?.isUppercase == true || joiners.contains($0) })
            && words.first.map { !joiners.contains($0) } == true ? name : nil
    }

    /// Words after a comma that describe the job, not the person ("Staff Writer", "Political Editor").
    static let roleWords: Set<String> = [
        "writer", "reporter", "correspondent", "editor", "journalist", "staff", "contributor", "columnist",
        "photographer", "analyst", "commentator", "korrespondent", "redaktør", "kommentator", "fotograf", "bureau",
        "desk", "intern", "producer",
    ]

    /// "Jane Doe, Staff Writer" → "Jane Doe"; "Jane Doe, Tom Lie" stays.
    static func removingRole(_ name: String) -> String {
        guard let comma = name.firstIndex(of: ",") else { return name }
        let tail = name[name.index(after: comma)...].lowercased()
        let describesJob = TextNormalizer.words(in: tail).contains { roleWords.contains(String($0)) }
        return describesJob ? TextNormalizer.trimmed(name[..<comma]) : name
    }
}

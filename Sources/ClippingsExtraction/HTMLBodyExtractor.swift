import Foundation

/// Turns the elements that hold a page's article into clean paragraphs, outbound links and images.
///
/// `ContentFinder` decides which elements are the article and which of their parts are not; this walks
/// what is left in document order, making a paragraph of each block (paragraphs, list items, quotes,
/// headings below the headline, text written straight into a container) and dropping lines that are
/// site furniture in any layout ("Advertisement", "Read more: …", a closing copyright notice).
struct HTMLBodyExtractor {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let bylinePattern = /(?i)(?:posted by|written by|by|av|skrevet av)\s*:?\s+(.{3,90})/

    let content: [HTMLElement]
    let figures: PageFigures
    let baseURL: String?
    /// The headline found in the page's metadata: a heading that repeats it is not body text.
    var title: String?

    struct Body {
        var paragraphs: [String] = []
        var links: [Link] = []
        var images: [Image] = []
        /// A byline written as a body paragraph ("By Jane Doe") or marked up as one, removed from the text.
        var byline: String?
        /// Set at a marker after which nothing is article text ("Share this:", "###").
        var ended = false
        /// The first element of the article's content: where the page's own post is.
        var anchor: HTMLElement?

        var textLength: Int { paragraphs.reduce(0) { $0 + $1.count } }
    }

    /// The article of a parsed page: the first of Readability's passes, strictest first, that yields
    /// enough text (500 characters), else the pass that yielded the most.
    static func extract(elements: [HTMLElement], baseURL: String?, title: String?) -> Body {
        let finder = ContentFinder(elements: elements)
        var best: Body?
        for strictness in ContentFinder.Strictness.passes {
            let found = finder.find(strictness)
            var body = HTMLBodyExtractor(content: found.content, figures: found.figures, baseURL: baseURL, title: title)
                .extract()
            if body.byline == nil, let marked = found.byline { body.byline = byline(marked) ?? marked }
            if body.textLength >= 500 { return body }
            if body.textLength > best?.textLength ?? -1 { best = body }
        }
        return best ?? Body()
    }

    static let skippedElements: Set<String> = [
        "script", "style", "noscript", "template", "nav", "form", "button", "iframe", "svg", "figcaption", "h1",
        "select", "input", "textarea", "title",
    ]
    /// Elements whose text is one paragraph unless they hold other blocks.
    static let blockElements: Set<String> = [
        "p", "li", "blockquote", "pre", "dd", "dt", "td", "th", "address", "div", "section", "article", "main",
        "figure", "header", "ul", "ol", "dl", "table", "tr", "tbody", "thead", "center", "details", "summary",
    ]
    static let headings: Set<String> = ["h2", "h3", "h4", "h5", "h6"]

    func extract() -> Body {
        var body = Body()
        body.anchor = content.first
        body.images = leadImages()
        for element in content { visit(element, into: &body) }
        body.links = distinct(body.links)
        return body
    }

    /// The lead picture between headline and text: a `<figure>` before the article's first element, within
    /// the post (a few levels up, not past `<article>` or `<main>`), which scoring leaves out for want of text.
    private func leadImages() -> [Image] {
        // From the element holding most of the text: a short sibling before it (a header) may be content too.
        let lengths = figures.textLength
        guard let main = content.max(by: { lengths[$0.index] < lengths[$1.index] }) else {
            return []
        }
        var found: [HTMLElement] = []
        var current = main
        for _ in 0..<3 {
            guard let parent = current.parent, !["body", "#document"].contains(parent.name) else { break }
            for case .element(let sibling) in parent.children {
                if sibling === current { break }
                guard !figures.removed[sibling.index], !content.contains(where: { $0 === sibling }) else { continue }
                found += ([sibling] + sibling.descendants).filter { $0.name == "figure" && !figures.isRemoved($0) }
            }
            if ["article", "main"].contains(parent.name) { break }
            current = parent
        }
        return found.sorted { $0.index < $1.index }.flatMap { figure in
            figure.descendants.filter { image in
                image.name == "img"
                    && !image.lineage.prefix { $0 !== figure }.contains {
                        ByteText.containsAny($0.names, Self.leadFurniture)
                    }
            }
            .compactMap(image)
        }
    }

    /// Class fragments of pictures near a lead that are not its picture: avatars, logos, advertisements.
    static let leadFurniture = ByteText.patterns(["author", "avatar", "logo", "byline", "profile", "advert", "promo"])

    /// Each link once, in order of first appearance.
    private func distinct(_ links: [Link]) -> [Link] {
        var seen: Set<String> = []
        return links.filter { seen.insert($0.url).inserted }
    }

    private func isLeftOut(_ element: HTMLElement) -> Bool {
        figures.removed[element.index] || Self.skippedElements.contains(element.name) || element.isHidden
    }

    private func visit(_ element: HTMLElement, into body: inout Body) {
        guard !body.ended, !isLeftOut(element) else { return }
        if figures.imagesOnly[element.index] {
            body.images += element.descendants.filter { $0.name == "img" && !figures.isRemoved($0) }.compactMap(image)
            return
        }
        if element.name == "img" {
            if let image = image(element) { body.images.append(image) }
            return
        }
        if Self.headings.contains(element.name) {
            let text = TextNormalizer.collapse(self.text(of: element))
            if !text.isEmpty, !repeatsTitle(text) { add(text, from: element, into: &body) }
            return
        }
        if !figures.holdsBlock[element.index] {
            collectRun(element.children, within: element, into: &body)
            return
        }
        // A container: its blocks one by one, and the text written between them as paragraphs of their own.
        var run: [HTMLNode] = []
        func flush() {
            let nodes = run
            run.removeAll()
            guard !nodes.isEmpty else { return }
            // Text beside blocks that hold text of their own must read as prose; the only text there is kept.
            let runLength = nodes.reduce(0) { total, node in
                switch node {
                case .text(let text): total + PageFigures.measure(text).length
                case .element(let inner): total + figures.textLength[inner.index]
                }
            }
            collectRun(nodes, within: element, into: &body, loose: runLength < figures.textLength[element.index])
        }
        for child in element.children {
            if case .element(let inner) = child,
                Self.blockElements.contains(inner.name) || Self.headings.contains(inner.name)
                    || figures.holdsBlock[inner.index]
            {
                flush()
                visit(inner, into: &body)
            } else {
                run.append(child)
            }
        }
        flush()
    }

    private func repeatsTitle(_ text: String) -> Bool {
        guard let title else { return false }
        return TextNormalizer.trimmed(Substring(text.lowercased()), punctuation: true)
            == TextNormalizer.trimmed(Substring(title.lowercased()), punctuation: true)
    }

    /// The paragraphs of a run of inline content: one, or several where two line breaks part them.
    /// `loose` runs stand between a container's blocks rather than in a block of their own: legacy
    /// themes write paragraphs so, but so do templates write labels, badges and "Posted by … in …" lines,
    /// so a loose run counts only when it reads as prose (a sentence's end, or long).
    private func collectRun(
        _ nodes: [HTMLNode],
        within element: HTMLElement,
        into body: inout Body,
        loose: Bool = false
    ) {
        var raw = ""
        var anchors: [HTMLElement] = []
        for node in nodes { appendText(of: node, to: &raw, anchors: &anchors, images: &body.images) }
        let paragraphs = TextNormalizer.blocks(of: raw)
        var kept = false
        for text in paragraphs {
            guard !body.ended else { return }
            if Boilerplate.endsArticle(text) {
                body.ended = true
                return
            }
            guard !Boilerplate.isNoise(text), !loose || Self.readsAsProse(text) else { continue }
            if body.byline == nil, body.paragraphs.isEmpty, let name = Self.byline(text) {
                body.byline = name
                continue
            }
            body.paragraphs.append(text)
            kept = true
        }
        guard kept else { return }
        for anchor in anchors {
            guard let href = anchor.attributes["href"], let url = absolute(href) else { continue }
            let label = TextNormalizer.collapse(text(of: anchor)).nonEmpty ?? anchor.attributes["title"] ?? ""
            body.links.append(Link(url: url, text: label))
        }
    }

    static func spacingLineBreaks(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }, as: UTF8.self)
    }

    /// Ends like a sentence (or a quotation of one), or runs long enough to be one.
    static func readsAsProse(_ text: String) -> Bool {
        guard text.utf8.count < 150 else { return true }
        guard let last = text.last else { return false }
        return ".!?…\"”»’:;)".contains(last) && text.contains(" ")
    }

    private func add(_ text: String, from element: HTMLElement, into body: inout Body) {
        guard !Boilerplate.isNoise(text) else { return }
        if Boilerplate.endsArticle(text) {
            body.ended = true
            return
        }
        body.paragraphs.append(text)
    }

    /// The visible text of a node, a line break for each `<br>`, with the article's left-out parts skipped.
    private func appendText(
        of node: HTMLNode,
        to output: inout String,
        anchors: inout [HTMLElement],
        images: inout [Image]
    ) {
        switch node {
        case .text(let text):
            // Line breaks in the source are spaces to a reader; only `<br>` breaks a line.
            output += text.utf8.contains(0x0A) || text.utf8.contains(0x0D) ? Self.spacingLineBreaks(text) : text
        case .element(let element):
            if element.name == "br" {
                output += "\n"
                return
            }
            guard !isLeftOut(element) else { return }
            if figures.imagesOnly[element.index] {
                images += element.descendants.filter { $0.name == "img" && !figures.isRemoved($0) }.compactMap(image)
                return
            }
            if element.name == "img" {
                if let image = image(element) { images.append(image) }
                return
            }
            if element.name == "a" { anchors.append(element) }
            for child in element.children { appendText(of: child, to: &output, anchors: &anchors, images: &images) }
        }
    }

    private func text(of element: HTMLElement) -> String {
        var output = ""
        var anchors: [HTMLElement] = []
        var images: [Image] = []
        for child in element.children { appendText(of: child, to: &output, anchors: &anchors, images: &images) }
        return output
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
        let trimmed = TextNormalizer.trimmed(Substring(href))
        if PublisherDirectory.host(of: trimmed) != nil { return trimmed }
        if trimmed.hasPrefix("//") { return "https:" + trimmed }
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.contains(":"),
            let baseURL, let base = URL(string: baseURL), let resolved = URL(string: trimmed, relativeTo: base)
        else { return nil }
        return resolved.absoluteString
    }

    /// The name in a byline paragraph such as "By Jane Doe", "Posted by: Jane Doe", "By Anna Berg and Tom
    /// Lie" or "By Marcus Reyes, Staff Writer" (the role is not part of the name).
    static func byline(_ text: String) -> String? {
        guard let match = text.wholeMatch(of: Self.bylinePattern) else {
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

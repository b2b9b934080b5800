import Foundation

/// Finds the elements of a page that hold its article, by scoring text blocks as Mozilla's Readability does.
///
/// Every paragraph-like block with some text votes for its parent (fully), its grandparent (half) and a few
/// ancestors above (less with each step), with more votes for commas and length; class and id names
/// that say "content" or "comment" raise or lower an element's standing, and link-heavy elements lose in
/// proportion to their link text. The best-scored element, moved up when its parent or several close
/// runners-up point there, is the article, together with those of its siblings that score close to it or
/// read as paragraphs. Markup written for readers of any site shows this shape, so no rule names a site.
struct ContentFinder {
    let elements: [HTMLElement]

    /// How strictly a pass treats suspicious elements; a pass that finds too little text is retried with
    /// fewer of these, as Readability does (pages that name their article `comments-area` exist).
    struct Strictness: Equatable {
        var stripUnlikely = true
        var weighClasses = true
        var cleanConditionally = true

        /// The passes in the order they are tried.
        static let passes: [Strictness] = [
            Strictness(),
            Strictness(stripUnlikely: false),
            Strictness(stripUnlikely: false, weighClasses: false),
            Strictness(stripUnlikely: false, weighClasses: false, cleanConditionally: false),
        ]
    }

    /// What one pass found: the article's elements in document order, and the page's figures with the
    /// elements that do not belong to the article marked removed.
    struct Found {
        var content: [HTMLElement]
        var figures: PageFigures
        /// A short element marked as the byline (`class="byline"`, `rel="author"`), removed from the text.
        var byline: String?
        var strictness: Strictness
    }

    func find(_ strictness: Strictness) -> Found {
        var byline: String?
        let removed = prune(strictness, byline: &byline)
        var figures = PageFigures(elements: elements, removed: removed)
        var scores = [Double](repeating: 0, count: elements.count)
        var scored = [Bool](repeating: false, count: elements.count)
        var candidates: [HTMLElement] = []

        func initialize(_ element: HTMLElement) {
            guard !scored[element.index] else { return }
            scored[element.index] = true
            scores[element.index] = Self.baseScore(element.name) + (strictness.weighClasses ? classWeight(element) : 0)
            candidates.append(element)
        }
        func vote(from element: HTMLElement, length: Int, commas: Int, startingAt first: HTMLElement?) {
            guard length >= 25 else { return }
            let score = 1 + Double(commas) + Double(min(length / 100, 3))
            var ancestor = first
            var level = 0
            while let current = ancestor, level < 5, current.parent != nil {
                initialize(current)
                scores[current.index] += score / (level == 0 ? 1 : level == 1 ? 2 : Double(level * 3))
                ancestor = current.parent
                level += 1
            }
        }

        for element in elements where !figures.removed[element.index] && element.parent != nil {
            if Self.scoredNames.contains(element.name) || (element.name == "div" && !figures.holdsBlock[element.index])
            {
                vote(
                    from: element,
                    length: figures.textLength[element.index],
                    commas: figures.commas[element.index],
                    startingAt: element.parent
                )
            } else if element.name == "div" {
                // Text written straight into a container, between its blocks: Readability wraps such runs
                // in paragraphs of their own.
                for run in inlineRuns(of: element, figures: figures) {
                    vote(from: element, length: run.length, commas: run.commas, startingAt: element)
                }
            }
        }
        for candidate in candidates {
            scores[candidate.index] *= 1 - figures.linkDensity(candidate)
        }
        let ranked = candidates.sorted { scores[$0.index] > scores[$1.index] }.prefix(5)
        guard var top = ranked.first, !["body", "html"].contains(top.name) else {
            let body = elements.first { $0.name == "body" } ?? elements[0]
            return Found(content: [body], figures: figures, byline: byline, strictness: strictness)
        }
        top = promoted(top, ranked: Array(ranked), scores: scores, scored: scored)
        if !scored[top.index] { initialize(top) }
        let content = siblings(of: top, scores: scores, scored: scored, figures: figures)
        if strictness.cleanConditionally || strictness.weighClasses {
            ArticleCleaner(elements: elements, strictness: strictness, classWeight: classWeight)
                .clean(content, figures: &figures)
        }
        return Found(content: content, figures: figures, byline: byline, strictness: strictness)
    }

    // MARK: - Scoring rules

    static let scoredNames: Set<String> = ["section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"]

    static func baseScore(_ name: String) -> Double {
        switch name {
        case "div": 5
        case "pre", "td", "blockquote": 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": -5
        default: 0
        }
    }

    static let positiveNames = ByteText.patterns([
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination", "post", "text",
        "blog", "story",
    ])
    static let negativeNames = ByteText.patterns([
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media",
        "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
        "shopping", "tags", "widget",
    ])
    static let unlikelyNames = ByteText.patterns([
        "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap", "disqus", "extra",
        "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar",
        "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
        "yom-remote",
    ])
    static let maybeNames = ByteText.patterns([
        "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
    ])
    static let bylineNames = ByteText.patterns(["byline", "author", "dateline", "writtenby", "p-author"])
    static let hid = Array("hid".utf8)
    static let unlikelyRoles: Set<String> = [
        "menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog",
    ]

    /// ±25 for each of class and id whose words say content or furniture.
    func classWeight(_ element: HTMLElement) -> Double {
        var weight = 0.0
        for value in [element.classBytes, element.idBytes] where !value.isEmpty {
            if ByteText.containsAny(value, Self.negativeNames) || ByteText.containsWord(value, Self.hid) {
                weight -= 25
            }
            if ByteText.containsAny(value, Self.positiveNames) { weight += 25 }
        }
        return weight
    }

    // MARK: - Pruning

    /// Elements no reader counts as the article: never-shown markup, hidden elements, dialogs and, on a
    /// strict pass, elements whose names say they are furniture.
    func prune(_ strictness: Strictness, byline: inout String?) -> [Bool] {
        var removed = [Bool](repeating: false, count: elements.count)
        for element in elements.dropFirst() {
            if let parent = element.parent, removed[parent.index] {
                removed[element.index] = true
                continue
            }
            if Self.neverContent.contains(element.name) || element.isHidden
                || (element.attributes["role"] == "dialog" && element.attributes["aria-modal"] != nil)
            {
                removed[element.index] = true
                continue
            }
            let names = element.names
            if byline == nil, isByline(element, names: names) {
                byline = element.text
                removed[element.index] = true
                continue
            }
            if strictness.stripUnlikely {
                let unlikely =
                    ByteText.containsAny(names, Self.unlikelyNames) && !ByteText.containsAny(names, Self.maybeNames)
                    && !["body", "a", "html"].contains(element.name)
                    && !element.lineage.dropFirst().contains { $0.name == "table" || $0.name == "code" }
                if unlikely || Self.unlikelyRoles.contains(element.attributes["role"] ?? "")
                    || Self.furnitureNames.contains(element.name)
                {
                    removed[element.index] = true
                }
            }
        }
        return removed
    }

    /// Never article text, whatever the pass.
    static let neverContent: Set<String> = [
        "script", "style", "noscript", "template", "svg", "button", "input", "select", "textarea", "title", "head",
        "iframe", "object", "embed", "link", "meta", "canvas", "dialog", "math",
    ]
    /// Page furniture by element, left out on strict passes.
    static let furnitureNames: Set<String> = ["nav", "footer", "aside", "menu"]

    func isByline(_ element: HTMLElement, names: [UInt8]) -> Bool {
        let marked =
            ByteText.containsAny(names, Self.bylineNames) || element.tokens("rel").contains("author")
            || (element.attributes["itemprop"]?.utf8).map { ByteText.contains(Array($0), Array("author".utf8)) } == true
        guard marked else { return false }
        let length = element.text.count
        return length > 0 && length < 100
    }

    /// Text-and-inline runs between the blocks of a container: their lengths and commas.
    func inlineRuns(of element: HTMLElement, figures: PageFigures) -> [(length: Int, commas: Int)] {
        var runs: [(length: Int, commas: Int)] = []
        var length = 0
        var commas = 0
        func flush() {
            if length > 0 { runs.append((length, commas)) }
            length = 0
            commas = 0
        }
        for child in element.children {
            switch child {
            case .text(let text):
                let measured = PageFigures.measure(text)
                length += measured.length
                commas += measured.commas
            case .element(let inner):
                guard !figures.removed[inner.index] else { continue }
                if PageFigures.blockNames.contains(inner.name) || figures.holdsBlock[inner.index] {
                    flush()
                } else {
                    length += figures.textLength[inner.index]
                    commas += figures.commas[inner.index]
                }
            }
        }
        flush()
        return runs
    }

    // MARK: - Choosing the article element

    /// The top candidate moved up where the page says the article is larger: several close runners-up
    /// share an ancestor, the parent scores higher, or the candidate is an only child.
    func promoted(_ start: HTMLElement, ranked: [HTMLElement], scores: [Double], scored: [Bool]) -> HTMLElement {
        var top = start
        let topScore = scores[top.index]
        let alternatives = ranked.dropFirst().filter { topScore > 0 && scores[$0.index] / topScore >= 0.75 }
            .map { Set($0.lineage.dropFirst().map { ObjectIdentifier($0) }) }
        if alternatives.count >= 3 {
            var parent = top.parent
            while let current = parent, current.name != "body", current.parent != nil {
                let sharing = alternatives.filter { $0.contains(ObjectIdentifier(current)) }.count
                if sharing >= 3 {
                    top = current
                    break
                }
                parent = current.parent
            }
        }
        var lastScore = scores[top.index]
        let threshold = lastScore / 3
        var parent = top.parent
        while let current = parent, current.name != "body", current.parent != nil {
            guard scored[current.index] else {
                parent = current.parent
                continue
            }
            let score = scores[current.index]
            if score < threshold { break }
            if score > lastScore {
                top = current
                break
            }
            lastScore = score
            parent = current.parent
        }
        while let parent = top.parent, parent.name != "body", parent.parent != nil,
            parent.children.filter({ if case .element = $0 { true } else { false } }).count == 1
        {
            top = parent
        }
        return top
    }

    /// The top candidate and the siblings that belong with it: close in score, or plain paragraphs.
    func siblings(of top: HTMLElement, scores: [Double], scored: [Bool], figures: PageFigures) -> [HTMLElement] {
        guard let parent = top.parent else { return [top] }
        let topScore = scores[top.index]
        let threshold = max(10, topScore * 0.2)
        let topClass = top.attributes["class"] ?? ""
        var content: [HTMLElement] = []
        for case .element(let sibling) in parent.children where !figures.removed[sibling.index] {
            if sibling === top {
                content.append(sibling)
                continue
            }
            // The post's header holds its headline, kicker, byline and date: each read on its own.
            guard sibling.name != "header" else { continue }
            let bonus = !topClass.isEmpty && sibling.attributes["class"] == topClass ? topScore * 0.2 : 0
            if scored[sibling.index], scores[sibling.index] + bonus >= threshold {
                content.append(sibling)
                continue
            }
            let isParagraph = sibling.name == "p" || (sibling.name == "div" && !figures.holdsBlock[sibling.index])
            guard isParagraph else { continue }
            let length = figures.textLength[sibling.index]
            let density = figures.linkDensity(sibling)
            if length > 80 && density < 0.25 {
                content.append(sibling)
            } else if length > 0, length < 80, density == 0, Self.endsSentence(sibling.text) {
                content.append(sibling)
            }
        }
        return content
    }

    /// Whether a short text holds a full stop followed by a space or the end: a sentence, not a label.
    static func endsSentence(_ text: String) -> Bool {
        text.hasSuffix(".") || text.contains(". ")
    }
}

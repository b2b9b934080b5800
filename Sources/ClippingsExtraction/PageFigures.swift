import Foundation

/// Per-element text figures of a parsed page, in flat arrays indexed by `HTMLElement.index`.
///
/// Scoring a page asks the same questions of thousands of elements (how much text, how much of it is link
/// text, how many commas); summing them once bottom-up, with what has been left out subtracted as it is left
/// out, keeps extraction linear in the size of the page.
struct PageFigures {
    /// Visible characters, whitespace runs counted once.
    var textLength: [Int]
    /// Characters inside links; in-page links (`href="#…"`) count 0.3, as Readability weighs them.
    var linkLength: [Double]
    /// Commas of any script: a sign of sentences.
    var commas: [Int]
    /// Whether the element holds a block element (`p`, `div`, a list, a table …) anywhere below it.
    var holdsBlock: [Bool]
    /// Elements left out of the article.
    var removed: [Bool]
    /// Elements whose images belong to the article but whose text does not (captions, credits).
    var imagesOnly: [Bool]

    /// Elements whose presence inside a `div` means the `div` is a container, not a paragraph.
    static let blockNames: Set<String> = [
        "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "section", "article", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "main", "aside", "nav", "form", "li",
    ]

    /// Figures for every element not in `removed`.
    init(elements: [HTMLElement], removed: [Bool]) {
        let count = elements.count
        textLength = Array(repeating: 0, count: count)
        linkLength = Array(repeating: 0, count: count)
        commas = Array(repeating: 0, count: count)
        holdsBlock = Array(repeating: false, count: count)
        self.removed = removed
        imagesOnly = Array(repeating: false, count: count)
        // Children come after their parent in document order, so a reverse pass sees them first.
        for element in elements.reversed() where !removed[element.index] {
            var length = 0
            var commaCount = 0
            var links = 0.0
            var block = false
            for child in element.children {
                switch child {
                case .text(let text):
                    let measured = Self.measure(text)
                    length += measured.length
                    commaCount += measured.commas
                case .element(let inner):
                    let index = inner.index
                    guard !removed[index] else { continue }
                    length += textLength[index]
                    commaCount += commas[index]
                    links += linkLength[index]
                    block = block || holdsBlock[index] || Self.blockNames.contains(inner.name)
                }
            }
            let index = element.index
            textLength[index] = length
            commas[index] = commaCount
            holdsBlock[index] = block
            if element.name == "a" {
                let inPage = element.attributes["href"]?.hasPrefix("#") == true
                links = Double(length) * (inPage ? 0.3 : 1)
            }
            linkLength[index] = links
        }
    }

    /// Share of the element's text that is link text.
    func linkDensity(_ element: HTMLElement) -> Double {
        let length = textLength[element.index]
        return length == 0 ? 0 : min(1, linkLength[element.index] / Double(length))
    }

    /// Leaves an element out after the figures were summed, taking its text off its ancestors.
    mutating func remove(_ element: HTMLElement) {
        let index = element.index
        guard !removed[index] else { return }
        removed[index] = true
        var ancestor = element.parent
        while let current = ancestor {
            textLength[current.index] -= textLength[index]
            linkLength[current.index] -= linkLength[index]
            commas[current.index] -= commas[index]
            ancestor = current.parent
        }
    }

    /// Whether the element or one of its ancestors was left out.
    func isRemoved(_ element: HTMLElement) -> Bool {
        element.lineage.contains { removed[$0.index] }
    }

    /// Characters (whitespace runs counted once, leading and trailing whitespace not at all) and commas,
    /// the full-width (U+FF0C), ideographic (U+3001) and Arabic (U+060C) ones included.
    static func measure(_ text: String) -> (length: Int, commas: Int) {
        var length = 0
        var commas = 0
        var pendingSpace = false
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            defer { previous = (previous.1, byte) }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                pendingSpace = length > 0
                continue
            case 0x2C:
                commas += 1
            case 0x8C where previous.1 == 0xBC && previous.0 == 0xEF, 0x8C where previous.1 == 0xD8,
                0x81 where previous.1 == 0x80 && previous.0 == 0xE3:
                commas += 1
            default:
                break
            }
            // Continuation bytes are not characters of their own.
            guard byte & 0xC0 != 0x80 else { continue }
            if pendingSpace {
                length += 1
                pendingSpace = false
            }
            length += 1
        }
        return (length, commas)
    }
}

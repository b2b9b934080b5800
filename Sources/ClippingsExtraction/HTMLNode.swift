import Foundation

/// One element of a parsed HTML document: a small, forgiving DOM that readers query.
///
/// It is a reference type only so the tree builder can append children while elements are open; once
/// `HTMLParser.parse` returns, nothing mutates it, and it never leaves the extraction call that made it.
final class HTMLElement {
    /// Lower-cased tag name; `#document` for the root.
    let name: String
    /// Attributes with lower-cased names and decoded values.
    let attributes: [String: String]
    private(set) var children: [HTMLNode] = []
    private(set) weak var parent: HTMLElement?
    /// Position in document order (the root is 0): lets per-element figures live in flat arrays.
    var index = 0

    init(name: String, attributes: [String: String] = [:]) {
        self.name = name
        self.attributes = attributes
    }

    func append(_ node: HTMLNode) {
        if case .element(let element) = node { element.parent = self }
        children.append(node)
    }

    /// The element's class names.
    private(set) lazy var classes: [Substring] = {
        guard let value = attributes["class"] else { return [] }
        return value.split { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
    }()

    /// The class attribute, lower-cased, as bytes: what name-based rules search, computed once per element.
    private(set) lazy var classBytes: [UInt8] = attributes["class"].map { Array($0.utf8).map(ByteText.lower) } ?? []
    /// The id attribute, lower-cased, as bytes.
    private(set) lazy var idBytes: [UInt8] = attributes["id"].map { Array($0.utf8).map(ByteText.lower) } ?? []
    /// Class and id together, as rules that do not tell them apart search them.
    var names: [UInt8] { idBytes.isEmpty ? classBytes : classBytes + [0x20] + idBytes }

    /// The space-separated tokens of an attribute such as `rel`, lower-cased.
    func tokens(_ attribute: String) -> Set<String> {
        guard attributes[attribute] != nil else { return [] }
        return Set((attributes[attribute] ?? "").lowercased().split(whereSeparator: \.isWhitespace).map(String.init))
    }

    func hasClass(_ name: String) -> Bool { classes.contains { $0 == name } }

    /// Every element below this one, in document order.
    var descendants: [HTMLElement] {
        var result: [HTMLElement] = []
        func walk(_ element: HTMLElement) {
            for case .element(let child) in element.children {
                result.append(child)
                walk(child)
            }
        }
        walk(self)
        return result
    }

    func descendants(named name: String) -> [HTMLElement] { descendants.filter { $0.name == name } }

    /// This element and its ancestors, innermost first.
    var lineage: some Sequence<HTMLElement> { sequence(first: self) { $0.parent } }

    /// The text content with whitespace collapsed, as a reader would see it.
    var text: String { TextNormalizer.collapse(rawText) }

    /// The text a reader sees: hidden descendants (screen-reader labels such as "Post published:") left out.
    var visibleText: String { TextNormalizer.collapse(textContent(skippingHidden: true)) }

    /// The text content as written, `<br>` becoming a line break.
    var rawText: String { textContent(skippingHidden: false) }

    private func textContent(skippingHidden: Bool) -> String {
        var output = ""
        func walk(_ element: HTMLElement) {
            for child in element.children {
                switch child {
                case .text(let text): output += text
                case .element(let inner) where inner.name == "br": output += "\n"
                case .element(let inner) where skippingHidden && inner.isHidden: continue
                case .element(let inner) where inner.name == "script": continue
                case .element(let inner): walk(inner)
                }
            }
        }
        walk(self)
        return output
    }

    /// Whether the markup hides this element from readers (inline style, `hidden`, screen-reader-only).
    private(set) lazy var isHidden: Bool = hiddenByMarkup

    private var hiddenByMarkup: Bool {
        if let style = attributes["style"] {
            let compact = Array(style.utf8).filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A }.map(ByteText.lower)
            if ByteText.contains(compact, Self.displayNone) || ByteText.contains(compact, Self.visibilityHidden) {
                return true
            }
        }
        if attributes["hidden"] != nil || attributes["aria-hidden"] == "true" { return true }
        return attributes["class"] != nil && classes.contains { Self.hidingClasses.contains($0) }
    }

    private static let displayNone = Array("display:none".utf8)
    private static let visibilityHidden = Array("visibility:hidden".utf8)
    private static let hidingClasses: Set<Substring> = ["screen-reader-text", "sr-only", "visually-hidden", "hidden"]
}

/// A node of the tree: an element or a run of decoded text.
enum HTMLNode {
    case element(HTMLElement)
    case text(String)
}

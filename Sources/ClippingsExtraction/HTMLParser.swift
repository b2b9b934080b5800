import Foundation

/// A forgiving HTML parser: builds an `HTMLElement` tree from any input without ever failing.
///
/// News markup is routinely broken (stray `</p>` and `</span>`, a content `<div>` that is never opened,
/// unclosed paragraphs). The rules here follow HTML5's spirit where it matters for extraction: stray end
/// tags are ignored, an end tag closes everything opened inside its element, a new block closes an open
/// paragraph, `script`/`style` bodies are skipped, and nesting is capped so hostile input cannot exhaust
/// the stack.
enum HTMLParser {
    static let maximumDepth = 256

    /// The tree and every element in document order (`elements[e.index] === e`, the root first).
    static func parseDocument(_ html: String) -> (root: HTMLElement, elements: [HTMLElement]) {
        var builder = TreeBuilder()
        var scanner = Scanner(bytes: Array(html.utf8))
        while let token = scanner.next() {
            builder.consume(token)
        }
        return (builder.root, builder.elements)
    }

    fileprivate enum Token {
        case text(String)
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
    }

    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr",
    ]
    /// Elements whose start closes an open `<p>` (HTML5's "close a p element" list, trimmed).
    static let paragraphClosers: Set<String> = [
        "address", "article", "aside", "blockquote", "div", "dl", "fieldset", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
    ]
    /// Elements whose content is not markup.
    static let rawTextElements: Set<String> = ["script", "style", "textarea", "title", "noscript", "template"]

    /// Turns the open/close token stream into a tree.
    private struct TreeBuilder {
        let root: HTMLElement
        var stack: [HTMLElement] = []
        var elements: [HTMLElement]

        init() {
            root = HTMLElement(name: "#document")
            elements = [root]
        }

        var current: HTMLElement { stack.last ?? root }

        mutating func consume(_ token: Token) {
            switch token {
            case .text(let text):
                current.append(.text(text))
            case .start(let name, let attributes, let selfClosing):
                if HTMLParser.paragraphClosers.contains(name) { closeOpenParagraph() }
                if name == "li" { close("li", stoppingAt: ["ul", "ol"]) }
                let element = HTMLElement(name: name, attributes: attributes)
                element.index = elements.count
                elements.append(element)
                current.append(.element(element))
                if !selfClosing && !HTMLParser.voidElements.contains(name) && stack.count < HTMLParser.maximumDepth {
                    stack.append(element)
                }
            case .end(let name):
                if name == "br" {
                    let element = HTMLElement(name: "br")
                    element.index = elements.count
                    elements.append(element)
                    current.append(.element(element))
                } else if let index = stack.lastIndex(where: { $0.name == name }) {
                    stack.removeSubrange(index...)
                }
            }
        }

        /// Closes a `<p>` that is open with only inline elements inside it.
        mutating func closeOpenParagraph() {
            close("p", stoppingAt: HTMLParser.paragraphClosers.subtracting(["p"]))
        }

        mutating func close(_ name: String, stoppingAt barriers: Set<String>) {
            for index in stack.indices.reversed() {
                if stack[index].name == name {
                    stack.removeSubrange(index...)
                    return
                }
                if barriers.contains(stack[index].name) { return }
            }
        }
    }

    /// Splits raw bytes into tokens. Anything that is not a well-formed tag is text.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var rawTextEnd: String?
        /// Set for `<script type="application/ld+json">`, whose text is structured data worth keeping.
        var keepsScript = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func next() -> Token? {
            guard position < bytes.count else { return nil }
            if let rawName = rawTextEnd {
                rawTextEnd = nil
                return rawText(until: rawName)
            }
            if bytes[position] == UInt8(ascii: "<"), let token = tag() { return token }
            let start = position
            position += 1
            while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
            return .text(HTMLEntities.decode(String(decoding: bytes[start..<position], as: UTF8.self)))
        }

        /// The content of a raw-text element up to its end tag; only `title`/`textarea` text is kept.
        mutating func rawText(until name: String) -> Token {
            let start = position
            let closing = Array("</\(name)".utf8)
            var end = bytes.count
            var index = position
            while index + closing.count <= bytes.count {
                if bytes[index] == UInt8(ascii: "<"), matchesIgnoringCase(closing, at: index) {
                    end = index
                    break
                }
                index += 1
            }
            position = end
            let raw = String(decoding: bytes[start..<end], as: UTF8.self)
            if name == "script" {
                defer { keepsScript = false }
                return .text(keepsScript ? raw : "")
            }
            return .text(name == "title" || name == "textarea" ? HTMLEntities.decode(raw) : "")
        }

        func matchesIgnoringCase(_ pattern: [UInt8], at index: Int) -> Bool {
            for offset in pattern.indices where lower(bytes[index + offset]) != pattern[offset] { return false }
            return true
        }

        /// Parses a tag at `position` (which holds `<`); returns nil, consuming nothing, if it is not one.
        mutating func tag() -> Token? {
            let start = position
            var index = position + 1
            guard index < bytes.count else { return nil }
            let first = bytes[index]
            if first == UInt8(ascii: "!") || first == UInt8(ascii: "?") {
                let isComment = bytes[index...].starts(with: Array("!--".utf8))
                position =
                    isComment
                    ? skip(past: Array("-->".utf8), from: index + 3) : skip(past: [UInt8(ascii: ">")], from: index)
                return .text("")
            }
            var isEnd = false
            if first == UInt8(ascii: "/") {
                isEnd = true
                index += 1
            }
            guard index < bytes.count, isLetter(bytes[index]) else { return nil }
            let nameStart = index
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
                bytes[index] != UInt8(ascii: "/")
            {
                index += 1
            }
            let name = String(decoding: bytes[nameStart..<index].map(lower), as: UTF8.self)
            var attributes: [String: String] = [:]
            var selfClosing = false
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
                if isSpace(bytes[index]) {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "/") {
                    selfClosing = true
                    index += 1
                    continue
                }
                selfClosing = false
                let attributeStart = index
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
                    bytes[index] != UInt8(ascii: ">"), !(bytes[index] == UInt8(ascii: "/") && index > attributeStart)
                {
                    index += 1
                }
                let attributeName = String(decoding: bytes[attributeStart..<index].map(lower), as: UTF8.self)
                var value = ""
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                        let quote = bytes[index]
                        let valueStart = index + 1
                        index = valueStart
                        while index < bytes.count, bytes[index] != quote { index += 1 }
                        value = String(decoding: bytes[valueStart..<min(index, bytes.count)], as: UTF8.self)
                        if index < bytes.count { index += 1 }
                    } else {
                        let valueStart = index
                        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
                            index += 1
                        }
                        value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                    }
                }
                if !attributeName.isEmpty, attributes[attributeName] == nil {
                    attributes[attributeName] = HTMLEntities.decode(value)
                }
            }
            guard index < bytes.count else {
                // An unterminated tag at the end of input is text, as a browser would show it.
                position = start
                return nil
            }
            position = index + 1
            if isEnd { return .end(name: name) }
            if !selfClosing, HTMLParser.rawTextElements.contains(name) {
                rawTextEnd = name
                keepsScript = name == "script" && (attributes["type"] ?? "").lowercased().contains("ld+json")
            }
            return .start(name: name, attributes: attributes, selfClosing: selfClosing)
        }

        func skip(past terminator: [UInt8], from index: Int) -> Int {
            var cursor = index
            while cursor + terminator.count <= bytes.count {
                if bytes[cursor..<(cursor + terminator.count)].elementsEqual(terminator) {
                    return cursor + terminator.count
                }
                cursor += 1
            }
            return bytes.count
        }

        func lower(_ byte: UInt8) -> UInt8 {
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte + 32 : byte
        }
        func isLetter(_ byte: UInt8) -> Bool { (lower(byte) >= UInt8(ascii: "a") && lower(byte) <= UInt8(ascii: "z")) }
        func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
        }
    }
}

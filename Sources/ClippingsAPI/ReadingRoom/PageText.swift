import Mustache

/// A value as the templates print it. Mustache asks every value in turn whether it is a template, a custom
/// renderable, a lambda or an optional, then prints it with `String(describing:)`; a value that says at once
/// that it is text skips most of that, and answers "no such key" without reflection when a section looks up
/// a name inside it. Rendering a page of results spent a third of its time there.
struct PageText: MustacheCustomRenderable, MustacheParent {
    let renderText: String

    var isNull: Bool { false }

    init(_ text: String) { renderText = text }

    func child(named: String) -> Any? { nil }

    /// A view with every string and number wrapped, recursively: what the templates are given.
    static func wrapping(_ value: Any) -> Any {
        switch value {
        case let text as String: PageText(text)
        case let number as Int: PageText(String(number))
        case let view as [String: Any]: view.mapValues(wrapping)
        case let views as [[String: Any]]: views.map { $0.mapValues(wrapping) }
        case let texts as [String]: texts.map(PageText.init)
        default: value
        }
    }
}

/// HTML escaping for the reading room's templates (`{{% CONTENT_TYPE: PAGE}}`): the same five characters
/// as Mustache's own (`<`, `>`, `&`, `"`, `'`), found by scanning bytes, and a text without any returned as
/// it is, which most titles and names are.
struct PageHTML: MustacheContentType {
    static let name = "PAGE"

    func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: Self.needsEscaping) else { return text }
        var escaped = [UInt8]()
        escaped.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}

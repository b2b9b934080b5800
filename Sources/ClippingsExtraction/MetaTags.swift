import Foundation

/// The document's `<meta>` tags by `name`/`property`/`itemprop`.
struct MetaTags {
    private var values: [String: [String]] = [:]

    init(_ elements: [HTMLElement]) {
        for element in elements where element.name == "meta" {
            guard
                let key = element.attributes["property"] ?? element.attributes["name"]
                    ?? element.attributes["itemprop"],
                let content = element.attributes["content"].map(TextNormalizer.collapse), !content.isEmpty
            else { continue }
            values[key.lowercased(), default: []].append(content)
        }
    }

    subscript(key: String) -> String? { values[key.lowercased()]?.first }

    func all(_ key: String) -> [String] { values[key.lowercased()] ?? [] }
}

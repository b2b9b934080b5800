import Foundation

/// The schema.org article description many news pages embed as JSON-LD
/// (`<script type="application/ld+json">` with `@type` `NewsArticle`, `Article`, `BlogPosting` …).
///
/// Publishers write it for search engines, so it is usually the most reliable statement of headline,
/// date, author and publisher on a page. Only the fields Clippings uses are read; anything malformed is
/// ignored.
struct LinkedData {
    var headline: String?
    var datePublished: Date?
    var author: String? { authors.first }
    /// Every author named, people and organisations alike, in order.
    var authors: [String] = []
    var publisher: String?
    var url: String?
    var keywords: [String] = []
    var section: [String] = []

    static let articleTypes: Set<String> = [
        "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting", "liveblogposting",
    ]

    /// The first article description in the document's JSON-LD blocks, if any.
    init?(_ elements: [HTMLElement]) {
        let scripts = elements.filter {
            $0.name == "script" && ($0.attributes["type"] ?? "").lowercased().contains("ld+json")
        }
        var nodes: [[String: Any]] = []
        for script in scripts {
            let text = Self.unwrapped(
                script.children.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
            )
            guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { continue }
            Self.collectNodes(json, into: &nodes)
        }
        guard let article = nodes.first(where: Self.isArticle) else { return nil }
        // `@graph` pages name the author and publisher by `@id` and describe them in nodes of their own.
        var byID: [String: [String: Any]] = [:]
        for node in nodes {
            if let id = node["@id"] as? String, byID[id] == nil { byID[id] = node }
        }
        self.init(article, byID: byID)
        // The page node often carries the date the article node leaves out.
        if datePublished == nil {
            datePublished =
                nodes.lazy.compactMap { Self.string($0["datePublished"]).flatMap(DateRecognizer.date(from:)) }
                .first
        }
    }

    init(_ object: [String: Any], byID: [String: [String: Any]] = [:]) {
        headline = Self.string(object["headline"]) ?? Self.string(object["name"])
        datePublished = Self.string(object["datePublished"]).flatMap(DateRecognizer.date(from:))
        authors = Self.names(object["author"], byID: byID)
        if authors.isEmpty { authors = Self.names(object["creator"], byID: byID) }
        publisher = Self.names(object["publisher"], byID: byID).first
        url =
            Self.string(object["url"]) ?? Self.string(object["mainEntityOfPage"])
            ?? (object["mainEntityOfPage"] as? [String: Any]).flatMap { Self.string($0["@id"]) }
        if let list = object["keywords"] as? [Any] {
            keywords = list.compactMap(Self.string)
        } else if let text = Self.string(object["keywords"]) {
            keywords = text.split(separator: ",").map { TextNormalizer.collapse(String($0)) }.filter { !$0.isEmpty }
        }
        section =
            (object["articleSection"] as? [Any])?.compactMap(Self.string) ?? Self.string(object["articleSection"]).map {
                [$0]
            } ?? []
    }

    /// The JSON inside the `<![CDATA[ … ]]>` (or `//<![CDATA[`) wrapper that XHTML-minded templates add.
    static func unwrapped(_ text: String) -> String {
        guard let open = text.range(of: "<![CDATA[") else { return text }
        let inner = text[open.upperBound...]
        let close = inner.range(of: "]]>", options: .backwards)?.lowerBound ?? inner.endIndex
        return String(inner[..<close]).replacingOccurrences(of: "\n//", with: "\n")
    }

    /// Every object in the JSON, through arrays, `@graph` lists and `mainEntity`, in document order.
    static func collectNodes(_ json: Any, into nodes: inout [[String: Any]]) {
        if let list = json as? [Any] {
            for item in list { collectNodes(item, into: &nodes) }
            return
        }
        guard let object = json as? [String: Any], nodes.count < 500 else { return }
        nodes.append(object)
        for key in ["@graph", "mainEntity", "mainEntityOfPage", "hasPart"] {
            if let inner = object[key], !(inner is String) { collectNodes(inner, into: &nodes) }
        }
    }

    static func isArticle(_ object: [String: Any]) -> Bool {
        let types = ((object["@type"] as? [Any]) ?? [object["@type"] as Any]).compactMap {
            ($0 as? String)?.lowercased()
        }
        return types.contains(where: articleTypes.contains)
    }

    static func string(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let collapsed = TextNormalizer.collapse(HTMLEntities.decode(text))
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Names from a Person/Organization (inline or by `@id`), a list of them, or a plain string.
    static func names(_ value: Any?, byID: [String: [String: Any]] = [:]) -> [String] {
        if let list = value as? [Any] { return list.flatMap { names($0, byID: byID) } }
        if let object = value as? [String: Any] {
            if let name = string(object["name"]) { return [name] }
            if let id = object["@id"] as? String, let node = byID[id], let name = string(node["name"]) { return [name] }
            return []
        }
        return string(value).map { [$0] } ?? []
    }
}

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
    var author: String?
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
        for script in scripts {
            let text = script.children.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
            guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
                let article = Self.findArticle(in: json)
            else { continue }
            self.init(article)
            return
        }
        return nil
    }

    init(_ object: [String: Any]) {
        headline = Self.string(object["headline"]) ?? Self.string(object["name"])
        datePublished = Self.string(object["datePublished"]).flatMap(DateRecognizer.date(from:))
        author = Self.names(object["author"]).first
        publisher = Self.names(object["publisher"]).first
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

    /// Walks arrays and `@graph` lists for an object whose `@type` is an article type.
    static func findArticle(in json: Any) -> [String: Any]? {
        if let list = json as? [Any] { return list.lazy.compactMap(findArticle).first }
        guard let object = json as? [String: Any] else { return nil }
        let types = ((object["@type"] as? [Any]) ?? [object["@type"] as Any]).compactMap {
            ($0 as? String)?.lowercased()
        }
        if types.contains(where: articleTypes.contains) { return object }
        return (object["@graph"]).flatMap(findArticle)
    }

    static func string(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let collapsed = TextNormalizer.collapse(HTMLEntities.decode(text))
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Names from a Person/Organization, a list of them, or a plain string.
    static func names(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return list.flatMap { names($0) } }
        if let object = value as? [String: Any] { return string(object["name"]).map { [$0] } ?? [] }
        return string(value).map { [$0] } ?? []
    }
}

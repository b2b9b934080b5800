import ClippingsStore
import Foundation

/// An `ArticleFeed` as Atom (RFC 4287), paged by RFC 5005 links. Every value is escaped, and characters
/// XML 1.0 cannot carry (most control characters) are dropped, so any article makes a well-formed feed.
enum AtomFeed {
    static let contentType = "application/atom+xml; charset=utf-8"

    static func document(_ feed: ArticleFeed) -> String {
        var xml = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        xml += #"<feed xmlns="http://www.w3.org/2005/Atom">"# + "\n"
        xml += element("id", feed.firstURL)
        xml += element("title", feed.title, attributes: [("type", "text")])
        xml += element("updated", Timestamp.string(feed.updated))
        xml += "<author>" + element("name", "Clippings") + "</author>\n"
        xml += element("generator", "Clippings")
        xml += link("self", feed.selfURL, type: "application/atom+xml")
        xml += link("first", feed.firstURL, type: "application/atom+xml")
        if let next = feed.nextURL { xml += link("next", next, type: "application/atom+xml") }
        xml += link("alternate", feed.listingURL, type: "application/json")
        for article in feed.articles { xml += entry(article, in: feed) }
        return xml + "</feed>\n"
    }

    static func entry(_ article: ArticleDetail, in feed: ArticleFeed) -> String {
        let summary = article.summary
        var xml = "<entry>\n"
        xml += element("id", feed.apiURL(of: article))
        xml += element("title", summary.title, attributes: [("type", "text")])
        if let url = summary.url { xml += link("alternate", url, type: "text/html") }
        xml += link("alternate", feed.apiURL(of: article), type: "application/json")
        if let published = summary.publishedAt { xml += element("published", Timestamp.string(published)) }
        xml += element("updated", Timestamp.string(article.updatedAt))
        for author in summary.writers { xml += "<author>" + element("name", author) + "</author>\n" }
        for tag in summary.tags {
            xml += "<category term=\"\(escaped(tag.slug))\" label=\"\(escaped(tag.name))\"/>\n"
        }
        if let source = summary.source { xml += "<source>" + element("title", source.name) + "</source>\n" }
        xml += element("summary", summary.summary, attributes: [("type", "text")])
        xml += element("content", feed.text(of: article), attributes: [("type", "text")])
        return xml + "</entry>\n"
    }

    static func element(_ name: String, _ text: String, attributes: [(String, String)] = []) -> String {
        let attributes = attributes.map { " \($0.0)=\"\(escaped($0.1))\"" }.joined()
        return "<\(name)\(attributes)>\(escaped(text))</\(name)>\n"
    }

    static func link(_ relation: String, _ href: String, type: String) -> String {
        "<link rel=\"\(relation)\" type=\"\(type)\" href=\"\(escaped(href))\"/>\n"
    }

    /// Text or an attribute value as XML carries it.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            // XML 1.0's Char: no other control character, no U+FFFE or U+FFFF.
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

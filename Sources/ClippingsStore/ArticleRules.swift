import ClippingsExtraction
import Crypto
import Foundation

/// The pure rules that turn an article into what the archive stores and looks it up by: its identity and
/// content hash, slug, sort keys, summary, and the paragraphs of a stored body. No database: the same
/// answers for every backend, and for work done before a write transaction.
public enum ArticleRules {
    /// SHA-256 of the normalised title and body: equal for the same article however it was formatted.
    public static func contentHash(title: String, body: String) -> String {
        let text = TextNormalizer.lowercased(title + "\n" + body)
        let hexDigits = Array("0123456789abcdef".utf8)
        let digest = SHA256.hash(data: Data(text.utf8))
        return String(decoding: digest.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// What makes two imports one article: the URL when it names one article (a home or section page names
    /// many), then the publisher's own id for it within its source (when the client gave both), otherwise
    /// the content.
    public static func identity(
        url: String?,
        external: (source: String, id: String)? = nil,
        contentHash: String
    )
        -> String
    {
        if let url = url.flatMap({ ArticleURL.namesArticle($0) ? normalizedURL($0) : nil }) { return "url:" + url }
        if let external, !external.source.isEmpty { return "external:\(external.source):\(external.id)" }
        return "sha256:" + contentHash
    }

    /// A URL reduced to what identifies the page: lower-case host, no fragment, no tracking parameters, no
    /// trailing slash.
    public static func normalizedURL(_ url: String) -> String? {
        guard var components = URLComponents(string: url.trimmingCharacters(in: .whitespacesAndNewlines)),
            let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        components.scheme = "https"
        components.host = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        components.fragment = nil
        components.queryItems = components.queryItems?.filter { item in
            !item.name.lowercased().hasPrefix("utm_") && !["fbclid", "gclid"].contains(item.name.lowercased())
        }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        while components.path.count > 1, components.path.hasSuffix("/") { components.path.removeLast() }
        return components.string
    }

    /// A readable URL slug for a title, before making it unique.
    public static func slugStem(for title: String) -> String {
        var base = Slugifier.slug(title)
        if base.count > 80 {
            // Cut at a word boundary, not mid-word.
            let cut = base.prefix(80)
            base = String(cut.lastIndex(of: "-").map { cut[..<$0] } ?? cut)
        }
        // An all-digit slug would read as an id in `/articles/{id}`.
        // `export` and `bulk` name endpoints under `/articles/`.
        return base.isEmpty
            ? "article" : base.allSatisfy(\.isNumber) || ["export", "bulk"].contains(base) ? "article-" + base : base
    }

    /// Lower-cased, accent-folded text: the key titles sort by and names are looked up by.
    public static func sortKey(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The first paragraph, cut at a word boundary near 280 characters: what listings show.
    public static func summary(of paragraphs: [String], limit: Int = 280) -> String {
        guard let first = paragraphs.first else { return "" }
        guard first.utf8.count > limit, first.count > limit else { return first }
        var cut = String(first.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)) + "…"
    }

    /// The paragraphs of a stored body, split at the blank lines that join them (paragraphs never contain
    /// one). Over UTF-8 bytes, as this runs for every article served.
    public static func paragraphs(of body: String) -> [String] {
        guard !body.isEmpty else { return [] }
        var paragraphs: [String] = []
        var utf8 = body.utf8[...]
        let newline = UInt8(ascii: "\n")
        while let index = utf8.indices.first(where: {
            utf8[$0] == newline && utf8.index(after: $0) < utf8.endIndex
                && utf8[utf8.index(after: $0)] == newline
        }) {
            paragraphs.append(String(Substring(utf8[..<index])))
            utf8 = utf8[utf8.index(index, offsetBy: 2)...]
        }
        paragraphs.append(String(Substring(utf8)))
        return paragraphs
    }

    /// Whether a language code has the shape the archive stores (`en`, `nob`, `und`).
    public static func isLanguageCode(_ code: String) -> Bool {
        (2...3).contains(code.count) && code.allSatisfy { $0.isASCII && $0.isLetter }
    }
}

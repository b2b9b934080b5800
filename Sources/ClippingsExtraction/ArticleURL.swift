/// Whether a URL plausibly names one article rather than a page many articles share.
///
/// Templates put the site's home page or a section page in `<link rel=canonical>` or `og:url` of every
/// article; taken as the identity, such a URL makes different articles duplicates of each other. A URL
/// names an article when its path has two segments or more, or one that reads as an article's slug (a digit,
/// three words or more, or a file name such as `story.html`), or its query names an item (`?p=123`).
public enum ArticleURL {
    /// Whether text is an absolute http(s) URL with a host, no white space or control characters, and at
    /// most `ArticleLimits.urlLength` characters: the only URLs the archive stores (`javascript:`,
    /// `file:` and relative references never reach a reader's browser through it).
    public static func isWebAddress(_ url: String) -> Bool {
        guard url.utf8.count <= ArticleLimits.urlLength * 4, url.count <= ArticleLimits.urlLength,
            PublisherDirectory.host(of: url) != nil
        else { return false }
        return !url.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
        }
    }

    public static func namesArticle(_ url: String) -> Bool {
        guard let host = PublisherDirectory.host(of: url) else { return false }
        let afterHost = url.drop { $0 != ":" }.dropFirst(3).dropFirst(host.count)
        let pathAndQuery = afterHost.drop { $0 != "/" && $0 != "?" }
        let path = pathAndQuery.prefix { $0 != "?" && $0 != "#" }
        let query = pathAndQuery.drop { $0 != "?" }.dropFirst().prefix { $0 != "#" }
        let itemParameters: Set<Substring> = ["p", "id", "story", "article", "articleid", "storyid", "page_id", "sid"]
        if query.split(separator: "&").contains(where: { pair in
            let name = pair.prefix { $0 != "=" }.lowercased()
            return itemParameters.contains(Substring(name)) && pair.contains(where: \.isNumber)
        }) {
            return true
        }
        let segments = path.split(separator: "/")
        guard let last = segments.last else { return false }
        if segments.count >= 2 { return true }
        let words = last.split { $0 == "-" || $0 == "_" || $0 == "." || $0 == "+" }
        return last.contains(where: \.isNumber) || words.count >= 3 || last.contains(".")
    }
}

import Foundation

/// Turns one raw document into an article. Pure: no I/O, no clock, no global state.
///
/// Picks a reader by what the document is (markup or prose), whatever its file name says, because pasted
/// documents are routinely misnamed (the HTML seeds are `.txt` files).
public struct DocumentExtractor: Sendable {
    public init() {}

    public func extract(_ input: DocumentInput) throws(ExtractionError) -> ExtractedArticle {
        if let kind = BinaryContent.kind(of: input.data) { throw .notText(kind) }
        let text = input.text
        guard text.contains(where: { !$0.isWhitespace }) else { throw .emptyDocument }
        let (frontMatter, content) = FrontMatter.split(text)
        var article: ExtractedArticle
        if Self.looksLikeHTML(content) {
            article = HTMLArticleReader().read(content, frontMatter: frontMatter, input: input)
        } else {
            article = PlainTextReader().read(content, input: input)
            article.title = frontMatter.title ?? article.title
            article.author = frontMatter.author ?? article.author
            article.publishedAt = frontMatter.date ?? article.publishedAt
            article.url = frontMatter.url ?? article.url
        }
        // A headline with no body text is not an article, and neither is a number, a `true` or a `{}`.
        guard Self.holdsText(article.paragraphs) else { throw .emptyDocument }
        article.title = TextNormalizer.collapse(article.title)
        if article.title.isEmpty { article.title = HeadlineDeriver.headline(from: article.paragraphs) }
        article.applyLimits()
        return article
    }

    /// Whether paragraphs read as text: two words or more, one of them of two letters or more.
    static func holdsText(_ paragraphs: [String]) -> Bool {
        var words = 0
        var lettered = false
        for paragraph in paragraphs {
            for word in TextNormalizer.words(in: paragraph) {
                words += 1
                lettered = lettered || word.lazy.filter(\.isLetter).count >= 2
                if words >= 2 && lettered { return true }
            }
        }
        return false
    }

    /// Markup when common structural tags appear, not merely a stray `<` in prose.
    static func looksLikeHTML(_ text: String) -> Bool {
        let markers = [
            "p>", "p ", "div", "article", "html", "body", "span", "br", "a href", "!doctype", "h1", "section",
        ]
        .map { Array($0.utf8) }
        // Byte scan of the start: Foundation's substring search is slow, and this runs for every document.
        let bytes = Array(text.utf8.prefix(8_000))
        for index in bytes.indices where bytes[index] == UInt8(ascii: "<") {
            let following = bytes[(index + 1)..<min(index + 10, bytes.count)].map { $0 | 0x20 }
            if markers.contains(where: { following.starts(with: $0) }) { return true }
        }
        return false
    }
}

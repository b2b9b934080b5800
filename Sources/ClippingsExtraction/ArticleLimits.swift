import Foundation

/// The most an article may hold, in one place: a client's JSON over a limit is refused (400), while an
/// extracted page, which nobody can fix at the source, keeps what fits and says what was cut.
public enum ArticleLimits {
    public static let tags = 100
    public static let categories = 100
    /// Characters of one tag or category name.
    public static let nameLength = 100
    public static let authors = 50
    /// Characters of one writer's name, and of a byline.
    public static let authorLength = 200
    public static let links = 1_000
    public static let images = 200
    /// Characters of a link's text or an image's alt text.
    public static let linkTextLength = 1_000
    public static let titleLength = 1_000
    public static let urlLength = 2_000
}

extension ExtractedArticle {
    /// Cuts what is over `ArticleLimits` (keeping the first items, in document order, and each name's
    /// first characters) and drops a page URL that is not an absolute http(s) address; `cuts` says what
    /// was cut, for the write's answer and the import's report.
    mutating func applyLimits() {
        func clip(_ text: String, _ length: Int) -> String {
            text.count <= length ? text : String(text.prefix(length)).trimmingCharacters(in: .whitespaces)
        }
        func keepFirst<Item>(_ items: inout [Item], _ limit: Int, _ what: String) {
            guard items.count > limit else { return }
            cuts.append("kept the first \(limit) of \(items.count) \(what)")
            items.removeLast(items.count - limit)
        }
        keepFirst(&tags, ArticleLimits.tags, "tags")
        if tags.contains(where: { $0.name.count > ArticleLimits.nameLength || $0.slug.count > ArticleLimits.nameLength }
        ) {
            cuts.append("cut tag names to \(ArticleLimits.nameLength) characters")
            tags = tags.map { tag in
                let name = clip(tag.name, ArticleLimits.nameLength)
                return Tag(slug: String(Slugifier.slug(name).prefix(ArticleLimits.nameLength)), name: name)
            }
        }
        keepFirst(&categories, ArticleLimits.categories, "categories")
        if categories.contains(where: { $0.count > ArticleLimits.nameLength }) {
            cuts.append("cut category names to \(ArticleLimits.nameLength) characters")
            categories = categories.map { clip($0, ArticleLimits.nameLength) }
        }
        keepFirst(&authors, ArticleLimits.authors, "authors")
        if authors.contains(where: { $0.count > ArticleLimits.authorLength }) {
            cuts.append("cut authors' names to \(ArticleLimits.authorLength) characters")
            authors = authors.map { clip($0, ArticleLimits.authorLength) }
        }
        if let byline = author, byline.count > ArticleLimits.authorLength {
            author = clip(authors.isEmpty ? byline : authors.joined(separator: ", "), ArticleLimits.authorLength)
        }
        keepFirst(&links, ArticleLimits.links, "links")
        links = links.map { Link(url: $0.url, text: clip($0.text, ArticleLimits.linkTextLength)) }
        links.removeAll { !ArticleURL.isWebAddress($0.url) }
        keepFirst(&images, ArticleLimits.images, "images")
        images = images.compactMap { image in
            ArticleURL.isWebAddress(image.url)
                ? Image(url: image.url, alt: image.alt.map { clip($0, ArticleLimits.linkTextLength) }) : nil
        }
        if title.count > ArticleLimits.titleLength {
            cuts.append("cut the title to \(ArticleLimits.titleLength) characters")
            title = clip(title, ArticleLimits.titleLength)
        }
        if let url, !ArticleURL.isWebAddress(url) { self.url = nil }
    }
}

import ClippingsExtraction
import Foundation

/// The bounds on each field of an article a client gives or edits, in one place: `POST /articles`,
/// bulk lines, `.ndjson` imports and `PATCH /articles/{id}` all check their fields here.
public enum ArticleFieldRules {
    static func title(_ value: String) throws(InputError) -> String {
        let title = TextNormalizer.collapse(value)
        guard (1...ArticleLimits.titleLength).contains(title.count) else {
            throw .field("title", "must have 1 to \(ArticleLimits.titleLength) characters")
        }
        return title
    }

    static func paragraphs(ofBody body: String) throws(InputError) -> [String] {
        let paragraphs = TextNormalizer.blocks(of: body)
        guard !paragraphs.isEmpty, body.utf8.count <= 2_000_000 || body.count <= 2_000_000 else {
            throw .field("body", "must hold text, at most 2 000 000 characters")
        }
        return paragraphs
    }

    /// A byline; nil (or an empty one) for none.
    static func author(_ value: String?) throws(InputError) -> String? {
        guard let value else { return nil }
        let author = TextNormalizer.collapse(value)
        guard author.count <= ArticleLimits.authorLength else {
            throw .field("author", "must have at most \(ArticleLimits.authorLength) characters")
        }
        return author.isEmpty ? nil : author
    }

    /// Writers' names, each collapsed.
    static func authors(_ value: [String]) throws(InputError) -> [String] {
        let names = value.map(TextNormalizer.collapse)
        guard names.count <= ArticleLimits.authors,
            names.allSatisfy({ (1...ArticleLimits.authorLength).contains($0.count) })
        else {
            throw .field(
                "authors",
                "must be at most \(ArticleLimits.authors) names of 1 to \(ArticleLimits.authorLength) characters"
            )
        }
        return names
    }

    /// The byline and the writers given together must agree: the byline is the names joined by ", ".
    static func byline(author: String?, authors: [String]?) throws(InputError) -> String? {
        guard let authors else { return author }
        let joined = authors.isEmpty ? nil : authors.joined(separator: ", ")
        if let author, author != joined {
            throw .field("author", "must be the authors' names joined by \", \" when both are given")
        }
        return joined
    }

    static func publishedAt(_ value: String) throws(InputError) -> Date {
        guard let date = DateRecognizer.date(from: value) else {
            throw .field("published_at", "must be an RFC 3339 timestamp or a date")
        }
        return date
    }

    static func language(_ value: String) throws(InputError) -> String {
        guard ArticleRules.isLanguageCode(value) else {
            throw .field("language", "must be a language code such as en, no or und")
        }
        return LanguageIdentifier.canonicalCode(value)
    }

    /// An absolute http(s) URL (`ArticleURL.isWebAddress`): the only kind the archive stores.
    public static func url(_ value: String, field: String = "url") throws(InputError) -> String {
        guard ArticleURL.isWebAddress(value) else { throw .field(field, urlRule) }
        return value
    }

    /// What a URL must be, as every refusal of one says it.
    public static let urlRule = "must be an absolute http(s) URL of at most \(ArticleLimits.urlLength) characters"

    /// The publisher named `value`; a given domain replaces the one the directory knows.
    static func source(_ value: String, domain: String? = nil) throws(InputError) -> Publisher? {
        let name = TextNormalizer.collapse(value)
        guard (1...200).contains(name.count) else { throw .field("source", "must have 1 to 200 characters") }
        guard let domain else { return PublisherDirectory.publisher(named: name) }
        guard (1...253).contains(domain.count), !domain.contains(where: \.isWhitespace) else {
            throw .field("source.domain", "must be a host name of at most 253 characters")
        }
        return Publisher(name: name, domain: domain.lowercased())
    }

    /// The publisher's own id for the article.
    static func externalID(_ value: String) throws(InputError) -> String {
        let id = TextNormalizer.collapse(value)
        guard (1...200).contains(id.count) else { throw .field("external_id", "must have 1 to 200 characters") }
        return id
    }

    static func links(_ value: [Link]) throws(InputError) -> [Link] {
        guard value.count <= ArticleLimits.links else {
            throw .field("links", "must be at most \(ArticleLimits.links) links")
        }
        guard value.allSatisfy({ $0.text.count <= ArticleLimits.linkTextLength }) else {
            throw .field("links", "link texts must have at most \(ArticleLimits.linkTextLength) characters")
        }
        return try value.map { link throws(InputError) in
            Link(url: try url(link.url, field: "links"), text: TextNormalizer.collapse(link.text))
        }
    }

    static func images(_ value: [Image]) throws(InputError) -> [Image] {
        guard value.count <= ArticleLimits.images else {
            throw .field("images", "must be at most \(ArticleLimits.images) images")
        }
        return try value.map { image throws(InputError) in
            let alt = image.alt.map(TextNormalizer.collapse)
            guard (alt?.count ?? 0) <= ArticleLimits.linkTextLength else {
                throw .field("images", "alt texts must have at most \(ArticleLimits.linkTextLength) characters")
            }
            return Image(url: try url(image.url, field: "images"), alt: alt?.isEmpty == true ? nil : alt)
        }
    }

    /// Category names.
    static func categories(_ value: [String]) throws(InputError) -> [String] {
        try names(value, "categories", limit: ArticleLimits.categories)
    }

    /// Tag or category names: at most `limit` of them.
    static func names(_ value: [String], _ field: String, limit: Int) throws(InputError) -> [String] {
        guard value.count <= limit, value.allSatisfy({ (1...ArticleLimits.nameLength).contains($0.count) }) else {
            throw .field(field, "must be at most \(limit) names of 1 to \(ArticleLimits.nameLength) characters")
        }
        // Letters of any script make a name; punctuation alone does not (it would have no slug).
        if let bare = value.first(where: { Slugifier.slug($0).isEmpty }) {
            throw .field(field, "'\(bare)' has no letter or digit")
        }
        return value
    }

    static func tags(_ value: [String]) throws(InputError) -> [Tag] {
        try names(value, "tags", limit: ArticleLimits.tags).map { Tag(slug: Slugifier.slug($0), name: $0) }
    }

    /// Tags by name, or by name and slug as an article shows them (a slug already in slug form is kept).
    static func tags(_ value: [ArticleInput.NamedInput]) throws(InputError) -> [Tag] {
        let names = try names(value.map(\.name), "tags", limit: ArticleLimits.tags)
        return zip(names, value).map { name, tag in
            let slug = tag.slug.flatMap { Slugifier.slug($0) == $0 && !$0.isEmpty ? $0 : nil }
            return Tag(slug: slug ?? Slugifier.slug(name), name: name)
        }
    }
}

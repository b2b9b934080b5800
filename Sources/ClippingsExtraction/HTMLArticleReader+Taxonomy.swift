import Foundation

/// The article's own tags and categories, never the site's lists of them.
extension HTMLArticleReader {
    /// Page-wide link lists: a sidebar's tag cloud or a menu of sections names the site's terms, not the
    /// article's. Only the link's containers that do not also hold the article's text are looked at: a
    /// page's `<body class="right-sidebar">` describes its layout, not its links.
    static func isSiteWide(_ link: HTMLElement, around text: HTMLElement?) -> Bool {
        let holdsText = Set((text?.lineage).map { $0.map(ObjectIdentifier.init) } ?? [])
        return link.lineage.prefix { !holdsText.contains(ObjectIdentifier($0)) && $0.name != "body" }.contains {
            element in
            element.name == "aside" || element.name == "nav" || ByteText.containsAny(element.names, siteWideNames)
        }
    }

    static let siteWideNames = ByteText.patterns([
        "cloud", "widget", "sidebar", "menu", "trending", "popular", "most-read", "footer-links", "site-footer",
    ])

    /// Category names: `rel="category"` links, else links to category archives inside a category list
    /// (themes that drop `rel`), else the post's `category-<slug>` classes.
    func categories(_ scope: [HTMLElement], article: HTMLElement?, text: HTMLElement?) -> [String] {
        var links = scope.filter { element in
            element.name == "a" && element.tokens("rel").contains("category") && !Self.isSiteWide(element, around: text)
        }
        if links.isEmpty {
            links = Self.taxonomyLinks(
                in: scope,
                segment: "category",
                containers: ["categor", "cat-links", "post-cat"],
                text: text
            )
        }
        var names = links.compactMap { $0.text.nonEmpty }
        if names.isEmpty, let article { names = Self.classSlugs(of: article, prefix: "category-") }
        return unique(names) { $0.lowercased() }
    }

    /// Links to `/segment/…` archive pages inside an element whose class names such a list (`td-tags`,
    /// `tags-links`, `td-category`): how themes without `rel` attributes mark tags and categories.
    static func taxonomyLinks(
        in scope: [HTMLElement],
        segment: String,
        containers: [String],
        text: HTMLElement?
    ) -> [HTMLElement] {
        func isList(_ name: Substring) -> Bool {
            let lowered = name.lowercased()
            // The post's own `tag-x`/`category-x` classes name its terms, not a list of links.
            guard !lowered.hasPrefix("tag-"), !lowered.hasPrefix("category-") else { return false }
            return containers.contains { lowered.contains($0) }
        }
        return scope.filter { element in
            element.name == "a" && ByteText.contains(element.attributes["href"], "/\(segment)/")
                && !isSiteWide(element, around: text)
                && element.lineage.dropFirst().contains { $0.classes.contains(where: isList) }
        }
    }

    /// Slugs from the post element's `tag-…`/`category-…` classes (they carry no display names).
    static func classSlugs(of article: HTMLElement, prefix: String) -> [String] {
        article.classes.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    func tags(_ scope: [HTMLElement], meta: MetaTags, article: HTMLElement?, text: HTMLElement?) -> [Tag] {
        var links = scope.filter { element in
            let rel = element.tokens("rel")
            return element.name == "a" && rel.contains("tag") && !rel.contains("category")
                && !Self.isSiteWide(element, around: text)
        }
        if links.isEmpty { links = Self.taxonomyLinks(in: scope, segment: "tag", containers: ["tag"], text: text) }
        var tags = links.compactMap { link -> Tag? in
            guard let name = link.text.nonEmpty else { return nil }
            let slug =
                Self.lastPathComponent(link.attributes["href"], after: "tag").map(Slugifier.slug)
                ?? Slugifier.slug(name)
            return slug.isEmpty ? nil : Tag(slug: slug, name: name)
        }
        if tags.isEmpty {
            tags = meta.all("article:tag").map { Tag(slug: Slugifier.slug($0), name: $0) }
        }
        if tags.isEmpty, let article {
            // Last resort: the theme's `tag-<slug>` classes carry slugs but no display names.
            tags = Self.classSlugs(of: article, prefix: "tag-").map { Tag(slug: $0, name: $0) }
        }
        return unique(tags.filter { !$0.slug.isEmpty }) { $0.slug }
    }

    /// The path component after `/segment/` in a URL (`…/tag/150tb/` → `150tb`).
    static func lastPathComponent(_ href: String?, after segment: String) -> String? {
        guard let href, let range = href.range(of: "/\(segment)/") else { return nil }
        let rest = href[range.upperBound...].split(separator: "/").first.map(String.init)
        return rest?.removingPercentEncoding?.nonEmpty
    }
}

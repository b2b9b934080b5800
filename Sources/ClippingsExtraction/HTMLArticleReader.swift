import Foundation

/// Reads article HTML: WordPress post markup (fragments or whole pages) and other themes alike.
///
/// Each field is taken from where markup really declares it, in order of reliability: machine-readable
/// metadata (`<meta>`, `rel=` links, `datetime`, microformats) before visible text, since visible text is
/// what themes vary and what copy-paste mangles. Tags are the `rel="tag"` links (not `rel="category tag"`,
/// not a body link that merely points at a tag page, not the theme's `tag-…` classes, which may hold ids).
struct HTMLArticleReader {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let postID = /post-(\d+)/
    nonisolated(unsafe) static let bodyPostID = /postid-(\d+)/
    nonisolated(unsafe) static let shortlinkID = /[?&]p=(\d+)/
    nonisolated(unsafe) static let permalinkDay = /\/((?:19|20)\d{2})\/(\d{2})\/(\d{2})\//

    func read(_ html: String, frontMatter: FrontMatter, input: DocumentInput) -> ExtractedArticle {
        let (_, elements) = HTMLParser.parseDocument(html)
        let meta = MetaTags(elements)
        let linkedData = LinkedData(elements)
        let siteName = meta["og:site_name"] ?? linkedData?.publisher
        // Titles written for sharing and search engines state the headline without the page's furniture.
        let documentTitle = pageTitle(elements, siteName: siteName)
        let metadataTitle = Self.consistentTitle(
            [linkedData?.headline]
                + ["og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "title"].map { key in
                    meta[key].map { Self.removingSiteName($0, siteName) }
                },
            documentTitle: documentTitle
        )
        let provisionalURL =
            frontMatter.url ?? canonicalURL(meta: meta, elements: elements, scope: elements)
            ?? linkedData?.url.flatMap { ArticleURL.namesArticle($0) ? $0 : nil } ?? input.url
        let body = HTMLBodyExtractor.extract(
            elements: elements,
            baseURL: provisionalURL,
            title: frontMatter.title ?? metadataTitle ?? documentTitle
        )
        // The post's own `<article>`: the one around the text, not a comment's or a teaser's.
        let article = body.anchor.flatMap { anchor in
            anchor.lineage.first { $0.name == "article" } ?? anchor.descendants.first { $0.name == "article" }
        }
        let scope = article.map { [$0] + $0.descendants } ?? elements
        // The permalink is looked for again inside the post, where other posts' bookmarks cannot be.
        let url =
            article == nil
            ? provisionalURL
            : frontMatter.url ?? canonicalURL(meta: meta, elements: elements, scope: scope)
                ?? linkedData?.url.flatMap { ArticleURL.namesArticle($0) ? $0 : nil } ?? input.url
        // A heading marked as the entry's title counts only inside the post: pages mark teasers so too.
        let statedTitle =
            frontMatter.title ?? (article == nil ? nil : headline(in: scope, markedOnly: true)) ?? metadataTitle
            ?? documentHeading(in: scope, documentTitle: documentTitle) ?? documentTitle
            ?? headline(in: scope, markedOnly: false)
        let title = statedTitle ?? HeadlineDeriver.headline(from: body.paragraphs)
        // A heading that repeats the headline, in themes whose title sits inside the post's text.
        var paragraphs = body.paragraphs
        let folded = { (text: String) in TextNormalizer.trimmed(Substring(text.lowercased()), punctuation: true) }
        if let statedTitle, paragraphs.count > 1, let first = paragraphs.first, folded(first) == folded(statedTitle) {
            paragraphs.removeFirst()
        }
        let authors = AuthorNames.names(
            from: [frontMatter.author].compactMap { $0 }.map { AuthorNames.Candidate(text: $0, structured: true) }
                + authorCandidates(meta: meta, linkedData: linkedData, scope: scope)
                + [body.byline].compactMap { $0 }.map { AuthorNames.Candidate(text: $0, structured: false) }
        )
        let canonicalLink = elements.first { $0.name == "link" && $0.tokens("rel").contains("canonical") }?
            .attributes["href"]
        let source = publisher(
            meta: meta,
            linkedData: linkedData,
            url: url,
            canonicalLink: canonicalLink,
            scope: scope,
            input: input
        )
        var categories = categories(scope, article: article, text: body.anchor)
        if categories.isEmpty { categories = linkedData?.section ?? [] }
        if categories.isEmpty { categories = unique(meta.all("article:section")) { $0.lowercased() } }
        var tags = tags(scope, meta: meta, article: article, text: body.anchor)
        if tags.isEmpty {
            tags = (linkedData?.keywords ?? []).map { Tag(slug: Slugifier.slug($0), name: $0) }.filter {
                !$0.slug.isEmpty
            }
        }
        return ExtractedArticle(
            title: title,
            author: authors.isEmpty ? nil : authors.joined(separator: ", "),
            authors: authors,
            publishedAt: frontMatter.date ?? linkedData?.datePublished
                ?? publishedDate(meta: meta, scope: scope, near: body.anchor) ?? url.flatMap(Self.permalinkDate),
            source: source,
            url: url,
            language: LanguageIdentifier.identify(
                ([title] + body.paragraphs).joined(separator: "\n"),
                declared: elements.first { $0.name == "html" }?.attributes["lang"] ?? meta["og:locale"]
                    ?? meta["content-language"] ?? meta["language"]
            ),
            categories: categories,
            tags: tags,
            paragraphs: paragraphs,
            links: body.links,
            images: body.images,
            externalID: externalID(article: article, elements: elements),
            format: .html
        )
    }

    func canonicalURL(meta: MetaTags, elements: [HTMLElement], scope: [HTMLElement]) -> String? {
        // Only a URL that names this article: templates point these at the home or a section page.
        if let link = elements.first(where: { $0.name == "link" && $0.tokens("rel").contains("canonical") }),
            let href = link.attributes["href"], ArticleURL.namesArticle(href)
        {
            return href
        }
        if let value = meta["og:url"], ArticleURL.namesArticle(value) { return value }
        let anchors = scope.filter { $0.name == "a" }
        // The permalink on the headline or the date; bookmarks in lists of other posts do not count.
        let otherPosts = ["related", "widget", "sidebar", "recent", "popular", "more-", "footer", "nav"]
        let permalink = anchors.first { anchor in
            anchor.tokens("rel").contains("bookmark")
                && !anchor.lineage.contains { element in
                    element.name == "li" || element.name == "aside" || element.name == "nav"
                        || element.classes.contains { name in otherPosts.contains { name.lowercased().contains($0) } }
                }
        }
        if let bookmark = permalink?.attributes["href"], PublisherDirectory.host(of: bookmark) != nil {
            return bookmark
        }
        // WordPress themes link the post's own comment section: the permalink plus `#comments`.
        for anchor in anchors {
            guard let href = anchor.attributes["href"], let hash = href.firstIndex(of: "#") else { continue }
            let fragment = href[href.index(after: hash)...]
            if ["comments", "respond", "disqus_thread", "reply"].contains(fragment) || fragment.hasPrefix("comment-"),
                PublisherDirectory.host(of: href) != nil
            {
                return String(href[..<hash])
            }
        }
        return nil
    }

    func externalID(article: HTMLElement?, elements: [HTMLElement]) -> String? {
        // The post's own element: the <article>, else any element with `id="post-123"`.
        let posts = [article].compactMap { $0 } + elements.filter { $0.attributes["id"]?.hasPrefix("post-") == true }
        for post in posts {
            if let id = post.attributes["id"], let match = id.wholeMatch(of: Self.postID) { return String(match.1) }
            for name in post.classes { if let match = name.wholeMatch(of: Self.postID) { return String(match.1) } }
        }
        for element in elements where element.name == "body" {
            for name in element.classes {
                if let match = name.wholeMatch(of: Self.bodyPostID) { return String(match.1) }
            }
        }
        if let shortlink = elements.first(where: { $0.name == "link" && $0.tokens("rel").contains("shortlink") }),
            let match = shortlink.attributes["href"]?.firstMatch(of: Self.shortlinkID)
        {
            return String(match.1)
        }
        return nil
    }

    /// The publisher: its name as the page states it (`og:site_name`, JSON-LD, `application-name`), the one
    /// that resembles the site's domain first (a section such as "U.S." or a handle such as "@politifact"
    /// stands in some of those fields), with the domain the page lives on.
    func publisher(
        meta: MetaTags,
        linkedData: LinkedData?,
        url: String?,
        canonicalLink: String?,
        scope: [HTMLElement],
        input: DocumentInput
    ) -> Publisher? {
        // Links that point into the publisher's own site: author pages, tag and category archives, permalinks.
        let siteLinks = scope.filter { element in
            element.name == "a"
                && (!element.tokens("rel").isDisjoint(with: ["author", "tag", "category", "bookmark"])
                    || ByteText.contains(element.attributes["href"], "/author/"))
        }
        // A canonical link to the home page names no article but still names the site.
        let statedURLs = [canonicalLink, meta["og:url"]]
        let hosts = ([url, input.url] + statedURLs + siteLinks.map { $0.attributes["href"] }).compactMap {
            $0.flatMap(PublisherDirectory.host(of:))
        }
        let counts = Dictionary(hosts.map { ($0, 1) }, uniquingKeysWith: +)
        let host =
            url.flatMap(PublisherDirectory.host(of:)) ?? statedURLs.lazy.compactMap {
                $0.flatMap(PublisherDirectory.host(of:))
            }
            .first ?? hosts.max { counts[$0]! < counts[$1]! }
        let publisher = host.flatMap(PublisherDirectory.publisher(forHost:))
        // A handle is the weakest statement of a name: any other comes first.
        let stated = [meta["og:site_name"], linkedData?.publisher, meta["application-name"]].compactMap { $0 }
        let names = (stated.filter { !$0.hasPrefix("@") } + stated.filter { $0.hasPrefix("@") }).compactMap(
            Self.siteName
        )
        let stem = publisher?.domain.map { Self.folded(String($0.split(separator: ".").first ?? "")) } ?? ""
        let resembling = names.first { name in
            let key = Self.folded(name)
            return !stem.isEmpty && !key.isEmpty && (key.contains(stem) || stem.contains(key))
        }
        guard let name = resembling ?? names.first else { return publisher }
        return Publisher(name: name, domain: publisher?.domain)
    }

    /// A stated site name fit to name a publisher: a handle loses its "@", and an abbreviation of initials
    /// ("U.S.", "U.K.": a section's name) or a URL is none.
    static func siteName(_ raw: String) -> String? {
        var name = TextNormalizer.collapse(raw)
        if name.hasPrefix("@") { name.removeFirst() }
        guard !name.isEmpty, name.count <= 100, !name.hasPrefix("http"), name.contains(where: \.isLetter) else {
            return nil
        }
        let initials = name.split(separator: ".").allSatisfy { $0.count == 1 } && name.contains(".")
        return initials ? nil : name
    }

    func unique<T, Key: Hashable>(_ values: [T], by key: (T) -> Key) -> [T] {
        var seen: Set<Key> = []
        return values.filter { seen.insert(key($0)).inserted }
    }
}

extension String {
    /// The string, or nil when it is empty: for chaining fallbacks.
    var nonEmpty: String? { isEmpty ? nil : self }
}

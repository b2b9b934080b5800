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
            ?? linkedData?.url.flatMap { PublisherDirectory.host(of: $0) != nil ? $0 : nil } ?? input.url
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
        let url =
            frontMatter.url ?? canonicalURL(meta: meta, elements: elements, scope: scope)
            ?? linkedData?.url.flatMap { PublisherDirectory.host(of: $0) != nil ? $0 : nil } ?? input.url
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
        var source = publisher(meta: meta, url: url, scope: scope, input: input)
        if meta["og:site_name"] == nil, let name = linkedData?.publisher {
            source = Publisher(name: name, domain: source?.domain)
        }
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

    // MARK: - Fields

    /// The article's heading: one marked as the entry title or headline, else (unless `markedOnly`) the first `<h1>`.
    func headline(in scope: [HTMLElement], markedOnly: Bool) -> String? {
        let candidates = scope.filter { ["h1", "h2"].contains($0.name) }
        let marked = candidates.first { element in
            element.attributes["itemprop"] == "headline"
                || element.classes.contains { ["entry-title", "post-title", "article-title", "headline"].contains($0) }
        }
        if let marked { return marked.text.nonEmpty }
        return markedOnly ? nil : candidates.first { $0.name == "h1" }?.text.nonEmpty
    }

    /// The first metadata title that shares most of its words with the document's `<title>`: some pages
    /// put a description or a social-media teaser in one of the title fields. Without a `<title>` to
    /// compare with, the first.
    static func consistentTitle(_ candidates: [String?], documentTitle: String?) -> String? {
        let titles = candidates.compactMap { $0?.nonEmpty }
        guard let documentTitle else { return titles.first }
        let reference = Set(TextNormalizer.words(in: documentTitle.lowercased()))
        return titles.first { title in
            let words = TextNormalizer.words(in: title.lowercased())
            return !words.isEmpty && words.filter { reference.contains($0) }.count * 2 >= words.count
        } ?? titles.first
    }

    /// The `<h1>` that the document's `<title>` repeats: the headline without the site's decoration.
    func documentHeading(in scope: [HTMLElement], documentTitle: String?) -> String? {
        guard let documentTitle = documentTitle?.lowercased() else { return nil }
        return scope.lazy.filter { $0.name == "h1" }.map(\.text)
            .first { $0.count >= 8 && documentTitle.contains($0.lowercased()) }
    }

    func pageTitle(_ elements: [HTMLElement], siteName: String?) -> String? {
        guard let title = elements.first(where: { $0.name == "title" })?.text.nonEmpty else { return nil }
        return Self.removingSiteName(title, siteName)
    }

    /// "Headline | Site", "Headline - Site": the site part is not the headline.
    static func removingSiteName(_ title: String, _ siteName: String?) -> String {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » "] {
            var parts = title.components(separatedBy: separator)
            guard parts.count > 1 else { continue }
            let site = siteName.map(folded)
            // From the end: the site's name, a date ("| DW | 19.01.2020"), a section after the site.
            while parts.count > 1, let last = parts.last {
                let isSite = site.map {
                    folded(last) == $0 || (parts.count > 2 && folded(parts[parts.count - 2]) == $0)
                }
                let isDate =
                    DateRecognizer.date(from: last) != nil || last.allSatisfy { $0.isNumber || ".-/ ".contains($0) }
                let isShort = siteName == nil && last.split(separator: " ").count <= 4
                guard isSite == true || isDate || isShort else { break }
                parts.removeLast()
            }
            // "Site | Headline": a leading site name.
            if parts.count > 1, let site, folded(parts[0]) == site { parts.removeFirst() }
            let result = parts.joined(separator: separator)
            if result != title { return TextNormalizer.trimmed(Substring(result)) }
        }
        return title
    }

    /// A name compared loosely: case, accents and punctuation ("Aktuálně.cz", "aktualne.cz") aside.
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter {
            $0.isLetter || $0.isNumber
        }
    }

    /// Bylines the page offers, most reliable first: structured data, then `<meta>`, then marked-up
    /// bylines in the article (hCard and schema.org names before `rel=author` links: author boxes also hold
    /// links such as "View all of Jane Doe's posts").
    func authorCandidates(meta: MetaTags, linkedData: LinkedData?, scope: [HTMLElement]) -> [AuthorNames.Candidate] {
        var candidates: [String] = []
        if let data = linkedData, !data.authors.isEmpty { candidates.append(data.authors.joined(separator: "; ")) }
        for key in [
            "author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl",
        ] {
            candidates += meta.all(key).filter { !$0.hasPrefix("http") }
        }
        let byClass = scope.filter { element in
            element.hasClass("fn") && element.lineage.contains { $0.hasClass("author") || $0.hasClass("byline") }
        }
        let byItemprop = scope.filter { ByteText.contains($0.attributes["itemprop"], "author") }.map { element in
            element.descendants.first { $0.attributes["itemprop"] == "name" } ?? element
        }
        let byRel = scope.filter { $0.name == "a" && $0.tokens("rel").contains("author") }
        let byLink = scope.filter { $0.name == "a" && ByteText.contains($0.attributes["href"], "/author/") }
        let names = (byClass + byItemprop + byRel + byLink).map(\.text).filter(Self.looksLikeName)
        let bylines = scope.filter { element in
            element.classes.contains { name in
                let lowered = name.lowercased()
                return ["byline", "author-name", "entry-author", "article-author", "author"].contains(lowered)
                    || lowered.hasSuffix("__byline") || lowered.hasSuffix("-byline")
            }
        }
        .map { HTMLBodyExtractor.byline($0.text) ?? $0.text }
        .filter { $0.count <= 120 }
        return candidates.map { AuthorNames.Candidate(text: $0, structured: true) }
            + (names + bylines).map { AuthorNames.Candidate(text: $0, structured: false) }
    }

    /// A person's name, not a link label: one to five words, no sentence, no "posts" or URL.
    static func looksLikeName(_ text: String) -> Bool {
        let words = text.split(separator: " ")
        let lowered = text.lowercased()
        return (1...5).contains(words.count) && text.count <= 60
            && !["post", "view", "http", "www."].contains { lowered.contains($0) }
    }

    /// `<meta>` names under which pages state their publication time.
    static let publicationMeta = [
        "article:published_time", "og:published_time", "article:published", "datepublished", "parsely-pub-date",
        "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
        "citation_publication_date", "publication_date", "publish-date", "publishdate", "pubdate", "date",
        "original-publish-date", "article.published", "published-date", "cxenseparse:recs:publishtime",
    ]

    /// The publication time stated in `<meta>`, else the `<time>` (or `datePublished` element) closest to
    /// the article's text: a page's other dates belong to teasers, comments and "updated" stamps.
    func publishedDate(meta: MetaTags, scope: [HTMLElement], near anchor: HTMLElement?) -> Date? {
        for key in Self.publicationMeta {
            if let value = meta[key], let date = DateRecognizer.date(from: value) { return date }
        }
        var times = scope.filter { element in
            (element.name == "time" || element.attributes["itemprop"] == "datePublished")
                && !element.lineage.contains { ContentFinder.furnitureNames.contains($0.name) }
        }
        if let anchor {
            let end = anchor.descendants.last?.index ?? anchor.index
            func distance(_ element: HTMLElement) -> Int {
                if element.index >= anchor.index && element.index <= end { return 0 }
                return element.index < anchor.index ? anchor.index - element.index : 1_000_000 + element.index
            }
            times.sort { distance($0) < distance($1) }
        }
        let preferred =
            times.first {
                $0.attributes["itemprop"] == "datePublished" || $0.hasClass("published")
                    || $0.attributes["pubdate"] != nil
            }
            ?? times.first { !$0.hasClass("updated") && !($0.attributes["itemprop"] ?? "").contains("Modified") }
        if let element = preferred {
            let value = element.attributes["datetime"] ?? element.attributes["content"] ?? element.visibleText
            if let date = DateRecognizer.date(from: value) ?? DateRecognizer.date(from: element.visibleText) {
                return date
            }
        }
        // A short visible element holding only a date, then the hidden hAtom `updated` stamp.
        let visible = scope.first { element in
            !element.children.isEmpty && element.children.allSatisfy { if case .text = $0 { true } else { false } }
                && element.rawText.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 })
                && !element.isHidden && !element.hasClass("updated") && element.rawText.utf8.count <= 120
                && element.text.count <= 40 && DateRecognizer.date(from: element.text) != nil
        }
        let stamped = scope.first { $0.hasClass("published") || $0.hasClass("entry-date") || $0.hasClass("updated") }
        return [visible, stamped].lazy.compactMap { $0.flatMap { DateRecognizer.date(from: $0.text) } }.first
    }

    /// Category names: `rel="category"` links, else links to category archives inside a category list
    /// (themes that drop `rel`), else the post's `category-<slug>` classes.
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

    func canonicalURL(meta: MetaTags, elements: [HTMLElement], scope: [HTMLElement]) -> String? {
        if let link = elements.first(where: { $0.name == "link" && $0.tokens("rel").contains("canonical") }),
            let href = link.attributes["href"], PublisherDirectory.host(of: href) != nil
        {
            return href
        }
        if let value = meta["og:url"], PublisherDirectory.host(of: value) != nil { return value }
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

    func publisher(meta: MetaTags, url: String?, scope: [HTMLElement], input: DocumentInput) -> Publisher? {
        // Links that point into the publisher's own site: author pages, tag and category archives, permalinks.
        let siteLinks = scope.filter { element in
            element.name == "a"
                && (!element.tokens("rel").isDisjoint(with: ["author", "tag", "category", "bookmark"])
                    || ByteText.contains(element.attributes["href"], "/author/"))
        }
        let hosts = ([url, input.url] + siteLinks.map { $0.attributes["href"] }).compactMap {
            $0.flatMap(PublisherDirectory.host(of:))
        }
        let counts = Dictionary(hosts.map { ($0, 1) }, uniquingKeysWith: +)
        let host = url.flatMap(PublisherDirectory.host(of:)) ?? hosts.max { counts[$0]! < counts[$1]! }
        var publisher = host.flatMap(PublisherDirectory.publisher(forHost:))
        if let siteName = meta["og:site_name"] ?? meta["application-name"] {
            publisher = Publisher(name: siteName, domain: publisher?.domain)
        }
        return publisher
    }

    /// The day in a WordPress-style permalink (`/2019/05/07/slug/`): the publication day when the page
    /// states no date itself.
    static func permalinkDate(_ url: String) -> Date? {
        guard let match = url.firstMatch(of: Self.permalinkDay),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3)
        else { return nil }
        return DateRecognizer.make(year: year, month: month, day: day)
    }

    // MARK: - Helpers

    /// The path component after `/segment/` in a URL (`…/tag/150tb/` → `150tb`).
    static func lastPathComponent(_ href: String?, after segment: String) -> String? {
        guard let href, let range = href.range(of: "/\(segment)/") else { return nil }
        let rest = href[range.upperBound...].split(separator: "/").first.map(String.init)
        return rest?.removingPercentEncoding?.nonEmpty
    }

    func unique<T, Key: Hashable>(_ values: [T], by key: (T) -> Key) -> [T] {
        var seen: Set<Key> = []
        return values.filter { seen.insert(key($0)).inserted }
    }
}

/// The document's `<meta>` tags by `name`/`property`/`itemprop`.
struct MetaTags {
    private var values: [String: [String]] = [:]

    init(_ elements: [HTMLElement]) {
        for element in elements where element.name == "meta" {
            guard
                let key = element.attributes["property"] ?? element.attributes["name"]
                    ?? element.attributes["itemprop"],
                let content = element.attributes["content"].map(TextNormalizer.collapse), !content.isEmpty
            else { continue }
            values[key.lowercased(), default: []].append(content)
        }
    }

    subscript(key: String) -> String? { values[key.lowercased()]?.first }

    func all(_ key: String) -> [String] { values[key.lowercased()] ?? [] }
}

extension String {
    /// The string, or nil when it is empty: for chaining fallbacks.
    var nonEmpty: String? { isEmpty ? nil : self }
}

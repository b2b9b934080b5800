import ClippingsExtraction
import ClippingsStore
import Foundation

/// What the templates read: the archive's values turned into plain dictionaries, so rendering looks keys
/// up directly rather than through reflection.
///
/// Every key a template tests is always present (`false` when there is nothing): Mustache looks a missing
/// key up in the enclosing context, so an article without a language in a list on an article's page
/// would otherwise take that page's language.
typealias View = [String: Any]

enum ReadingRoomViews {
    /// One article in a list. Two of its values are HTML, made here because a page lists twenty and each
    /// template lookup costs: its `meta` line (source, date, byline; every piece escaped) and its `lead`,
    /// the search's snippet (escaped by the store, matches marked) or else the summary, escaped.
    static func summary(_ article: ArticleSummary) -> View {
        let html = PageHTML()
        var meta: [String] = []
        if let source = article.source {
            meta.append("<a href=\"/source/\(html.escapeText(source.slug))\">\(html.escapeText(source.name))</a>")
        }
        if let date = article.publishedAt {
            meta.append("<time datetime=\"\(date.timestampText)\">\(dayText(date))</time>")
        }
        if !article.writers.isEmpty { meta.append(html.escapeText(article.writers.joined(separator: ", "))) }
        let lead = article.hit?.snippet ?? (article.summary.isEmpty ? nil : html.escapeText(article.summary))
        return [
            "href": "/read/\(article.slug)",
            "title": article.title,
            "hasLang": language(article.language) is String,
            "lang": article.language,
            "meta": meta.joined(separator: " · "),
            "hasLead": lead != nil,
            "lead": lead ?? "",
        ]
    }

    /// A whole article's page: its text, where it links, its story and related articles.
    static func article(_ detail: ArticleDetail, story: StoryDetail?, related: [ArticleSummary]) -> View {
        let article = detail.summary
        let links = detail.links.compactMap { link -> View? in
            guard let url = webAddress(link.url) else { return nil }
            return ["url": url, "text": link.text.isEmpty ? url : link.text]
        }
        let images = detail.images.compactMap { image -> View? in
            guard let url = webAddress(image.url) else { return nil }
            let alt = image.alt ?? ""
            return ["url": url, "text": alt.isEmpty ? url : alt]
        }
        let original = article.url.flatMap(webAddress)
        return [
            "title": article.title,
            "lang": language(article.language),
            "byline": article.writers.isEmpty ? false : article.writers.joined(separator: ", "),
            "date": article.publishedAt.map(date) ?? false,
            "source": article.source.map(source) ?? false,
            "wordCount": article.wordCount > 0 ? article.wordCount : false,
            "tags": article.tags.map(tag),
            "hasTags": !article.tags.isEmpty,
            "paragraphs": detail.paragraphs,
            "url": original ?? false,
            "host": original.flatMap { URL(string: $0)?.host } ?? "its publisher",
            "story": story.map(storyLine) ?? false,
            "links": links,
            "hasLinks": !links.isEmpty,
            "images": images,
            "hasImages": !images.isEmpty,
            "related": related.map(summary),
            "hasRelated": !related.isEmpty,
        ]
    }

    /// A story in a list, or named on an article's page.
    static func storyLine(_ story: StorySummary) -> View {
        [
            "href": "/story/\(story.id)",
            "title": story.title,
            "articles": articlesAndCopies(story),
            "dates": dateSpan(story.firstPublishedAt, story.lastPublishedAt) ?? false,
        ]
    }

    /// `3 articles`, or `1 article and 17 copies` when syndicated copies count once with their original.
    static func articlesAndCopies(_ story: StorySummary) -> String {
        counted(story.articleCount, "article")
            + (story.copyCount > 0 ? " and \(counted(story.copyCount, "copy", plural: "copies"))" : "")
    }

    static func storyLine(_ detail: StoryDetail) -> View { storyLine(detail.story) }

    static func source(_ source: SourceRef) -> View {
        ["href": "/source/\(source.slug)", "name": source.name]
    }

    static func tag(_ tag: TagRef) -> View {
        ["href": "/tag/\(tag.slug)", "name": tag.name]
    }

    /// A date for people (`29 November 2016`, in UTC as stored) beside its machine-readable form.
    static func date(_ date: Date) -> View {
        ["iso": date.timestampText, "text": dayText(date)]
    }

    static func dayText(_ date: Date) -> String {
        let (year, month, day) = CivilDays.date(date.civilDay)
        return "\(day) \(monthNames[month - 1]) \(year)"
    }

    /// `3 articles`, `1 article`, `12,400 articles`.
    static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(number(count)) \(count == 1 ? noun : plural ?? noun + "s")"
    }

    /// A count with thousands separated by commas, as English writes it.
    static func number(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (count < 0 ? "-" : "") + grouped
    }

    /// Names for the language codes archives commonly hold; others show as their code.
    static let languageNames = [
        "en": "English", "no": "Norwegian", "nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk", "sv": "Swedish",
        "da": "Danish", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch",
        "fi": "Finnish", "pt": "Portuguese", "pl": "Polish", "und": "Undetermined",
    ]

    /// The span between two dates, or the one day when they are the same.
    static func dateSpan(_ first: Date?, _ last: Date?) -> String? {
        guard let first else { return last.map(dayText) }
        guard let last, dayText(last) != dayText(first) else { return dayText(first) }
        return "\(dayText(first)) to \(dayText(last))"
    }

    /// The language of a text, for its `lang` attribute; false when unknown (`und` is no language to
    /// announce).
    static func language(_ code: String) -> Any {
        code.isEmpty || code == "und" ? false : code
    }

    /// An address a reader may follow: http and https only, never `javascript:` or `data:`.
    static func webAddress(_ text: String) -> String? {
        guard let scheme = URL(string: text)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return nil
        }
        return text
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}

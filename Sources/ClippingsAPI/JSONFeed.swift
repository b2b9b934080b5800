import ClippingsStore
import Foundation

/// An `ArticleFeed` as JSON Feed 1.1 (jsonfeed.org), paged by `next_url`.
struct JSONFeed: Encodable {
    static let contentType = "application/feed+json; charset=utf-8"

    struct Author: Encodable {
        var name: String
    }

    struct Item: Encodable {
        var id: String
        var url: String
        var externalURL: String?
        var title: String
        var summary: String
        var contentText: String
        var datePublished: Date?
        var dateModified: Date
        var authors: [Author]?
        var tags: [String]?
        var language: String

        enum CodingKeys: String, CodingKey {
            case id, url, title, summary, authors, tags, language
            case externalURL = "external_url"
            case contentText = "content_text"
            case datePublished = "date_published"
            case dateModified = "date_modified"
        }
    }

    var version = "https://jsonfeed.org/version/1.1"
    var title: String
    var homePageURL: String
    var feedURL: String
    var nextURL: String?
    var items: [Item]

    enum CodingKeys: String, CodingKey {
        case version, title, items
        case homePageURL = "home_page_url"
        case feedURL = "feed_url"
        case nextURL = "next_url"
    }

    init(_ feed: ArticleFeed) {
        title = feed.title
        homePageURL = feed.listingURL
        feedURL = feed.firstURL
        nextURL = feed.nextURL
        items = feed.articles.map { article in
            let summary = article.summary
            return Item(
                id: feed.apiURL(of: article),
                url: feed.apiURL(of: article),
                externalURL: summary.url,
                title: summary.title,
                summary: summary.summary,
                contentText: feed.text(of: article),
                datePublished: summary.publishedAt,
                dateModified: article.updatedAt,
                authors: summary.writers.isEmpty ? nil : summary.writers.map(Author.init),
                tags: summary.tags.isEmpty ? nil : summary.tags.map(\.name),
                language: summary.language
            )
        }
    }

    func bytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

import Foundation

/// Which stories a `/stories` page lists: those with at least `minimumArticles` articles (copies aside)
/// and, when `articles` filters or searches, an article it selects; latest activity first.
public struct StoryQuery: Sendable, Equatable {
    /// The article filters and search (its sort, page and cursor are not used).
    public var articles = ArticleQuery()
    public var minimumArticles = 1
    public var limit = 20
    public var cursor: Cursor?

    public init() {}
}

/// A story as listed.
public struct StorySummary: Sendable, Equatable {
    public var id: Int64
    /// The title of the article that started the story.
    public var title: String
    /// Its articles, each syndicated copy counted once with its original.
    public var articleCount: Int
    /// Its syndicated and near-duplicate copies.
    public var copyCount: Int
    public var firstPublishedAt: Date?
    public var lastPublishedAt: Date?
    /// Its latest article's publication (its first article's arrival when none is dated): the list's order.
    public var updatedAt: Date
    public var createdAt: Date

    public init(
        id: Int64,
        title: String,
        articleCount: Int,
        copyCount: Int,
        firstPublishedAt: Date?,
        lastPublishedAt: Date?,
        updatedAt: Date,
        createdAt: Date
    ) {
        self.id = id
        self.title = title
        self.articleCount = articleCount
        self.copyCount = copyCount
        self.firstPublishedAt = firstPublishedAt
        self.lastPublishedAt = lastPublishedAt
        self.updatedAt = updatedAt
        self.createdAt = createdAt
    }
}

extension StorySummary {
    /// A story from its stored columns (RFC 3339 text, as both backends keep them).
    package init(
        id: Int64,
        title: String,
        articleCount: Int,
        copyCount: Int,
        firstPublishedAt: String?,
        lastPublishedAt: String?,
        activityAt: String,
        createdAt: String
    ) {
        self.init(
            id: id,
            title: title,
            articleCount: articleCount,
            copyCount: copyCount,
            firstPublishedAt: firstPublishedAt.flatMap(Timestamp.date),
            lastPublishedAt: lastPublishedAt.flatMap(Timestamp.date),
            updatedAt: Timestamp.date(activityAt) ?? Date(timeIntervalSince1970: 0),
            createdAt: Timestamp.date(createdAt) ?? Date(timeIntervalSince1970: 0)
        )
    }
}

/// A story on its own: its coverage by source and language, and day by day (copies counted once).
public struct StoryDetail: Sendable, Equatable {
    /// A value and the number of the story's articles with it.
    public struct Count: Sendable, Equatable {
        public var value: String
        public var name: String?
        public var count: Int

        package init(value: String, name: String?, count: Int) {
            self.value = value
            self.name = name
            self.count = count
        }
    }

    public var story: StorySummary
    /// The summary of the story's first article.
    public var summary: String
    public var sources: [Count]
    public var languages: [Count]
    /// Articles per day of publication (`YYYY-MM-DD`), oldest first; undated articles are not in it.
    public var timeline: [Count]

    package init(story: StorySummary, summary: String, sources: [Count], languages: [Count], timeline: [Count]) {
        self.story = story
        self.summary = summary
        self.sources = sources
        self.languages = languages
        self.timeline = timeline
    }
}

/// What a story id names: a story, or the story one it was merged into became part of.
public enum StoryLookup: Sendable, Equatable {
    case found(StoryDetail)
    case merged(into: Int64)
}

import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/stories`: each event's coverage across publishers and languages, as the archive grouped it while the
/// articles arrived. A story merged into another answers with a permanent redirect (308) to the survivor.
struct StoriesController<Context: RequestContext> {
    let store: any ArchiveStore
    let maximumPageSize: Int

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: list)
            .get("{id}", use: get)
            .get("{id}/articles", use: articles)
    }

    /// Latest activity first; `q` and the article filters keep the stories with an article they select.
    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let parameters = try QueryParameters(
            request,
            allowed: ArticleQuery.filterParameters.subtracting(["sort", "story"]).union([
                "limit", "cursor", "min_articles",
            ])
        )
        var query = StoryQuery()
        try query.articles.readFilters(parameters)
        query.limit = try parameters.integer("limit", in: 1...maximumPageSize, default: 20)
        query.minimumArticles = try parameters.integer("min_articles", in: 1...1_000_000, default: 1)
        query.cursor = try parameters.cursor()
        let page = try await store.stories(query)
        return try FieldSelection.response(ListResponse(page, transform: StoryResponse.init), fields: nil)
            .linkingNextPage(of: request, cursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        switch try await lookup(context) {
        case .found(let detail): return try FieldSelection.response(StoryResponse(detail), fields: nil)
        case .merged(let survivor): return Self.redirect(request, to: "/stories/\(survivor)")
        }
    }

    @Sendable func articles(_ request: Request, context: Context) async throws -> Response {
        var listing = try ArticleListing(request, fixed: ["story"], maximumPageSize: maximumPageSize)
        switch try await lookup(context) {
        case .found(let detail):
            listing.query.stories = [detail.story.id]
            return try await listing.respond(to: request, store: store)
        case .merged(let survivor):
            return Self.redirect(request, to: "/stories/\(survivor)/articles")
        }
    }

    private func lookup(_ context: Context) async throws -> StoryLookup {
        let key = try context.parameters.require("id")
        guard let id = Int64(key), id > 0, let lookup = try await store.story(id: id) else {
            throw Problem.notFound("No story '\(key)'.")
        }
        return lookup
    }

    /// 308 keeps the method and says the move is for good; the query string goes along.
    static func redirect(_ request: Request, to path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = path + (request.uri.query.map { "?" + $0 } ?? "")
        return Response(status: .permanentRedirect, headers: headers)
    }
}

/// A story as the API shows it; the coverage fields only on `/stories/{id}`.
struct StoryResponse: ResponseEncodable, Sendable {
    struct SourceCount: Encodable, Sendable {
        var slug: String
        var name: String
        var count: Int
    }
    struct LanguageCount: Encodable, Sendable {
        var language: String
        var count: Int
    }
    struct DayCount: Encodable, Sendable {
        var date: String
        var count: Int
    }

    var id: Int64
    var title: String
    var articleCount: Int
    var copyCount: Int
    var firstPublishedAt: Date?
    var lastPublishedAt: Date?
    var updatedAt: Date
    var createdAt: Date
    var summary: String?
    var sources: [SourceCount]?
    var languages: [LanguageCount]?
    var timeline: [DayCount]?

    init(_ story: StorySummary) {
        id = story.id
        title = story.title
        articleCount = story.articleCount
        copyCount = story.copyCount
        firstPublishedAt = story.firstPublishedAt
        lastPublishedAt = story.lastPublishedAt
        updatedAt = story.updatedAt
        createdAt = story.createdAt
    }

    init(_ detail: StoryDetail) {
        self.init(detail.story)
        summary = detail.summary
        sources = detail.sources.map { SourceCount(slug: $0.value, name: $0.name ?? $0.value, count: $0.count) }
        languages = detail.languages.map { LanguageCount(language: $0.value, count: $0.count) }
        timeline = detail.timeline.map { DayCount(date: $0.value, count: $0.count) }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, summary, sources, languages, timeline
        case articleCount = "article_count"
        case copyCount = "copy_count"
        case firstPublishedAt = "first_published_at"
        case lastPublishedAt = "last_published_at"
        case updatedAt = "updated_at"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(articleCount, forKey: .articleCount)
        try container.encode(copyCount, forKey: .copyCount)
        try container.encode(firstPublishedAt, forKey: .firstPublishedAt)
        try container.encode(lastPublishedAt, forKey: .lastPublishedAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encodeIfPresent(sources, forKey: .sources)
        try container.encodeIfPresent(languages, forKey: .languages)
        try container.encodeIfPresent(timeline, forKey: .timeline)
    }
}

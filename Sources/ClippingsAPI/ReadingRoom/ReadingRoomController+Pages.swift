import ClippingsStore
import HTTPTypes
import Hummingbird

/// The pages of one thing: an article, a story, a tag, a source.
extension ReadingRoomController {
    /// `/read/{slug}` (or an id): the whole article, its story, the articles most like it.
    @Sendable func article(_ request: Request, context: Context) async throws -> Response {
        await page(request, context) { address in
            _ = try QueryParameters(pairs: address.pairs, allowed: [])
            let key = try context.parameters.require("slug")
            let article = try await store.article(idOrSlug: key)
            async let related = store.relatedArticles(to: article.summary.id, limit: 5)
            var story: StoryDetail?
            if let id = article.summary.storyID, case .found(let detail) = try await store.story(id: id) {
                story = detail
            }
            var view = ReadingRoomViews.article(article, story: story, related: try await related ?? [])
            view["json"] = "/articles/\(article.summary.slug)"
            return ("article", view)
        }
    }

    /// `/story/{id}`: the story's coverage by day, source and language, its articles oldest first.
    @Sendable func story(_ request: Request, context: Context) async throws -> Response {
        await page(request, context) { address in
            let parameters = try QueryParameters(pairs: address.pairs, allowed: ["cursor"])
            let key = try context.parameters.require("id")
            guard let id = Int64(key), id > 0, let lookup = try await store.story(id: id) else {
                throw Problem.notFound("No story '\(key)'.")
            }
            guard case .found(let detail) = lookup else {
                if case .merged(let survivor) = lookup {
                    throw PageRedirect(response: StoriesController<Context>.redirect(request, to: "/story/\(survivor)"))
                }
                throw Problem.notFound("No story '\(key)'.")
            }
            var query = ArticleQuery()
            query.stories = [id]
            query.sort = .oldest
            query.cursor = try parameters.cursor()
            let story = detail.story
            let languages = detail.languages.map { count -> View in
                [
                    "label": ReadingRoomViews.languageNames[count.value] ?? count.value, "count": count.count,
                    "href": PageAddress.address("/", [("story", key), ("language", count.value)]),
                ]
            }
            let sources = detail.sources.map { count -> View in
                ["label": count.name ?? count.value, "count": count.count, "href": "/source/\(count.value)"]
            }
            let lead =
                ReadingRoomViews.articlesAndCopies(story)
                + " from \(ReadingRoomViews.counted(detail.sources.count, "source"))"
                + (ReadingRoomViews.dateSpan(story.firstPublishedAt, story.lastPublishedAt).map { ", \($0)" } ?? "")
                + "."
            return try await collection(
                query,
                address,
                [
                    "heading": story.title, "lead": lead,
                    "summaryText": detail.summary.isEmpty ? false : detail.summary,
                    "searchHref": "/?story=\(id)",
                    "chart": CoverageChart(counts: detail.timeline.map { ($0.value, $0.count) })?.view { from, to in
                        PageAddress.address("/", [("story", key), ("from", from), ("to", to)])
                    } ?? false,
                    "hasCoverage": true,
                    "coverage": [
                        ["caption": "Articles by source", "unit": "Source", "rows": sources],
                        ["caption": "Articles by language", "unit": "Language", "rows": languages],
                    ],
                    "listHeading": "Its articles, oldest first",
                    "json": "/stories/\(id)",
                ]
            )
        }
    }

    /// `/tag/{slug}`: the tag's articles over time, newest first. (Not the tags found with it, which
    /// `/tags/{slug}` gives: for a common tag they cost every link of its articles.)
    @Sendable func tag(_ request: Request, context: Context) async throws -> Response {
        await page(request, context) { address in
            let parameters = try QueryParameters(pairs: address.pairs, allowed: ["cursor"])
            let slug = try context.parameters.require("slug")
            guard let tag = try await store.tag(slug: slug) else { throw Problem.notFound("No tag '\(slug)'.") }
            var query = ArticleQuery()
            query.tags = [slug]
            query.cursor = try parameters.cursor()
            return try await collection(
                query,
                address,
                [
                    "heading": tag.name, "lead": "\(ReadingRoomViews.counted(tag.articleCount, "article")) tagged.",
                    "searchHref": "/?tag=\(slug)",
                    "hasCoverage": false,
                    "json": "/tags/\(slug)",
                ]
            )
        }
    }

    /// `/source/{slug}`: the publisher's articles over time, newest first.
    @Sendable func source(_ request: Request, context: Context) async throws -> Response {
        await page(request, context) { address in
            let parameters = try QueryParameters(pairs: address.pairs, allowed: ["cursor"])
            let slug = try context.parameters.require("slug")
            guard let source = try await store.source(slug: slug) else {
                throw Problem.notFound("No source '\(slug)'.")
            }
            var query = ArticleQuery()
            query.sources = [slug]
            query.cursor = try parameters.cursor()
            let span = ReadingRoomViews.dateSpan(source.firstPublishedAt, source.lastPublishedAt)
            return try await collection(
                query,
                address,
                [
                    "heading": source.name,
                    "lead": "\(ReadingRoomViews.counted(source.articleCount, "article"))"
                        + (source.domain.map { " from \($0)" } ?? "") + (span.map { ", \($0)" } ?? "") + ".",
                    "searchHref": "/?source=\(slug)",
                    "hasCoverage": false,
                    "json": "/sources/\(slug)",
                ]
            )
        }
    }

    /// A collection page's articles (one page of `query`) and, unless given, the chart of their months.
    private func collection(
        _ query: ArticleQuery,
        _ address: PageAddress,
        _ view: View
    ) async throws -> (
        template: String, view: View
    ) {
        let page = try await store.articles(query)
        var view = view
        view["articles"] = page.items.map(ReadingRoomViews.summary)
        view["next"] = address.next(page.nextCursor)
        view["listHeading"] = view["listHeading"] ?? "Articles, newest first"
        view["summaryText"] = view["summaryText"] ?? false
        if view["chart"] == nil {
            var all = query
            all.cursor = nil
            let months = try await store.facets([.month], for: all, limit: SearchPage.facetValues)[.month] ?? []
            view["chart"] =
                CoverageChart(counts: months)?.view { from, to in
                    PageAddress.address(
                        "/",
                        query.tags.map { ("tag", $0) } + query.sources.map { ("source", $0) } + [
                            ("from", from), ("to", to),
                        ]
                    )
                } ?? false
        }
        return ("collection", view)
    }
}

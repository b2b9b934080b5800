import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The reading room: HTML pages for people at paths of their own (`/`, `/read/…`, `/story/…`, `/tag/…`,
/// `/source/…`), over the same store queries as the JSON API. The JSON paths never negotiate: what they
/// answer does not depend on `Accept`, and each page links its JSON twin.
///
/// Errors are pages too: the status and explanation the API would give, in HTML, for a reader.
struct ReadingRoomController<Context: RequestContext> {
    let store: any ArchiveStore
    let maximumPageSize: Int

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get("/", use: home)
            .get("read/{slug}", use: article)
            .get("story/{id}", use: story)
            .get("tag/{slug}", use: tag)
            .get("source/{slug}", use: source)
            .get("assets/reading-room.css", use: stylesheet)
    }

    /// `/`: the archive's front page, or, given a search or any filter, its results.
    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        await page(request, context) { address in
            let parameters = try QueryParameters(pairs: address.pairs, allowed: SearchPage.parameters)
            return address.pairs.isEmpty ? try await frontPage() : try await results(parameters, address)
        }
    }

    @Sendable func stylesheet(_ request: Request, context: Context) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: ReadingRoomStylesheet.css))
        )
    }

    /// Builds a page from the request's non-empty parameters; any error becomes the error page, with the
    /// status the JSON API would answer (a 308 from a merged story passes through as it is).
    func page(
        _ request: Request,
        _ context: Context,
        build: (PageAddress) async throws -> (template: String, view: View)
    ) async -> Response {
        var address = PageAddress(path: request.uri.path, pairs: [])
        do {
            // A form sends an empty box as `q=`: for a reader that is no search, not a mistake. Any other
            // empty parameter is refused, as the JSON API refuses it.
            address.pairs = try QueryParameters.pairs(of: request).filter { $0.name != "q" || !$0.value.isEmpty }
            var (template, view) = try await build(address)
            view["query"] = view["query"] ?? address.pairs.first { $0.name == "q" }?.value ?? ""
            return HTMLPage.response(template, view)
        } catch let redirect as PageRedirect {
            return redirect.response
        } catch {
            let query = address.pairs.first { $0.name == "q" }?.value ?? ""
            return HTMLPage.error(ProblemMiddleware<Context>().problem(for: error, context: context), query: query)
        }
    }

    private func frontPage() async throws -> (template: String, view: View) {
        var latest = ArticleQuery()
        latest.limit = 10
        var stories = StoryQuery()
        stories.limit = 8
        var directory = DirectoryQuery()
        directory.limit = 12
        async let articles = store.articles(latest)
        async let storyPage = store.stories(stories)
        async let tags = store.tags(directory)
        async let sources = store.sources(directory)
        let (articlePage, storyList, tagList, sourceList) = try await (articles, storyPage, tags, sources)
        return (
            "home",
            [
                "json": "/articles",
                "articleCount": ReadingRoomViews.number(articlePage.total),
                "sourceCount": ReadingRoomViews.number(sourceList.total),
                "articles": articlePage.items.map(ReadingRoomViews.summary),
                "stories": storyList.items.map(ReadingRoomViews.storyLine),
                "tags": tagList.items.map { ["href": "/tag/\($0.slug)", "name": $0.name, "count": $0.articleCount] },
                "sources": sourceList.items.map {
                    ["href": "/source/\($0.slug)", "name": $0.name, "count": $0.articleCount]
                },
            ]
        )
    }

    /// Ranked results with snippets, the facets as links that narrow them, the chart of their dates.
    private func results(_ parameters: QueryParameters, _ address: PageAddress) async throws -> (String, View) {
        let query = try ArticleQuery(parameters, maximumPageSize: maximumPageSize)
        let page = try await store.articles(query)
        // One count for the facets and the chart: the month facet keeps every month.
        let counts = try await store.facets(
            Set(SearchPage.facets.map(\.facet) + [.month]),
            for: query,
            limit: SearchPage.facetValues
        )
        let months = counts[.month] ?? []
        let names = SearchPage.names(in: page.items)
        let groups: [View] = SearchPage.facets.compactMap { facet, label in
            guard let values = counts[facet], !values.isEmpty else { return nil }
            return [
                "name": facet.rawValue, "label": label,
                "values": values.map { value, count -> View in
                    [
                        "text": names[facet]?[value] ?? value, "count": count,
                        "href": SearchPage.narrowing(address, facet, value),
                    ]
                },
            ]
        }
        let filters: [View] = address.pairs.filter { !["q", "cursor", "sort", "limit"].contains($0.name) }.map { pair in
            [
                "label": "\(pair.name.replacingOccurrences(of: "_", with: " ")): \(pair.value)",
                "href": PageAddress.address(
                    address.path,
                    address.pairs.filter { $0 != pair && $0.name != "cursor" }
                ),
            ]
        }
        let search = query.search.map { _ in address.pairs.first { $0.name == "q" }?.value ?? "" }
        let json = PageAddress.address(
            "/articles",
            address.pairs + [
                ("facets", (SearchPage.facets.map(\.facet) + [.month]).map(\.rawValue).joined(separator: ","))
            ]
        )
        return (
            "search",
            [
                "heading": search.map { "Results for “\($0)”" } ?? "Articles",
                "totalText": page.total == 0
                    ? "No article matches. Try fewer or other words, or remove a filter."
                    : "\(ReadingRoomViews.counted(page.total, "article")) \(page.total == 1 ? "matches" : "match").",
                "articles": page.items.map(ReadingRoomViews.summary),
                "sorts": SearchPage.orders(query, address),
                "hasFacets": !groups.isEmpty,
                "facetGroups": groups,
                "hasFilters": !filters.isEmpty,
                "filters": filters,
                "chart": CoverageChart(counts: months)?.view { from, to in
                    address.setting(["from": [from], "to": [to]])
                } ?? false,
                "next": address.next(page.nextCursor),
                "json": json,
            ]
        )
    }
}

/// What the search page shows beside its results, and how its links narrow them.
enum SearchPage {
    /// What the search page takes: every `/articles` parameter but the JSON-only ones.
    static var parameters: Set<String> { ArticleListing.parameters.subtracting(["fields", "facets"]) }
    /// The facets shown beside results, with their headings.
    static let facets: [(facet: Facet, label: String)] = [
        (.tag, "Tags"), (.source, "Sources"), (.language, "Languages"), (.year, "Years"),
    ]
    /// The orders a listing may be read in, each linked, the current one marked.
    static func orders(_ query: ArticleQuery, _ address: PageAddress) -> [View] {
        let choices: [(ArticleQuery.Sort, String)] =
            (query.search == nil ? [] : [(.relevance, "relevance")])
            + [(.newest, "newest"), (.oldest, "oldest"), (.title, "title")]
        return choices.map { order, label in
            ["label": label, "href": address.setting("sort", to: [order.rawValue]), "current": order == query.sort]
        }
    }

    /// How many values each facet shows.
    static let facetValues = 10

    /// The listing narrowed to one facet value: one tag, source or language instead of any given, or one
    /// year's dates.
    static func narrowing(_ address: PageAddress, _ facet: Facet, _ value: String) -> String {
        switch facet {
        case .year: address.setting(["from": ["\(value)-01-01"], "to": ["\(value)-12-31"]])
        case .month:
            CivilDays.monthNumber(value).map { month in
                let (from, to) = CoverageChart.days(of: month, unit: .month)
                return address.setting(["from": [from], "to": [to]])
            } ?? address.setting([:])
        case .story: address.setting("story", to: [value])
        case .tag, .source, .language: address.setting(facet.rawValue, to: [value])
        }
    }

    /// Readable names for facet values (slugs and codes) where the page's articles show them.
    static func names(in articles: [ArticleSummary]) -> [Facet: [String: String]] {
        var names: [Facet: [String: String]] = [:]
        for article in articles {
            for tag in article.tags { names[.tag, default: [:]][tag.slug] = tag.name }
            if let source = article.source { names[.source, default: [:]][source.slug] = source.name }
        }
        names[.language] = ReadingRoomViews.languageNames
        return names
    }
}

/// A page that lives elsewhere now (a merged story): answered with its redirect, not an error page.
struct PageRedirect: Error {
    var response: Response
}

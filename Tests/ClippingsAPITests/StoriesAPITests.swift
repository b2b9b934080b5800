import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `/stories` over the seeds, on each backend: three reports of Norway's "Operation Dark Room" (November 2016) are one story;
/// the follow-up seven months later and the Norwegian report of a German case are stories of their own.
@Suite("Stories")
struct StoriesAPITests {
    struct Story: Decodable, Equatable, Sendable {
        struct Count: Decodable, Equatable, Sendable {
            var slug: String?
            var language: String?
            var date: String?
            var count: Int
        }
        var id: Int64
        var title: String
        var articleCount: Int
        var copyCount: Int
        var firstPublishedAt: Date?
        var updatedAt: Date
        var summary: String?
        var sources: [Count]?
        var languages: [Count]?
        var timeline: [Count]?
    }
    /// An article listing's item, for what stories add to it.
    struct ArticleItem: Decodable, Sendable {
        var id: Int64
        var title: String
        var url: String?
        var storyId: Int64?
        var nearDuplicateOf: Int64?
    }
    typealias StoryList = API.Page<Story>
    typealias ArticleList = API.Page<ArticleItem>

    @Test(
        "the seeds' three reports of one operation share a story; the follow-up and the German case do not",
        arguments: BackendSmokeTests.backends
    )
    func seedStories(_ backend: BackendSmokeTests.Backend) async throws {
        try await withApp(arguments: try await backend.configuration()) { client in
            let articles = try await client.get("/articles?fields=id,title,url,story_id,near_duplicate_of&limit=10")
                .decoded(ArticleList.self)
            #expect(articles.items.count == 5)
            #expect(articles.items.allSatisfy { $0.storyId != nil && $0.nearDuplicateOf == nil })
            let story = { (prefix: String) in articles.items.first { $0.title.hasPrefix(prefix) }?.storyId }
            let operation = try #require(story("Norway Busted Massive"))
            #expect(story("Police in Norway have identified") == operation)
            #expect(story("Norwegian police uncover") == operation)
            #expect(story("Norway Opened 33 New Cases") != operation)
            #expect(story("En av verdens største") != operation)

            let list = try await client.get("/stories").decoded(StoryList.self)
            #expect(list.total == 3 && list.items.count == 3 && list.nextCursor == nil)
            #expect(list.items.map(\.updatedAt) == list.items.map(\.updatedAt).sorted(by: >))
            #expect(list.items.map(\.articleCount).reduce(0, +) == 5)
            let larger = try await client.get("/stories?min_articles=2").decoded(StoryList.self)
            #expect(larger.items.map(\.id) == [operation] && larger.total == 1)
            let norwegian = try await client.get("/stories?language=no").decoded(StoryList.self)
            #expect(norwegian.total == 1 && norwegian.items.first?.id != operation)
        }
    }

    @Test(
        "a story: coverage by source, language and day; its articles; facets=story and story= on /articles",
        arguments: BackendSmokeTests.backends
    )
    func storyDetail(_ backend: BackendSmokeTests.Backend) async throws {
        try await withApp(arguments: try await backend.configuration()) { client in
            let operation = try #require(
                try await client.get("/stories?min_articles=2").decoded(StoryList.self).items.first
            )
            let response = try await client.get("/stories/\(operation.id)")
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] != nil)
            let story = try response.decoded(Story.self)
            #expect(story.articleCount == 3 && story.copyCount == 0)
            #expect(story.languages == [.init(slug: nil, language: "en", date: nil, count: 3)])
            #expect(story.sources?.map(\.count).reduce(0, +) ?? 0 <= 3)
            let days = story.timeline?.compactMap(\.date) ?? []
            #expect(days == days.sorted())
            #expect(story.timeline?.first?.date == "2016-11-20")
            #expect(story.summary?.isEmpty == false)

            let articles = try await client.get("/stories/\(operation.id)/articles").decoded(ArticleList.self)
            #expect(articles.total == 3 && articles.items.allSatisfy { $0.storyId == operation.id })
            let filtered = try await client.get("/articles?story=\(operation.id)").decoded(ArticleList.self)
            #expect(filtered.items.map(\.id).sorted() == articles.items.map(\.id).sorted())
            let faceted = try await client.get("/articles?facets=story&limit=1").decoded(ArticleList.self)
            #expect(faceted.facets?["story"]?.first?.value == String(operation.id))
            #expect(faceted.facets?["story"]?.first?.count == 3)
        }
    }

    @Test(
        "pages of stories follow their cursors; bad parameters, ids and cursors are problems",
        arguments: BackendSmokeTests.backends
    )
    func pagingAndProblems(_ backend: BackendSmokeTests.Backend) async throws {
        try await withApp(arguments: try await backend.configuration()) { client in
            var seen: [Int64] = []
            var uri = "/stories?limit=1"
            while true {
                let page = try await client.get(uri).decoded(StoryList.self)
                seen += page.items.map(\.id)
                guard let cursor = page.nextCursor else { break }
                uri = "/stories?limit=1&cursor=\(cursor)"
            }
            #expect(seen.count == 3 && Set(seen).count == 3)

            let tagCursor = try #require(
                try await client.get("/tags?limit=1").decoded(API.Listing.self).nextCursor
            )
            for (uri, status) in [
                ("/stories?min_articles=0", HTTPResponse.Status.badRequest),
                ("/stories?limit=abc", .badRequest),
                ("/stories?sort=title", .badRequest),
                ("/stories?cursor=\(tagCursor)", .badRequest),
                ("/stories?cursor=bogus", .badRequest),
                ("/stories?min_articles=2&cursor=\(tagCursor)", .badRequest),
                ("/stories/abc", .notFound),
                ("/stories/0", .notFound),
                ("/stories/99999", .notFound),
                ("/stories/99999/articles", .notFound),
                ("/stories/1?fields=id", .badRequest),
                ("/stories/1/articles?story=2", .badRequest),
                ("/articles?story=x", .badRequest),
            ] {
                let response = try await client.get(uri)
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                #expect(try response.decoded(API.Problem.self).status == Int(status.code), "\(uri)")
            }
        }
    }

    @Test(
        "a story merged into another answers 308 to the survivor; its articles keep their query string",
        arguments: BackendSmokeTests.backends
    )
    func mergedStoryRedirects(_ backend: BackendSmokeTests.Backend) async throws {
        let lines = [
            [
                "title": "Floods in Voss", "url": "https://a.test/1",
                "body":
                    "Heavy rain flooded the lower town of Voss overnight, and the fire service evacuated 43 homes along the river before dawn on Thursday.\n\nThe river rose almost two metres in six hours, the highest level measured since the station opened in 1987.\n\nMayor Hilde Aasen said the municipality had opened the school gym. A landslide closed the railway line towards Bergen.",
            ],
            [
                "title": "Lisbon elects Quintela", "url": "https://b.test/1",
                "body":
                    "Voters in Lisbon elected Marta Quintela as mayor on Sunday, ending twelve years of rule by the Aliança coalition.\n\nQuintela won 41 percent of the vote against 33 percent for the incumbent Rui Salgado, the electoral commission said.",
            ],
            [
                "title": "Floods in Voss; Lisbon elects Quintela", "url": "https://c.test/1",
                "body":
                    "In Voss, firefighters moved people from 43 homes as the river reached its highest level since 1987. Mayor Hilde Aasen opened the school gym, and a landslide shut the Bergen railway.\n\nIn Lisbon, Marta Quintela beat Rui Salgado by 41 percent to 33, ending twelve years of the Aliança coalition in charge of the city.",
            ],
        ]
        let body = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            .joined(separator: "\n")
        var configuration = try await backend.configuration()
        configuration.apiToken = WriteAPITests.token
        try await withApp(arguments: configuration) { client in
            var headers = WriteAPITests.authorized
            headers[.contentType] = "application/x-ndjson"
            let written = try await client.execute(
                uri: "/articles/bulk",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body)
            )
            #expect(written.status == .ok)
            let articles = try await client.get("/articles?q=quintela+OR+voss&fields=id,title,story_id&limit=10")
                .decoded(ArticleList.self)
            let stories = Set(articles.items.compactMap(\.storyId))
            #expect(articles.items.count == 3 && stories.count == 1)
            let survivor = try #require(stories.first)
            // The seeds make stories 1 to 3; the flood and the election started 4 and 5, which the roundup merged.
            #expect([4, 5].contains(survivor))
            let merged = survivor == 4 ? 5 : 4
            let redirect = try await client.get("/stories/\(merged)")
            #expect(redirect.status == .permanentRedirect)
            #expect(redirect.headers[.location] == "/stories/\(survivor)")
            let articlesRedirect = try await client.get("/stories/\(merged)/articles?limit=5")
            #expect(articlesRedirect.status == .permanentRedirect)
            #expect(articlesRedirect.headers[.location] == "/stories/\(survivor)/articles?limit=5")
        }
    }
}

import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Related articles and tags")
struct RelatedTests {
    @Test("on the seeds, the articles about the same police operation rank above the unrelated one")
    func relatedSeeds() async throws {
        try await withApp { client in
            let all = try await client.get("/articles?limit=100").decoded(API.Page<API.ArticleSummary>.self).items
            let ids = Dictionary(uniqueKeysWithValues: all.map { ($0.title, $0.id) })
            let unrelated = try #require(ids.first { $0.key.hasPrefix("En av verdens") }?.value)
            let darkRoom = ids.values.filter { $0 != unrelated }
            #expect(darkRoom.count == 4)
            for id in darkRoom {
                let items = try await client.get("/articles/\(id)/related")
                    .decoded(API.Page<API.ArticleSummary>.self).items
                let order = items.map(\.id)
                #expect(!order.contains(id), "article \(id) is related to itself")
                let siblings = darkRoom.filter { $0 != id }
                #expect(Set(order.prefix(3)) == Set(siblings), "related to \(id): \(order)")
                let scores = items.compactMap(\.score)
                #expect(scores.count == items.count && scores == scores.sorted(by: >))
            }
            let limited = try await client.get("/articles/\(darkRoom[0])/related?limit=1")
            #expect(try limited.decoded(API.Page<API.ArticleSummary>.self).items.count == 1)
            #expect(try await client.get("/articles/99999/related").status == .notFound)
            #expect(try await client.get("/articles/1/related?limit=0").status == .badRequest)
        }
    }

    @Test("a tag's page lists the tags it co-occurs with, most shared first")
    func relatedTags() async throws {
        try await withApp { client in
            let related = try #require(try await client.get("/tags/norway").decoded(API.Tag.self).relatedTags)
            #expect(related.prefix(2).map(\.slug) == ["child", "porn"])
            #expect(related.first?.count == 2)
            #expect(!related.contains { $0.slug == "norway" })
            let list = try await client.get("/tags").decoded(API.Page<API.Tag>.self).items
            #expect(list.allSatisfy { $0.relatedTags == nil })
        }
    }
}

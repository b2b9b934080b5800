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
            let all = try await client.get("/articles?limit=100").object()["items"] as? [[String: Any]] ?? []
            let ids = Dictionary(uniqueKeysWithValues: all.map { ($0["title"] as! String, $0["id"] as! Int) })
            let unrelated = try #require(ids.first { $0.key.hasPrefix("En av verdens") }?.value)
            let darkRoom = ids.values.filter { $0 != unrelated }
            #expect(darkRoom.count == 4)
            for id in darkRoom {
                let items = try await client.get("/articles/\(id)/related").object()["items"] as? [[String: Any]] ?? []
                let order = items.compactMap { $0["id"] as? Int }
                #expect(!order.contains(id), "article \(id) is related to itself")
                let siblings = darkRoom.filter { $0 != id }
                #expect(Set(order.prefix(3)) == Set(siblings), "related to \(id): \(order)")
                let scores = items.compactMap { $0["score"] as? Double }
                #expect(scores.count == items.count && scores == scores.sorted(by: >))
            }
            let limited = try await client.get("/articles/\(darkRoom[0])/related?limit=1").object()
            #expect((limited["items"] as? [Any])?.count == 1)
            #expect(try await client.get("/articles/99999/related").status == .notFound)
            #expect(try await client.get("/articles/1/related?limit=0").status == .badRequest)
        }
    }

    @Test("a tag's page lists the tags it co-occurs with, most shared first")
    func relatedTags() async throws {
        try await withApp { client in
            let tag = try await client.get("/tags/norway").object()
            let related = tag["related_tags"] as? [[String: Any]] ?? []
            #expect(related.prefix(2).compactMap { $0["slug"] as? String } == ["child", "porn"])
            #expect(related.first?["count"] as? Int == 2)
            #expect(!related.contains { $0["slug"] as? String == "norway" })
            let list = try await client.get("/tags").object()["items"] as? [[String: Any]] ?? []
            #expect(list.allSatisfy { $0["related_tags"] == nil })
        }
    }
}

import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Sparse fields and facets")
struct FieldsAndFacetsTests {
    @Test("fields= keeps only the named fields, on lists and single resources; unknown names are 400")
    func sparseFields() async throws {
        try await withApp { client in
            let list = try await client.get("/articles?fields=id,title,source").object()
            let items = list["items"] as? [[String: Any]] ?? []
            #expect(items.count == 5)
            #expect(items.allSatisfy { Set($0.keys) == ["id", "title", "source"] })
            // Nested objects stay whole.
            #expect(items.contains { ($0["source"] as? [String: Any])?.keys.count == 3 })
            #expect(list["total"] as? Int == 5)
            let article = try await client.get("/articles/1?fields=body,external_id").object()
            #expect(Set(article.keys) == ["body", "external_id"])
            let tags = try await client.get("/tags?fields=slug").object()["items"] as? [[String: Any]] ?? []
            #expect(!tags.isEmpty && tags.allSatisfy { Set($0.keys) == ["slug"] })
            let source = try await client.get("/sources/nrk?fields=name,article_count").object()
            #expect(Set(source.keys) == ["name", "article_count"])
            let searched = try await client.get("/articles?q=police&fields=id,score,snippet").object()
            #expect(
                (searched["items"] as? [[String: Any]])?.allSatisfy { Set($0.keys) == ["id", "score", "snippet"] }
                    == true
            )
            for uri in [
                "/articles?fields=id,colour", "/articles/1?fields=shape", "/tags?fields=body", "/sources/nrk?fields=x",
            ] {
                let response = try await client.get(uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(
                    try response.decoded(API.Problem.self).invalidParams?.first?.name == "fields"
                )
            }
        }
    }

    @Test("facet counts equal a brute-force count over every matching article")
    func facetCounts() async throws {
        try await withApp { client in
            for filter in ["", "&language=en", "&q=police", "&q=norway&tag=child", "&from=2016-11-25"] {
                let faceted = try await client.get("/articles?limit=1&facets=tag,source,language,year" + filter)
                    .decoded(API.Page<API.ArticleSummary>.self)
                let facets = try #require(faceted.facets, "\(filter)")
                let all = try await client.get("/articles?limit=100" + filter).decoded(
                    API.Page<API.ArticleSummary>.self
                )
                #expect(faceted.total == all.items.count, "\(filter)")
                for (name, counts) in Self.facetCounts(of: all.items) {
                    let got = Dictionary(uniqueKeysWithValues: (facets[name] ?? []).map { ($0.value, $0.count) })
                    #expect(got == counts, "\(name) \(filter)")
                    let order = (facets[name] ?? []).map(\.count)
                    #expect(order == order.sorted(by: >))
                }
            }
            let plain = try await client.get("/articles").decoded(API.Page<API.ArticleSummary>.self)
            #expect(plain.facets == nil)
            let bad = try await client.get("/articles?facets=tag,colour")
            #expect(bad.status == .badRequest)
        }
    }

    /// Each facet's counts, counted over the articles themselves.
    static func facetCounts(of items: [API.ArticleSummary]) -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = ["tag": [:], "source": [:], "language": [:], "year": [:]]
        for item in items {
            for tag in item.tags { counts["tag"]![tag.slug, default: 0] += 1 }
            if let source = item.source { counts["source"]![source.slug, default: 0] += 1 }
            counts["language"]![item.language, default: 0] += 1
            if let date = item.publishedAt { counts["year"]![String(date.prefix(4)), default: 0] += 1 }
        }
        return counts
    }
}

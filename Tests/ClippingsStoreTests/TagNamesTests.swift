import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Summaries name their tags from `TagNames`, kept in memory per archive version: after every kind of
/// change to tags, a listing must name them as the join over the tag table does.
@Suite("Tag names in memory")
struct TagNamesTests {
    @Test("relinked, new and renamed tags show at once, as the join names them")
    func namesFollowChanges() async throws {
        let database = try AppDatabase.inMemory()
        var ids: [Int64] = []
        for number in 0..<12 {
            let article = Sample.article(
                "Harbour report \(number)",
                date: "2021-03-\(10 + number)",
                tags: ["Ferries", "Labour", "Storm"].shuffled().prefix(1 + number % 3).map { $0 },
                source: "Coast News"
            )
            ids.append(try await database.importArticle(article, now: Date()).articleID)
        }
        let query = {
            var query = ArticleQuery()
            query.limit = 50
            return query
        }()
        func compare(_ moment: Comment) async throws {
            let kept = try await database.articles(query).items.map {
                [$0.title] + $0.tags.map { "\($0.slug)=\($0.name)" }
            }
            let joined = try await database.writer.read { db in
                try ArticleLister.page(query, in: db).items.map { [$0.title] + $0.tags.map { "\($0.slug)=\($0.name)" } }
            }
            #expect(kept == joined, moment)
        }
        try await compare("imported")
        var changes = ArticleChanges()
        changes.tags = [Tag(slug: "fog", name: "Fog"), Tag(slug: "ferries", name: "Ferries")]
        _ = try await database.updateArticle(id: ids[0], changes, now: Date())
        try await compare("relinked, with a new tag")
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE tag SET name = 'Ferry lines' WHERE slug = 'ferries'")
        }
        try await compare("renamed")
        let renamed = try await database.articles(query).items.flatMap(\.tags).filter { $0.slug == "ferries" }
        #expect(!renamed.isEmpty && renamed.allSatisfy { $0.name == "Ferry lines" })
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE tag SET slug = 'ferry' WHERE slug = 'ferries'")
        }
        try await compare("slug changed")
        _ = try await database.deleteArticle(id: ids[1])
        try await compare("deleted")
    }
}

import ClippingsExtraction
import ClippingsPostgres
import ClippingsStore
import Foundation
import Testing

/// Reads through `--read-database-url`: a replica answers only when it has replayed the version the node
/// has seen, one that cannot be reached is set aside, and other processes' commits reach a node. A real
/// streaming replica runs in `scripts/reliability --only replicas`; here a second database of the same
/// schema stands in for one, so what each read came from shows in its answer.
@Suite("PostgreSQL read replicas", .enabled(if: StoreBackend.postgresURL != nil))
struct ReadReplicaTests {
    static func server() throws -> DatabaseURL { try DatabaseURL(try #require(StoreBackend.postgresURL)) }

    static func article(_ title: String) -> ExtractedArticle {
        ExtractedArticle(
            title: title,
            language: "en",
            paragraphs: ["\(title) was reported in full."],
            format: .plainText
        )
    }

    static func titles(_ store: PostgresArchive) async throws -> Set<String> {
        Set(try await store.articles(ArticleQuery()).items.map(\.title))
    }

    /// Polls until `condition` holds (a failure guard of 5 s, not a timing assertion).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test("a replica behind the node's version is not read; once it is past it, it takes the reads")
    func freshness() async throws {
        let primaryURL = try await ScratchDatabase.create(on: try Self.server(), prefix: "clippings_test")
        let standInURL = try await ScratchDatabase.create(on: try Self.server(), prefix: "clippings_test")
        let standIn = try await PostgresArchive.open(standInURL, connections: 2)
        defer { standIn.close() }
        _ = try await standIn.importArticle(Self.article("Only on the stand-in"))

        let node = try await PostgresArchive.open(primaryURL, replicas: [standInURL], connections: 2)
        defer { node.close() }
        // Each write moves the primary's version past the stand-in's.
        for title in ["Primary one", "Primary two", "Primary three"] {
            _ = try await node.importArticle(Self.article(title))
        }
        // Probed, so taking reads: but behind.
        #expect(try await Self.eventually { node.readRouting()?.replicas.map(\.available) == [true] })
        #expect(try await Self.titles(node) == ["Primary one", "Primary two", "Primary three"])
        var routing = try #require(node.readRouting())
        #expect(routing.replicaReads == 0 && routing.primaryReads > 0)

        // The stand-in moves past the primary's version: the node's reads go there.
        for index in 0..<8 { _ = try await standIn.importArticle(Self.article("Stand-in \(index)")) }
        #expect(try await Self.eventually { try await Self.titles(node).contains("Only on the stand-in") })
        routing = try #require(node.readRouting())
        #expect(routing.replicaReads > 0)

        // The node's own write needs a version the stand-in lacks now: read from the primary at once.
        for title in (0..<10).map({ "Fresh \($0)" }) {
            _ = try await node.importArticle(Self.article(title))
        }
        #expect(try await Self.titles(node).contains("Fresh 9"))
    }

    @Test("a replica that cannot be reached is set aside and the primary answers every read")
    func unreachable() async throws {
        let primaryURL = try await ScratchDatabase.create(on: try Self.server(), prefix: "clippings_test")
        var nowhere = primaryURL
        nowhere.host = "127.0.0.1"
        nowhere.port = 9  // discard: nothing listens
        let node = try await PostgresArchive.open(primaryURL, replicas: [nowhere], connections: 2)
        defer { node.close() }
        _ = try await node.importArticle(Self.article("Still served"))
        for _ in 0..<5 { #expect(try await Self.titles(node) == ["Still served"]) }
        let routing = try #require(node.readRouting())
        #expect(routing.replicas.map(\.available) == [false] && routing.replicaReads == 0)
    }

    @Test("another node's commit reaches this node's version without a read of its own")
    func otherNodesCommits() async throws {
        let url = try await ScratchDatabase.create(on: try Self.server(), prefix: "clippings_test")
        let first = try await PostgresArchive.open(url, connections: 2)
        defer { first.close() }
        let second = try await PostgresArchive.open(url, connections: 2)
        defer { second.close() }
        let before = try second.dataVersion()
        _ = try await first.importArticle(Self.article("Written through the first node"))
        await second.nextCommit(within: .seconds(5))
        #expect(try second.dataVersion() > before)
        #expect(try await Self.titles(second) == ["Written through the first node"])
    }
}

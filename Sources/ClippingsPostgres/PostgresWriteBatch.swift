import ClippingsStore
import Foundation

/// What the articles stored in one transaction leave to be kept once, at its end: their lexemes counted,
/// the archive's totals moved, their tags' and sources' counts recounted, their change numbers given (in
/// the order they were stored). One statement each per batch instead of per article.
final class WriteBatch {
    var created: [Int64] = []
    var tokens = 0
    var tags: Set<Int64> = []
    var sources: Set<Int64> = []
}

extension PostgresWriter {
    /// Stores articles in order under one batch; each one's outcome.
    func insert(_ articles: [PreparedArticle], stamp: String) async throws -> [ImportOutcome] {
        let batch = WriteBatch()
        try await stories.readFrequencies(of: articles.map(\.storyFeatures))
        var outcomes: [ImportOutcome] = []
        for article in articles { outcomes.append(try await insert(article, stamp: stamp, batch: batch)) }
        try await finish(batch, stamp: stamp)
        return outcomes
    }

    /// Keeps what the batch's articles left to keep.
    func finish(_ batch: WriteBatch, stamp: String) async throws {
        try await stories.finish()
        guard !batch.created.isEmpty else { return }
        try await countLexemes(of: batch.created, by: 1)
        try await adjustTotals(articles: batch.created.count, tokens: batch.tokens)
        try await recount(tags: Array(batch.tags))
        try await recount(sources: Array(batch.sources))
        try await markChanged(batch.created, stamp: stamp)
    }
}

import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// Articles like a given one, as SQLite's related articles are found: sharing its most distinctive words
/// (BM25 over an OR of them, the title weighted) and its tags (each weighted by its rarity).
struct PostgresRelated {
    let connection: PostgresConnection
    let logger: Logger

    /// The same numbers as SQLite's related articles, so both backends weigh words and tags alike.
    typealias Weights = RelatedFinder

    func articles(relatedTo id: Int64, limit: Int) async throws -> [ArticleSummary]? {
        let state = SQLBuilder()
        state.append(
            "SELECT articles, tokens, EXISTS (SELECT 1 FROM article WHERE id = \(state.bind(id))) FROM archive_state"
        )
        guard let row = try await connection.rows(state, logger: logger).first else { return nil }
        let (articles, tokens, exists) = try row.decode((Int64, Int64, Bool).self)
        guard exists else { return nil }
        let total = Double(articles)
        var scores: [Int64: Double] = [:]
        for match in try await textMatches(of: id, documents: total, tokens: tokens) {
            scores[match.id, default: 0] += match.score
        }
        let shared = SQLBuilder()
        shared.append(
            """
            SELECT other.article_id, t.article_count FROM article_tag mine
            JOIN article_tag other ON other.tag_id = mine.tag_id AND other.article_id != mine.article_id
            JOIN tag t ON t.id = mine.tag_id WHERE mine.article_id = \(shared.bind(id))
            """
        )
        for row in try await connection.rows(shared, logger: logger) {
            let (other, count) = try row.decode((Int64, Int).self)
            scores[other, default: 0] += Weights.relatedTagWeight * log((total + 1) / Double(max(count, 1)))
        }
        let ranked = RelatedFinder.best(scores, limit: limit)
        let byID = try await PostgresReads(connection: connection, logger: logger).summaries(ids: ranked.map(\.id))
        return RelatedFinder.scored(ranked, byID)
    }

    /// The articles (other than `id`) that best match any of its distinctive words, with their BM25 scores.
    private func textMatches(
        of id: Int64,
        documents: Double,
        tokens: Int64
    ) async throws -> [(id: Int64, score: Double)] {
        // Frequent in the article, rare in the archive (tf·idf), and in at least one other article.
        let words = SQLBuilder()
        let n = words.bind(documents)
        words.append(
            """
            SELECT m.lexeme, l.articles FROM (
                SELECT u.lexeme, coalesce(array_length(u.positions, 1), 1) AS tf
                FROM article a, unnest(a.search) u WHERE a.id = \(words.bind(id)) AND length(u.lexeme) > 2) m
            JOIN search_lexeme l ON l.lexeme = m.lexeme
            WHERE l.articles > 1 AND l.articles < greatest(2, \(n) * 0.5)
            ORDER BY m.tf * ln(\(n) / l.articles) DESC, m.lexeme LIMIT \(Weights.relatedTermCount)
            """
        )
        let terms = try await connection.rows(words, logger: logger).map { try $0.decode((String, Int64).self) }
        guard !terms.isEmpty else { return [] }
        let ranking = SearchRanking(
            rows: max(Int64(documents), 1),
            averageLength: max(Double(tokens) / max(documents, 1), 1),
            phraseRows: terms.map(\.1),
            newestID: 0
        )
        let sql = SQLBuilder()
        let score = PostgresSearch.score(lexemes: terms.map { [($0.0, false)] }, ranking: ranking, sql)
        // Lexemes from the archive itself, quoted: the tsquery holds no operator but the ORs between them.
        let tsquery = terms.map { SearchTokenizer.quoted($0.0) }.joined(separator: " | ")
        sql.append(
            """
            SELECT a.id, \(score) AS score FROM article a
            WHERE a.search @@ \(sql.bind(tsquery))::tsquery AND a.id != \(sql.bind(id))
            ORDER BY score DESC, a.id LIMIT \(Weights.relatedCandidates)
            """
        )
        return try await connection.rows(sql, logger: logger).map { try $0.decode((Int64, Double).self) }
    }
}

import Foundation
import GRDB

/// Articles and tags like a given one.
package enum RelatedFinder {
    /// How many of an article's most distinctive words stand in for it when looking for similar ones.
    package static let relatedTermCount = 16
    /// How much one shared tag counts against text similarity, per unit of the tag's rarity.
    package static let relatedTagWeight = 2.0

    /// The articles most like this one: sharing its rare words (BM25 over an OR of its most distinctive
    /// terms, the title weighted) and its tags (each weighted by rarity). The article itself never appears.
    /// Nil when there is no such article.
    static func articles(relatedTo id: Int64, limit: Int, in db: Database) throws -> [ArticleSummary]? {
        guard let article = try ArticleRecord.fetchOne(db, key: id) else { return nil }
        let total = Double(try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0)
        var scores: [Int64: Double] = [:]
        let terms = try distinctiveTerms(title: article.title, body: article.body, documents: total, in: db)
        for match in try textMatches(of: terms, excluding: id, in: db) {
            scores[match.id, default: 0] += match.score
        }
        for match in try RankedRow.fetchAll(
            db,
            sql: """
                SELECT other.article_id AS id, t.article_count AS score
                FROM article_tag mine
                JOIN article_tag other ON other.tag_id = mine.tag_id AND other.article_id != mine.article_id
                JOIN tag t ON t.id = mine.tag_id
                WHERE mine.article_id = ?
                """,
            arguments: [id]
        ) {
            // A shared rare tag says more than a shared common one (computed here: SQLite may lack ln()).
            scores[match.id, default: 0] += relatedTagWeight * log((total + 1) / match.score)
        }
        let ranked = best(scores, limit: limit)
        return scored(ranked, try ArticleReads.summaries(ids: ranked.map(\.id), in: db))
    }

    /// The `limit` best-scored articles, highest first, ties by id: the order every backend lists them in.
    package static func best(_ scores: [Int64: Double], limit: Int) -> [(id: Int64, score: Double)] {
        scores.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)
            .map { ($0.key, $0.value) }
    }

    /// The ranked articles' summaries, in rank order, each carrying its score.
    package static func scored(
        _ ranked: [(id: Int64, score: Double)],
        _ summaries: [Int64: ArticleSummary]
    ) -> [ArticleSummary] {
        ranked.compactMap { id, score in
            summaries[id].map { summary in
                var related = summary
                related.hit = SearchHit(score: score, snippet: nil)
                return related
            }
        }
    }

    /// The 200 articles (other than `id`) that best match any of `terms`, with their BM25 scores. From the
    /// postings' top-k ranking, which stops once no other article can enter the 200, where it can answer;
    /// else FTS5, which scores every match (an article whose distinctive words are common has tens of
    /// thousands). Both score as `bm25()` does.
    static func textMatches(
        of terms: [String],
        excluding id: Int64,
        in db: Database
    ) throws -> [(id: Int64, score: Double)] {
        guard !terms.isEmpty else { return [] }
        let expression = orExpression(terms)
        var query = ArticleQuery()
        query.search = try? SearchQuery(expression)
        query.sort = .relevance
        query.limit = relatedCandidates + 1
        if let search = query.search, let page = try PostingsRanker.page(query, search, in: db) {
            return Array(page.rows.filter { $0.id != id }.prefix(relatedCandidates))
        }
        return try ftsMatches(expression, excluding: id, in: db)
    }

    /// The same from FTS5 alone: the fallback, and the reference the tests compare the postings with.
    static func ftsMatches(
        _ expression: String,
        excluding id: Int64,
        in db: Database
    ) throws -> [(
        id: Int64, score: Double
    )] {
        try RankedRow.fetchAll(
            db,
            sql: """
                SELECT rowid AS id, -bm25(article_fts, \(SearchRankingFunctions.weights)) AS score FROM article_fts
                WHERE article_fts MATCH ? AND rowid != ? ORDER BY score DESC LIMIT \(relatedCandidates)
                """,
            arguments: [expression, id]
        ).map { ($0.id, $0.score) }
    }

    /// `"a" OR "b" OR …`: each term quoted, as the search language and FTS5 both read it.
    static func orExpression(_ terms: [String]) -> String {
        terms.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: " OR ")
    }

    /// How many text matches are weighed with the shared tags.
    package static let relatedCandidates = 200

    /// The article's words that best tell it apart: frequent in it, rare in the archive (tf·idf), and found
    /// in at least one other article. Words are taken as the index stores them (folded, stemmed).
    static func distinctiveTerms(title: String, body: String, documents: Double, in db: Database) throws -> [String] {
        let tokenizer = try db.makeTokenizer(ArchiveTokenizer.tokenizerDescriptor())
        var frequencies: [String: Double] = [:]
        for (token, _) in try tokenizer.tokenize(document: title + "\n" + body) where token.count > 2 {
            frequencies[token, default: 0] += 1
        }
        guard !frequencies.isEmpty else { return [] }
        var weights: [(term: String, weight: Double)] = []
        let candidates = Array(frequencies.keys)
        for chunk in stride(from: 0, to: candidates.count, by: 500).map({
            Array(candidates[$0..<min($0 + 500, candidates.count)])
        }) {
            let placeholders = ArticleReads.placeholders(chunk.count)
            for row in try VocabularyRow.fetchAll(
                db,
                // The postings' own counts (`search_term`, kept equal to FTS5's by the write path, as `clippings
                // check` verifies): fts5vocab answers `term IN (…)` by walking the whole vocabulary.
                sql: "SELECT term, articles AS doc FROM search_term WHERE term IN (\(placeholders))",
                arguments: StatementArguments(chunk)
            ) {
                let term = row.term
                let documentCount = row.documents
                // Words only this article uses cannot connect it to another; words in most articles say little.
                guard documentCount > 1, documentCount < max(2, documents * 0.5) else { continue }
                weights.append((term, (frequencies[term] ?? 0) * log(documents / documentCount)))
            }
        }
        return weights.sorted { ($0.weight, $1.term) > ($1.weight, $0.term) }.prefix(relatedTermCount).map(\.term)
    }

    /// The tags that label the same articles as this one, most shared first.
    static func tags(relatedTo slug: String, limit: Int, in db: Database) throws -> [(tag: TagRef, count: Int)] {
        try TagCountRow.fetchAll(
            db,
            sql: """
                SELECT t.slug, t.name, COUNT(*) AS count
                FROM tag me JOIN article_tag mine ON mine.tag_id = me.id
                JOIN article_tag other ON other.article_id = mine.article_id AND other.tag_id != me.id
                JOIN tag t ON t.id = other.tag_id
                WHERE me.slug = ? GROUP BY t.id ORDER BY count DESC, t.name, t.slug LIMIT ?
                """,
            arguments: [slug, limit]
        ).map { ($0.tag, $0.count) }
    }
}

/// A tag and a number of articles.
struct TagCountRow: FetchableRecord {
    var tag: TagRef
    var count: Int

    init(row: Row) {
        tag = TagRef(itemRow: row, at: 0)
        count = row["count"]
    }
}

/// A term of the full-text index and how many articles hold it.
struct VocabularyRow: FetchableRecord {
    var term: String
    var documents: Double

    init(row: Row) {
        term = row["term"]
        documents = row["doc"]
    }
}

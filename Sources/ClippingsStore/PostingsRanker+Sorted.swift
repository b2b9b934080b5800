import Foundation
import GRDB

extension PostingsRanker {
    /// A page of a search sorted by date or title: its matches from the postings as bits (less what the
    /// filters leave out), then the order's index walked from the cursor, keeping the matches, until the
    /// page is full; scores for the page's articles. When the matches are many, that is: the walk finds
    /// a page within about `limit` × articles ÷ matches entries, where a sort reads every match's row;
    /// when they are few, their rows are sorted. Nil when the postings cannot answer.
    static func sortedPage(
        _ query: ArticleQuery,
        _ search: SearchQuery,
        order: ArticleOrder,
        memo: MatchMemo? = nil,
        in db: Database
    ) throws -> (rows: [(id: Int64, score: Double)], total: Int, more: Bool)? {
        guard query.sort != .relevance, let phrases = try postings(search, in: db) else { return nil }
        let matches = try matchSet(search, phrases, filter: ArticleFilter(query), memo: memo, in: db)
        let total = matches.count
        let articles = try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0
        var ids: [Int64] = []
        if total * total > (query.limit + 1) * articles {
            // Many: the order's index walked, as the listing reads it (from the start, or the seekable parts
            // after a cursor), keeping the matches.
            let parts = try query.cursor.map { try order.seekParts(after: $0) } ?? [("1", [], order.orderBy)]
            walk: for part in parts {
                let walked = try Int64.fetchCursor(
                    db,
                    sql:
                        "SELECT a.id FROM article a INDEXED BY \(order.index) WHERE \(part.sql) ORDER BY \(part.order)",
                    arguments: part.arguments
                )
                while let id = try walked.next() {
                    guard matches.contains(id) else { continue }
                    ids.append(id)
                    if ids.count > query.limit { break walk }
                }
            }
        } else if total > 0 {
            // Few: their rows sorted.
            let after: ArticleOrder.Condition = try query.cursor.map { try order.condition(after: $0) } ?? ("1", [])
            let list = "[" + matches.ids.map(String.init).joined(separator: ",") + "]"
            var arguments: StatementArguments = [list]
            arguments += after.arguments
            arguments += [query.limit + 1]
            ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT a.id FROM article a WHERE a.id IN (SELECT value FROM json_each(?)) AND \(after.sql)
                    ORDER BY \(order.orderBy) LIMIT ?
                    """,
                arguments: arguments
            )
        }
        let more = ids.count > query.limit
        if more { ids.removeLast() }
        return (try scores(of: ids, search, phrases, in: db), total, more)
    }

    /// The BM25 scores of the given matches, in their order: each one's postings sought in each phrase's
    /// terms (a block apiece), added in the query's order as `rankEveryMatch` adds them.
    private static func scores(
        of ids: [Int64],
        _ search: SearchQuery,
        _ phrases: [[TermPostings]],
        in db: Database
    ) throws -> [(id: Int64, score: Double)] {
        guard !ids.isEmpty else { return [] }
        let statistics = try current(phrases, in: db)
        let idf = phrases.indices.map { index in
            SearchRankingFunctions.idf(rows: Double(statistics.rows), hits: Double(statistics.phraseRows[index]))
        }
        let required = search.required.joined().count
        return try ids.map { id in
            var score = 0.0
            for index in 0..<required {
                var occurrences: Posting? = nil
                for list in phrases[index] {
                    guard let posting = try list.posting(of: id, in: db) else { continue }
                    occurrences = occurrences?.adding(posting) ?? posting
                }
                guard let occurrences else { continue }
                score += SearchRankingFunctions.termScore(
                    idf: idf[index],
                    frequency: occurrences.impact.frequency,
                    length: Double(occurrences.length),
                    averageLength: statistics.averageLength
                )
            }
            return (id: id, score: score)
        }
    }
}

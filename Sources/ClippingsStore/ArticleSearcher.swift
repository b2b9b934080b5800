import Foundation
import GRDB

/// Pages of full-text searches: ranked from the search postings when they can answer (`PostingsRanker`),
/// otherwise by FTS5, every match ranked by BM25 on ids alone; then summaries and snippets built for the
/// page's rows only (excerpting every match would cost more than ranking them).
enum ArticleSearcher {
    /// The page's rows; for a phrase, the number of matches over all pages when the page has a row to
    /// carry it (counted before the cursor's condition; nil leaves the count to the listing's total); and
    /// whether more matches follow the page.
    static func page(
        _ query: ArticleQuery,
        _ search: SearchQuery,
        order: ArticleOrder,
        postings: Bool = true,
        memo: MatchMemo? = nil,
        in db: Database
    ) throws -> (items: [ArticleSummary], matches: Int?, more: Bool, ranking: SearchRanking?) {
        if postings, let page = try PostingsRanker.page(query, search, memo: memo, in: db) {
            let items = try hits(page.rows, search, titleOnly: page.titleOnly, in: db)
            return (items, page.total, page.more, page.more ? page.ranking : nil)
        }
        if postings, let page = try PostingsRanker.sortedPage(query, search, order: order, memo: memo, in: db) {
            return (try hits(page.rows, search, in: db), page.total, page.more, nil)
        }
        let filter = ArticleFilter(query)
        // Ranked by relevance, later pages score with the statistics of the first (carried by the cursor,
        // `SearchRanking`) and rank only the articles that existed then: pages neither repeat nor skip
        // across writes. The first page reads the statistics first and scores with them as a later page
        // does, the very scores of FTS5's bm25(): bm25() would read them again, and a phrase's are a check
        // of every match's positions. No statistics: nothing matches.
        var carried: SearchRanking? = nil
        var bound = ""
        if query.sort == .relevance {
            if let ranking = query.cursor?.ranking {
                // The cursor's scope says it is this search's; its numbers must at least be statistics.
                guard ranking.isPlausible else { throw QueryError.invalidCursor }
                carried = ranking
                bound = " AND article_fts.rowid <= \(ranking.newestID)"
            } else {
                guard let ranking = try SearchRanking.current(for: search, in: db) else {
                    return ([], query.cursor == nil ? 0 : nil, false, nil)
                }
                carried = ranking.isPlausible ? ranking : nil
            }
        }
        var score: (sql: String, arguments: StatementArguments) = (
            "-bm25(article_fts, \(SearchRankingFunctions.weights))", []
        )
        if let carried { score = carried.score }
        // Ranked by relevance with no filter, the index alone answers: no article row is read per match.
        // With a filter, `CROSS JOIN` keeps the index first: driven from a filter's index, SQLite asked FTS5
        // for each filtered article by rowid, each a search of its own (a phrase in Norwegian: 1.4 s).
        let indexOnly = query.sort == .relevance && filter.isEmpty
        var sql =
            indexOnly
            ? """
            SELECT rowid AS id, \(score.sql) AS score FROM article_fts WHERE article_fts MATCH ?\(bound)
            """
            : """
            SELECT a.id, a.published_at, a.title_key, \(score.sql) AS score
            FROM article_fts CROSS JOIN article a ON a.id = article_fts.rowid
            WHERE article_fts MATCH ? AND \(filter.sql)\(bound)
            """
        // A phrase's matches are counted in the ranking pass, by a window over the ranked matches (an FTS5
        // auxiliary function cannot run inside a window query, hence the wrapping): a second search would
        // check every match's positions again. Words are counted apart: their doclists alone answer.
        let countsMatches = search.hasPhrase
        sql =
            countsMatches
            ? "SELECT * FROM (SELECT *, COUNT(*) OVER () AS matches FROM (\(sql))) a WHERE 1"
            : "SELECT * FROM (\(sql)) a WHERE 1"
        var arguments: StatementArguments = score.arguments + [search.ftsExpression] + filter.arguments
        if let cursor = query.cursor {
            let condition = try order.condition(after: cursor)
            sql += " AND " + condition.sql
            arguments += condition.arguments
        }
        let rows = try RankedRow.fetchAll(
            db,
            sql: "\(sql) ORDER BY \(order.orderBy) LIMIT ?",
            arguments: arguments + [query.limit + 1]
        )
        guard !rows.isEmpty else { return ([], nil, false, carried) }
        let more = rows.count > query.limit
        // The statistics for the next page's cursor, read in this page's snapshot: those bm25() just used.
        let ranking = more ? carried : nil
        let items = try hits(rows.prefix(query.limit).map { ($0.id, $0.score) }, search, in: db)
        return (items, rows[0].matches, more, ranking)
    }

    /// The page's articles, in rank order, with their scores and snippets (`titleOnly`: those whose bodies
    /// are known to hold no match). Each hit's row is read once, for its summary and its excerpt.
    static func hits(
        _ ranked: [(id: Int64, score: Double)],
        _ search: SearchQuery,
        titleOnly: Set<Int64> = [],
        in db: Database
    ) throws
        -> [ArticleSummary]
    {
        guard !ranked.isEmpty else { return [] }
        let maker = try SnippetMaker(search, in: db)
        var rows: [ArticleSummaryRow] = []
        var snippets: [Int64: String] = [:]
        let cursor = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT \(ArticleSummaryRow.columns), a.body FROM \(ArticleSummaryRow.from)
                    WHERE a.id IN (\(ArticleReads.placeholders(ranked.count)))
                    """
            ),
            arguments: StatementArguments(ranked.map(\.id))
        )
        while let row = try cursor.next() {
            let summary = ArticleSummaryRow(row: row)
            rows.append(summary)
            snippets[summary.id] = try snippet(of: row, titleOnly: titleOnly.contains(summary.id), maker: maker)
        }
        let summaries = Dictionary(uniqueKeysWithValues: try ArticleReads.summaries(rows, in: db).map { ($0.id, $0) })
        return ranked.compactMap { row in
            summaries[row.id].map { summary in
                var hit = summary
                hit.hit = SearchHit(score: row.score, snippet: snippets[row.id] ?? "")
                return hit
            }
        }
    }

    /// An excerpt around the matches of a hit, escaped, with the matches in `<mark>`: made from the stored
    /// text with bounded work (`SnippetMaker`), whatever the article's length. The text's bytes as stored
    /// (a `String` would be checked as UTF-8 only to be taken apart again); the body cut here to the part
    /// scanned and a byte more, to tell that it goes on (SQLite's `substr()` counts characters, which cost
    /// more than reading the column), and not copied at all when it holds no match (the title has it).
    private static func snippet(of row: Row, titleOnly: Bool, maker: SnippetMaker) throws -> String {
        let title = try row.withUnsafeData(atIndex: 2) { Array($0 ?? Data()) }
        let body =
            titleOnly
            ? []
            : try row.withUnsafeData(atIndex: row.count - 1) {
                Array(($0 ?? Data()).prefix(SnippetMaker.scanLimit + 1))
            }
        return try maker.snippet(title: title, body: body)
    }
}

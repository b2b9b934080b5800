import Foundation
import GRDB

/// Pages of unsearched article listings and the totals of any listing: keyset pagination over the order's
/// index, so a deep page costs what the first does and pages stay right while articles are added.
enum ArticleLister {
    /// One page of articles matching the query (searched or not), with the total and the next cursor.
    /// `postings`: whether a search may be ranked from the search postings (false: FTS5, the reference).
    /// `memo`: where the search's matches are kept for its facets.
    static func page(
        _ query: ArticleQuery,
        postings: Bool = true,
        memo: MatchMemo? = nil,
        in db: Database
    ) throws -> Page<ArticleSummary> {
        let order = ArticleOrder.of(query.sort)
        var items: [ArticleSummary]
        var total: Int?
        var more: Bool
        var ranking: SearchRanking?
        if let search = query.search {
            (items, total, more, ranking) = try ArticleSearcher.page(
                query,
                search,
                order: order,
                postings: postings,
                memo: memo,
                in: db
            )
        } else {
            // Counted once, for the plan of the page and for its total.
            let links = try tagLinks(query, in: db)
            let counted = try self.total(query, tagLinks: links, in: db)
            items = try listPage(query, tagLinks: links, matches: query.countsTotal ? counted : nil, in: db)
            total = counted
            more = items.count > query.limit
            if more { items.removeLast() }
        }
        let next =
            more
            ? items.last.map { item in
                var cursor = order.cursor(after: item, scope: query.scope)
                cursor.ranking = ranking
                return cursor.token
            } : nil
        return Page(items: items, total: try total ?? self.total(query, in: db), nextCursor: next)
    }

    /// How many articles match, over all pages (0 when the query does not ask).
    static func total(_ query: ArticleQuery, tagLinks: Int? = nil, in db: Database) throws -> Int {
        guard query.countsTotal else { return 0 }
        if query.search == nil, ArticleFilter(query).isEmpty {
            // Nothing filtered: the archive's size, which a trigger keeps (v5), rather than a count of every row.
            return try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0
        }
        if query.tags.count == 1, query.search == nil, query.sources.isEmpty, query.languages.isEmpty,
            query.authors.isEmpty, query.stories.isEmpty, query.updatedAfter == nil, query.updatedBefore == nil
        {
            // One tag, perhaps a date range: one link per article, so its links are the total.
            return try tagLinks ?? self.tagLinks(query, in: db) ?? 0
        }
        let (matches, arguments) = ArticleFilter.matchingIDs(query)
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(matches))", arguments: arguments) ?? 0
    }

    /// One page (plus one row, to tell whether another follows) of an unsearched listing.
    static func listPage(
        _ query: ArticleQuery,
        tagLinks: Int? = nil,
        matches: Int? = nil,
        in db: Database
    ) throws -> [ArticleSummary] {
        let (sql, arguments) = try listSQL(query, tagLinks: tagLinks, matches: matches, in: db)
        return try ArticleReads.summaries(sql: sql, arguments: arguments, in: db)
    }

    /// The statement for one page of an unsearched listing.
    static func listSQL(
        _ query: ArticleQuery,
        tagLinks: Int? = nil,
        matches: Int? = nil,
        in db: Database
    ) throws -> (String, StatementArguments) {
        let order = ArticleOrder.of(query.sort)
        let ordered = try walksInOrder(query, tagLinks: tagLinks, matches: matches, in: db)
        let filter = ArticleFilter(query, tagsByMembership: ordered)
        let from =
            ordered ? "article a INDEXED BY \(order.index) LEFT JOIN source s ON s.id = a.source_id" : nil
        let select = "SELECT \(ArticleSummaryRow.columns) FROM \(from ?? ArticleSummaryRow.from) WHERE \(filter.sql)"
        let limit = query.limit + 1
        // A date range holds dated articles only: ordered without the undated-last term, the order's index
        // gives the page without sorting the range.
        let firstOrder = (query.from != nil || query.until != nil ? order.datedOrderBy : nil) ?? order.orderBy
        let parts = try query.cursor.map { try order.seekParts(after: $0) } ?? [("1", [], firstOrder)]
        var arguments = StatementArguments()
        for part in parts { arguments += filter.arguments + part.arguments + [limit] }
        // One part is one ordered read. A date cursor has two: the dated rest, then the undated articles
        // (which come last); each seeks its own range of the order's index, and together they hold the page.
        let sql =
            parts.count == 1
            ? "\(select) AND \(parts[0].sql) ORDER BY \(parts[0].order) LIMIT ?"
            : "SELECT * FROM ("
                + parts.map { "SELECT * FROM (\(select) AND \($0.sql) ORDER BY \($0.order) LIMIT ?)" }
                .joined(separator: " UNION ALL ") + ") a ORDER BY \(order.orderBy) LIMIT ?"
        if parts.count > 1 { arguments += [limit] }
        return (sql, arguments)
    }

    /// Tag links above which a tag-filtered list is read by walking the sort order's index, testing each
    /// article for the tag, instead of collecting every tagged article and sorting them.
    static let orderedWalkThreshold = 2_000

    /// Whether a filtered listing should walk the order's index: for a common tag the first page is a few
    /// dozen rows into the index, while collecting and sorting all its articles grows with the tag. A rare
    /// tag is the opposite, and so is a common tag over a range that holds few of its articles: the links in
    /// the range decide. A common language or source is walked too (`matches`, the listing's total,
    /// decides): SQLite picks the filter's index and sorts every match, by title, or by date and id, which
    /// the filter's (value, date) index does not order (70 000 articles in English: half a second).
    static func walksInOrder(
        _ query: ArticleQuery,
        tagLinks: Int? = nil,
        matches: Int? = nil,
        in db: Database
    ) throws -> Bool {
        guard query.sort != .relevance, query.search == nil else { return false }
        guard query.tags.isEmpty else {
            return try (tagLinks ?? self.tagLinks(query, in: db) ?? 0) > orderedWalkThreshold
        }
        guard !query.languages.isEmpty || !query.sources.isEmpty, let matches else { return false }
        return matches > orderedWalkThreshold
    }

    /// The query's tag links within its date range (nil without tags): each tag's kept count (v4) when
    /// there is no range, otherwise a range of the tag-and-date index (v6).
    static func tagLinks(_ query: ArticleQuery, in db: Database) throws -> Int? {
        guard !query.tags.isEmpty else { return nil }
        let tags = ArticleFilter.named("tag", query.tags)
        guard query.from != nil || query.until != nil else {
            return try Int.fetchOne(
                db,
                sql: "SELECT TOTAL(article_count) FROM tag WHERE id IN (\(tags.sql))",
                arguments: tags.arguments
            ) ?? 0
        }
        let range = DateRange(query, column: "published_at")
        return try Int.fetchOne(
            db,
            sql: "SELECT COUNT(*) FROM article_tag WHERE tag_id IN (\(tags.sql))\(range.sql)",
            arguments: tags.arguments + range.arguments
        ) ?? 0
    }
}

import ClippingsExtraction
import Foundation
import GRDB

extension AppDatabase {
    /// One page of articles matching the query, with the total number of matches.
    public func articles(_ query: ArticleQuery) async throws -> Page<ArticleSummary> {
        if let cursor = query.cursor, cursor.order != query.sort.rawValue { throw QueryError.invalidCursor }
        if query.sort == .relevance, query.search == nil { throw QueryError.relevanceWithoutSearch }
        return try await writer.read { db in
            var items: [ArticleSummary]
            var total: Int?
            var more: Bool
            if let search = query.search {
                (items, total, more) = try Self.searchPage(query, search, in: db)
            } else {
                // Counted once, for the plan of the page and for its total.
                let links = try Self.tagLinks(query, in: db)
                items = try Self.listPage(query, tagLinks: links, in: db)
                total = try Self.total(query, tagLinks: links, in: db)
                more = items.count > query.limit
                if more { items.removeLast() }
            }
            let next = more ? items.last.map { Self.cursor(after: $0, sort: query.sort).token } : nil
            return Page(items: items, total: try total ?? Self.total(query, in: db), nextCursor: next)
        }
    }

    /// How many articles match, over all pages (0 when the query does not ask).
    static func total(_ query: ArticleQuery, tagLinks: Int? = nil, in db: Database) throws -> Int {
        guard query.countsTotal else { return 0 }
        if query.search == nil, ArticleFilter(query).isEmpty {
            // Nothing filtered: the archive's size, which a trigger keeps (v5), not a count of a million rows.
            return try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0
        }
        if query.tags.count == 1, query.search == nil, query.sources.isEmpty, query.languages.isEmpty,
            query.authors.isEmpty
        {
            // One tag, perhaps a date range: one link per article, so its links are the total.
            return try tagLinks ?? Self.tagLinks(query, in: db) ?? 0
        }
        let (matches, arguments) = matchingIDs(query)
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(matches))", arguments: arguments) ?? 0
    }

    /// One page (plus one row, to tell whether another follows) of an unsearched listing.
    static func listPage(_ query: ArticleQuery, tagLinks: Int? = nil, in db: Database) throws -> [ArticleSummary] {
        let (sql, arguments) = try listSQL(query, tagLinks: tagLinks, in: db)
        return try summaries(Row.fetchAll(db, sql: sql, arguments: arguments), in: db)
    }

    /// The statement for one page of an unsearched listing.
    static func listSQL(
        _ query: ArticleQuery,
        tagLinks: Int? = nil,
        in db: Database
    ) throws -> (String, StatementArguments) {
        let ordered = try walksInOrder(query, tagLinks: tagLinks, in: db)
        let filter = ArticleFilter(query, tagsByMembership: ordered)
        let from =
            ordered ? "article a INDEXED BY \(orderIndex(query.sort)) LEFT JOIN source s ON s.id = a.source_id" : nil
        let select = "SELECT \(summaryColumns) FROM \(from ?? summarySource) WHERE \(filter.sql)"
        let order = orderBy(query.sort)
        let limit = query.limit + 1
        // A date range holds dated articles only: ordered without the undated-last term, the order's index
        // gives the page with no sort (that term made SQLite sort the whole range: 1.4 s at 1 000 000).
        let firstOrder = (query.from != nil || query.until != nil ? datedOrder(query.sort) : nil) ?? order
        let parts = try query.cursor.map { try seekableKeyset(after: $0, sort: query.sort) } ?? [("1", [], firstOrder)]
        var arguments = StatementArguments()
        for part in parts { arguments += filter.arguments + part.arguments + [limit] }
        // One part is one ordered read. A date cursor has two: the dated rest, then the undated articles
        // (which come last); each seeks its own range of the order's index, and together they hold the page.
        let sql =
            parts.count == 1
            ? "\(select) AND \(parts[0].sql) ORDER BY \(parts[0].order) LIMIT ?"
            : "SELECT * FROM ("
                + parts.map { "SELECT * FROM (\(select) AND \($0.sql) ORDER BY \($0.order) LIMIT ?)" }
                .joined(separator: " UNION ALL ") + ") a ORDER BY \(order) LIMIT ?"
        if parts.count > 1 { arguments += [limit] }
        return (sql, arguments)
    }

    /// The rows after a cursor in a listing's order, as conditions an index can seek to, each with the
    /// order within it: a deep page must cost what the first does. (`a.published_at < ? OR … OR
    /// a.published_at IS NULL` made SQLite read the index from its start to the cursor, and ordering a part
    /// by the constant `(published_at IS NULL)` made it sort: 27 ms and 67 s at page 2 500 of a million.)
    static func seekableKeyset(
        after cursor: Cursor,
        sort: ArticleQuery.Sort
    ) throws -> [(sql: String, arguments: StatementArguments, order: String)] {
        guard let id = Int64(cursor.last) else { throw QueryError.invalidCursor }
        let dated = "(a.published_at IS NULL) = 0 AND a.published_at"
        let undated = "(a.published_at IS NULL) = 1 AND a.published_at IS NULL"
        switch (sort, cursor.key) {
        case (.newest, let key?):
            return [
                ("\(dated) <= ? AND (a.published_at < ? OR a.id < ?)", [key, key, id], datedOrder(.newest)!),
                (undated, [], "a.id DESC"),
            ]
        case (.oldest, let key?):
            return [
                ("\(dated) >= ? AND (a.published_at > ? OR a.id > ?)", [key, key, id], datedOrder(.oldest)!),
                (undated, [], "a.id"),
            ]
        case (.newest, nil):
            return [("\(undated) AND a.id < ?", [id], "a.id DESC")]
        case (.oldest, nil):
            return [("\(undated) AND a.id > ?", [id], "a.id")]
        case (.title, let key?):
            return [("a.title_key >= ? AND (a.title_key > ? OR a.id > ?)", [key, key, id], "a.title_key, a.id")]
        case (.title, nil), (.relevance, _):
            throw QueryError.invalidCursor
        }
    }

    /// A date order among dated articles alone: what the order's index yields once its first column,
    /// `(published_at IS NULL)`, is pinned to 0.
    static func datedOrder(_ sort: ArticleQuery.Sort) -> String? {
        switch sort {
        case .newest: "a.published_at DESC, a.id DESC"
        case .oldest: "a.published_at, a.id"
        case .title, .relevance: nil
        }
    }

    /// Tag links above which a tag-filtered list is read by walking the sort order's index, testing each
    /// article for the tag, instead of collecting every tagged article and sorting them.
    static let orderedWalkThreshold = 2_000

    /// Whether a listing filtered by tags should walk the order's index: for a common tag (42 % of the
    /// articles carry the commonest generated one) the first page is a few dozen rows into the index, while
    /// collecting and sorting its 42 000 articles took 50–170 ms at 100 000. A rare tag is the opposite, and
    /// so is a common tag over a range that holds few of its articles: the links in the range decide.
    static func walksInOrder(_ query: ArticleQuery, tagLinks: Int? = nil, in db: Database) throws -> Bool {
        guard !query.tags.isEmpty, query.sort != .relevance else { return false }
        return try (tagLinks ?? Self.tagLinks(query, in: db) ?? 0) > orderedWalkThreshold
    }

    /// The query's tag links within its date range (nil without tags): each tag's kept count (v4) when
    /// there is no range, otherwise a range of the tag-and-date index (v6).
    static func tagLinks(_ query: ArticleQuery, in db: Database) throws -> Int? {
        guard !query.tags.isEmpty else { return nil }
        let placeholders = Array(repeating: "?", count: query.tags.count).joined(separator: ",")
        guard query.from != nil || query.until != nil else {
            return try Int.fetchOne(
                db,
                sql: "SELECT TOTAL(article_count) FROM tag WHERE slug IN (\(placeholders))",
                arguments: StatementArguments(query.tags)
            ) ?? 0
        }
        let range = DateRange(query, column: "published_at")
        return try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM article_tag
                WHERE tag_id IN (SELECT id FROM tag WHERE slug IN (\(placeholders)))\(range.sql)
                """,
            arguments: StatementArguments(query.tags) + range.arguments
        ) ?? 0
    }

    /// The index that reads articles in a sort order (see the v1 migration).
    static func orderIndex(_ sort: ArticleQuery.Sort) -> String {
        switch sort {
        case .newest, .relevance: "article_by_newest"
        case .oldest: "article_by_oldest"
        case .title: "article_on_title_key"
        }
    }

    /// One page of a search: ranks every match by BM25 on ids alone, then builds summaries and snippets
    /// for the page's rows only (excerpting every match would cost more than the ranking; the row ranked
    /// after the page only tells that more follow: snippets are a fifth of a search's CPU).
    /// The page's rows, for a phrase the number of matches over all pages when the page has a row to
    /// carry it (counted before the cursor's condition; nil leaves the count to `total`), and whether more
    /// matches follow the page.
    static func searchPage(
        _ query: ArticleQuery,
        _ search: SearchQuery,
        in db: Database
    ) throws -> (items: [ArticleSummary], matches: Int?, more: Bool) {
        let filter = ArticleFilter(query)
        // Ranked by relevance with no filter, the index alone answers: no article row is read per match.
        let indexOnly = query.sort == .relevance && filter.isEmpty
        var sql =
            indexOnly
            ? """
            SELECT rowid AS id, -bm25(article_fts, 10.0, 1.0) AS score FROM article_fts WHERE article_fts MATCH ?
            """
            : """
            SELECT a.id, a.published_at, a.title_key, -bm25(article_fts, 10.0, 1.0) AS score
            FROM article_fts JOIN article a ON a.id = article_fts.rowid
            WHERE article_fts MATCH ? AND \(filter.sql)
            """
        // A phrase's matches are counted in the ranking pass, a window over the ranked matches (bm25() cannot
        // run inside a window query, hence the wrapping): a second search for `total` would check every
        // match's positions again. Words are counted apart: their doclists alone answer, and buffering every
        // ranked match for the window cost more (7–15 % slower at 100 000 and 1 000 000).
        let countsMatches = search.hasPhrase
        sql =
            countsMatches
            ? "SELECT * FROM (SELECT *, COUNT(*) OVER () AS matches FROM (\(sql))) a WHERE 1"
            : "SELECT * FROM (\(sql)) a WHERE 1"
        var arguments: StatementArguments = [search.ftsExpression] + filter.arguments
        if let cursor = query.cursor {
            let keyset = try keyset(after: cursor, sort: query.sort)
            sql += " AND " + keyset.sql
            arguments += keyset.arguments
        }
        let rows = try Row.fetchAll(
            db,
            sql: "\(sql) ORDER BY \(orderBy(query.sort)) LIMIT ?",
            arguments: arguments + [query.limit + 1]
        )
        let ranked = rows.prefix(query.limit).map { (id: $0["id"] as Int64, score: $0["score"] as Double) }
        guard !rows.isEmpty else { return ([], nil, false) }
        let matches: Int? = countsMatches ? rows[0]["matches"] : nil
        let placeholders = Array(repeating: "?", count: ranked.count).joined(separator: ",")
        let ids = StatementArguments(ranked.map(\.id))
        let summaryRows = try Row.fetchAll(
            db,
            sql: "\(summarySelect) WHERE a.id IN (\(placeholders))",
            arguments: ids
        )
        let byID = Dictionary(uniqueKeysWithValues: try summaries(summaryRows, in: db).map { ($0.id, $0) })
        var snippets: [Int64: String] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT rowid AS id, snippet(article_fts, -1, char(57344), char(57345), '…', 24) AS snippet
                FROM article_fts WHERE article_fts MATCH ? AND rowid IN (\(placeholders))
                """,
            arguments: [search.ftsExpression] + ids
        ) {
            snippets[row["id"]] = markSnippet(row["snippet"])
        }
        let items = ranked.compactMap { id, score in
            byID[id].map { summary in
                var hit = summary
                hit.hit = SearchHit(score: score, snippet: snippets[id] ?? "")
                return hit
            }
        }
        return (items, matches, rows.count > query.limit)
    }

    /// The article with this id, or nil.
    public func article(id: Int64) async throws -> ArticleDetail? {
        try await article(where: "a.id = ?", id)
    }

    /// Whole articles for a page of summaries, in the same order: bodies, categories, links and images
    /// fetched in one query each.
    public func details(of summaries: [ArticleSummary]) async throws -> [ArticleDetail] {
        try await writer.read { db in try Self.details(of: summaries, in: db) }
    }

    static func details(of summaries: [ArticleSummary], in db: Database) throws -> [ArticleDetail] {
        guard !summaries.isEmpty else { return [] }
        let ids = summaries.map(\.id)
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let arguments = StatementArguments(ids)
        let contents = Dictionary(
            uniqueKeysWithValues: try db.cachedRows(
                sql: "SELECT id, body, external_id, created_at, updated_at FROM article WHERE id IN (\(placeholders))",
                arguments: arguments
            ).map { (($0["id"] as Int64), $0) }
        )
        var categories: [Int64: [String]] = [:]
        for row in try db.cachedRows(
            sql: """
                SELECT ac.article_id, c.name FROM article_category ac JOIN category c ON c.id = ac.category_id
                WHERE ac.article_id IN (\(placeholders)) ORDER BY ac.article_id, ac.position
                """,
            arguments: arguments
        ) {
            categories[row["article_id"], default: []].append(row["name"])
        }
        var links: [Int64: [ArticleDetail.Link]] = [:]
        for row in try db.cachedRows(
            sql:
                "SELECT article_id, url, text FROM link WHERE article_id IN (\(placeholders)) ORDER BY article_id, position",
            arguments: arguments
        ) {
            links[row["article_id"], default: []].append(ArticleDetail.Link(url: row["url"], text: row["text"]))
        }
        var images: [Int64: [ArticleDetail.Image]] = [:]
        for row in try db.cachedRows(
            sql:
                "SELECT article_id, url, alt FROM image WHERE article_id IN (\(placeholders)) ORDER BY article_id, position",
            arguments: arguments
        ) {
            images[row["article_id"], default: []].append(ArticleDetail.Image(url: row["url"], alt: row["alt"]))
        }
        return summaries.compactMap { summary in
            guard let content = contents[summary.id] else { return nil }
            let body: String = content["body"]
            return ArticleDetail(
                summary: summary,
                paragraphs: Self.paragraphs(of: body),
                categories: categories[summary.id] ?? [],
                links: links[summary.id] ?? [],
                images: images[summary.id] ?? [],
                externalID: content["external_id"],
                createdAt: Timestamp.date(content["created_at"]) ?? Date(timeIntervalSince1970: 0),
                updatedAt: Timestamp.date(content["updated_at"]) ?? Date(timeIntervalSince1970: 0)
            )
        }
    }

    /// The article with this slug, or nil.
    public func article(slug: String) async throws -> ArticleDetail? {
        try await article(where: "a.slug = ?", slug)
    }

    /// How many articles the archive holds.
    public func articleCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT articles FROM archive_count") ?? 0 }
    }

    private func article(
        where condition: String,
        _ value: some DatabaseValueConvertible & Sendable
    ) async throws
        -> ArticleDetail?
    {
        try await writer.read { db in
            let rows = try db.cachedRows(sql: "\(Self.summarySelect) WHERE \(condition)", arguments: [value])
            return try Self.details(of: Self.summaries(rows, in: db), in: db).first
        }
    }

    static let summaryColumns = """
        a.id, a.slug, a.title, a.author, a.published_at, a.language, a.url, a.word_count, a.summary,
        s.slug AS source_slug, s.name AS source_name, s.domain AS source_domain
        """
    static let summarySource = "article a LEFT JOIN source s ON s.id = a.source_id"
    static let summarySelect = "SELECT \(summaryColumns) FROM \(summarySource)"

    /// Builds summaries from `summarySelect` rows, fetching all their tags, and all their writers, in one
    /// query each.
    static func summaries(_ rows: [Row], in db: Database) throws -> [ArticleSummary] {
        let ids: [Int64] = rows.map { $0["id"] }
        var tags: [Int64: [TagRef]] = [:]
        var authors: [Int64: [String]] = [:]
        if !ids.isEmpty {
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            for row in try db.cachedRows(
                sql: """
                    SELECT article_id, name FROM article_author
                    WHERE article_id IN (\(placeholders)) ORDER BY article_id, position
                    """,
                arguments: StatementArguments(ids)
            ) {
                authors[row["article_id"], default: []].append(row["name"])
            }
            for row in try db.cachedRows(
                sql: """
                    SELECT at.article_id, t.slug, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id
                    WHERE at.article_id IN (\(placeholders)) ORDER BY at.article_id, at.position
                    """,
                arguments: StatementArguments(ids)
            ) {
                tags[row["article_id"], default: []].append(TagRef(slug: row["slug"], name: row["name"]))
            }
        }
        return rows.map { row in
            let sourceSlug: String? = row["source_slug"]
            return ArticleSummary(
                id: row["id"],
                slug: row["slug"],
                title: row["title"],
                author: row["author"],
                authors: authors[row["id"]] ?? [],
                publishedAt: (row["published_at"] as String?).flatMap(Timestamp.date),
                language: row["language"],
                source: sourceSlug.map { SourceRef(slug: $0, name: row["source_name"], domain: row["source_domain"]) },
                url: row["url"],
                tags: tags[row["id"]] ?? [],
                wordCount: row["word_count"],
                summary: row["summary"],
                hit: nil
            )
        }
    }

    static func orderBy(_ sort: ArticleQuery.Sort) -> String {
        switch sort {
        case .newest: "(a.published_at IS NULL), a.published_at DESC, a.id DESC"
        case .oldest: "(a.published_at IS NULL), a.published_at, a.id"
        case .title: "a.title_key ASC, a.id ASC"
        case .relevance: "a.score DESC, a.id"
        }
    }

    /// FTS5 marks matches with two private-use characters; the rest is escaped before they become `<mark>`.
    static func markSnippet(_ raw: String) -> String {
        var output = ""
        for character in raw {
            switch character {
            case "\u{E000}": output += "<mark>"
            case "\u{E001}": output += "</mark>"
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    static func cursor(after item: ArticleSummary, sort: ArticleQuery.Sort) -> Cursor {
        let key: String? =
            switch sort {
            case .newest, .oldest: item.publishedAt.map(Timestamp.string)
            case .title: sortKey(item.title)
            case .relevance: item.hit.map { String($0.score) }
            }
        return Cursor(order: sort.rawValue, key: key, last: String(item.id))
    }

    /// The condition selecting rows strictly after the cursor in the given order.
    static func keyset(
        after cursor: Cursor,
        sort: ArticleQuery.Sort
    ) throws -> (sql: String, arguments: StatementArguments) {
        guard let id = Int64(cursor.last) else { throw QueryError.invalidCursor }
        switch (sort, cursor.key) {
        case (.newest, let key?):
            return (
                "(a.published_at < ? OR (a.published_at = ? AND a.id < ?) OR a.published_at IS NULL)", [key, key, id]
            )
        case (.oldest, let key?):
            return (
                "(a.published_at > ? OR (a.published_at = ? AND a.id > ?) OR a.published_at IS NULL)", [key, key, id]
            )
        case (.newest, nil):
            return ("(a.published_at IS NULL AND a.id < ?)", [id])
        case (.oldest, nil):
            return ("(a.published_at IS NULL AND a.id > ?)", [id])
        case (.title, let key?):
            return ("(a.title_key > ? OR (a.title_key = ? AND a.id > ?))", [key, key, id])
        case (.relevance, let key?):
            guard let score = Double(key) else { throw QueryError.invalidCursor }
            return ("(a.score < ? OR (a.score = ? AND a.id > ?))", [score, score, id])
        case (.title, nil), (.relevance, nil):
            throw QueryError.invalidCursor
        }
    }
}

/// The WHERE clause for an article query's filters; several values of one filter OR together.
struct ArticleFilter {
    var sql = "1"
    var arguments = StatementArguments()

    /// Whether the query filters nothing.
    var isEmpty: Bool { sql == "1" }

    /// `tagsByMembership` tests each article for the tags (one primary-key probe per row, for walking an
    /// index in order) instead of collecting the tagged articles first.
    init(_ query: ArticleQuery, tagsByMembership: Bool = false) {
        // Collected, the tagged articles come from the tag-and-date index: only the links in the range.
        let linkRange = DateRange(query, column: "at.published_at")
        add(
            query.tags,
            tagsByMembership
                ? """
                EXISTS (SELECT 1 FROM article_tag at WHERE at.article_id = a.id
                    AND at.tag_id IN (SELECT id FROM tag WHERE slug IN (%@)))
                """
                : """
                a.id IN (SELECT at.article_id FROM article_tag at
                    WHERE at.tag_id IN (SELECT id FROM tag WHERE slug IN (%@))\(linkRange.sql))
                """,
            then: tagsByMembership ? [] : linkRange.arguments
        )
        add(query.sources, "a.source_id IN (SELECT id FROM source WHERE slug IN (%@))")
        add(query.languages.map(LanguageIdentifier.canonicalCode), "a.language IN (%@)")
        // The whole byline, as before several authors were kept, or any one writer's name (v7).
        let authorKeys = query.authors.map(AppDatabase.sortKey)
        add(
            authorKeys,
            "(a.author_key IN (%@) OR a.id IN (SELECT article_id FROM article_author WHERE name_key IN (%@)))",
            then: StatementArguments(authorKeys)
        )
        let range = DateRange(query, column: "a.published_at")
        // Said outright, so the date-order indexes (whose first column it is) can seek to the range.
        if !range.sql.isEmpty { sql += " AND (a.published_at IS NULL) = 0" }
        sql += range.sql
        arguments += range.arguments
    }

    private mutating func add(_ values: [String], _ template: String, then more: StatementArguments = []) {
        guard !values.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ",")
        sql += " AND " + template.replacingOccurrences(of: "%@", with: placeholders)
        arguments += StatementArguments(values) + more
    }
}

/// A query's `from` (inclusive) and `until` (exclusive) as conditions on a date column, each ` AND …`.
struct DateRange {
    var sql = ""
    var arguments = StatementArguments()

    init(_ query: ArticleQuery, column: String) {
        if let from = query.from {
            sql += " AND \(column) >= ?"
            arguments += [Timestamp.string(from)]
        }
        if let until = query.until {
            sql += " AND \(column) < ?"
            arguments += [Timestamp.string(until)]
        }
    }
}

extension AppDatabase {
    /// The paragraphs of a stored body, split at the blank lines that join them (paragraphs never contain
    /// one). Over UTF-8 bytes: Foundation's `components(separatedBy:)` was a tenth of serving an article.
    static func paragraphs(of body: String) -> [String] {
        guard !body.isEmpty else { return [] }
        var paragraphs: [String] = []
        var utf8 = body.utf8[...]
        let newline = UInt8(ascii: "\n")
        while let index = utf8.indices.first(where: {
            utf8[$0] == newline && utf8.index(after: $0) < utf8.endIndex
                && utf8[utf8.index(after: $0)] == newline
        }) {
            paragraphs.append(String(Substring(utf8[..<index])))
            utf8 = utf8[utf8.index(index, offsetBy: 2)...]
        }
        paragraphs.append(String(Substring(utf8)))
        return paragraphs
    }
}

extension Database {
    /// Rows of a statement compiled once per connection: for the fixed-shape queries of every article
    /// page (GRDB's statement authorizer showed in the profile when they were recompiled each time).
    func cachedRows(sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }
}

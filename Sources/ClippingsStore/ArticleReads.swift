import Foundation
import GRDB

/// Reads whole summaries and details for articles already chosen (by a listing, a search, an id): the
/// article rows, then each of their ordered lists in one query per list for the whole page.
enum ArticleReads {
    /// Summaries of the given rows, in their order, with every writer and tag.
    static func summaries(_ rows: [ArticleSummaryRow], in db: Database) throws -> [ArticleSummary] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        let inIDs = placeholders(ids.count)
        let authors = try ArticleItemRow<String>.grouped(
            "SELECT article_id, name FROM article_author WHERE article_id IN (\(inIDs)) ORDER BY article_id, position",
            ids: ids,
            in: db
        )
        let tags = try self.tags(of: ids, in: db)
        return rows.map { $0.summary(authors: authors[$0.id] ?? [], tags: tags[$0.id] ?? []) }
    }

    /// Each article's tags in order: their ids from the links and their names from the archive's
    /// `TagNames` when the read has them, else through a join.
    static func tags(of ids: [Int64], in db: Database) throws -> [Int64: [TagRef]] {
        let inIDs = placeholders(ids.count)
        guard let names = TagNames.current else {
            return try ArticleItemRow<TagRef>.grouped(
                """
                SELECT at.article_id, t.slug, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id
                WHERE at.article_id IN (\(inIDs)) ORDER BY at.article_id, at.position
                """,
                ids: ids,
                in: db
            )
        }
        // Put in order here: the links' key is (article, tag), and SQLite sorted them in a temporary tree.
        var links: [Int64: [(position: Int, tag: Int64)]] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT article_id, position, tag_id FROM article_tag WHERE article_id IN (\(inIDs))"
            ),
            arguments: StatementArguments(ids)
        )
        while let row = try rows.next() { links[row[0], default: []].append((row[1], row[2])) }
        let tags = try names.tags(Set(links.values.joined().map(\.tag)), in: db)
        return links.mapValues { $0.sorted { $0.position < $1.position }.compactMap { tags[$0.tag] } }
    }

    /// Summaries of the rows a statement over `ArticleSummaryRow.select` yields.
    static func summaries(sql: String, arguments: StatementArguments, in db: Database) throws -> [ArticleSummary] {
        try summaries(ArticleSummaryRow.fetchAll(db, sql: sql, arguments: arguments), in: db)
    }

    /// Summaries of these articles keyed by id (for pages ranked elsewhere).
    static func summaries(ids: [Int64], in db: Database) throws -> [Int64: ArticleSummary] {
        guard !ids.isEmpty else { return [:] }
        // Cached: a page has at most `limit` + 1 ids, so a connection keeps at most that many statements.
        let summaries = try ArticleSummaryRow.fetchAll(
            db.cachedStatement(sql: "\(ArticleSummaryRow.select) WHERE a.id IN (\(placeholders(ids.count)))"),
            arguments: StatementArguments(ids)
        )
        return Dictionary(uniqueKeysWithValues: try self.summaries(summaries, in: db).map { ($0.id, $0) })
    }

    /// Whole articles by id, in the order given, leaving out ids that have no article.
    static func details(ids: [Int64], in db: Database) throws -> [ArticleDetail] {
        let summaries = try self.summaries(ids: ids, in: db)
        return try details(of: ids.compactMap { summaries[$0] }, in: db)
    }

    /// Whole articles for a page of summaries, in the same order.
    static func details(of summaries: [ArticleSummary], in db: Database) throws -> [ArticleDetail] {
        guard !summaries.isEmpty else { return [] }
        let ids = summaries.map(\.id)
        let inIDs = placeholders(ids.count)
        let contents = Dictionary(
            uniqueKeysWithValues: try ArticleContentRow.fetchAll(
                db.cachedStatement(sql: "\(ArticleContentRow.select) WHERE id IN (\(inIDs))"),
                arguments: StatementArguments(ids)
            ).map { ($0.id, $0) }
        )
        let categories = try ArticleItemRow<String>.grouped(
            """
            SELECT ac.article_id, c.name FROM article_category ac JOIN category c ON c.id = ac.category_id
            WHERE ac.article_id IN (\(inIDs)) ORDER BY ac.article_id, ac.position
            """,
            ids: ids,
            in: db
        )
        let links = try ArticleItemRow<ArticleDetail.Link>.grouped(
            "SELECT article_id, url, text FROM link WHERE article_id IN (\(inIDs)) ORDER BY article_id, position",
            ids: ids,
            in: db
        )
        let images = try ArticleItemRow<ArticleDetail.Image>.grouped(
            "SELECT article_id, url, alt FROM image WHERE article_id IN (\(inIDs)) ORDER BY article_id, position",
            ids: ids,
            in: db
        )
        return summaries.compactMap { summary in
            guard let content = contents[summary.id] else { return nil }
            return ArticleDetail(
                summary: summary,
                paragraphs: ArticleRules.paragraphs(of: content.body),
                categories: categories[summary.id] ?? [],
                links: links[summary.id] ?? [],
                images: images[summary.id] ?? [],
                externalID: content.externalID,
                createdAt: Timestamp.date(content.createdAt) ?? Date(timeIntervalSince1970: 0),
                updatedAt: Timestamp.date(content.updatedAt) ?? Date(timeIntervalSince1970: 0)
            )
        }
    }

    /// The one article a condition on `a` selects (by id or slug), or nil.
    static func detail(
        where condition: String,
        _ value: some DatabaseValueConvertible,
        in db: Database
    ) throws -> ArticleDetail? {
        // A fixed statement, compiled once per connection: it serves every article page.
        let statement = try db.cachedStatement(sql: "\(ArticleSummaryRow.select) WHERE \(condition)")
        return try details(of: summaries(ArticleSummaryRow.fetchAll(statement, arguments: [value]), in: db), in: db)
            .first
    }

    /// The largest article id there is (0 in an empty archive).
    static func newestID(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM article")) ?? 0
    }

    /// The archive's version in this snapshot (`archive_version`, v11): what the facet columns, the tag
    /// names and the kept matches are checked against.
    static func archiveVersion(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM archive_version")) ?? 0
    }

    /// `?, ?, …`: one placeholder per value of an `IN` list.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}

import ClippingsExtraction
import Foundation
import GRDB

// The rows reads come back as, each decoded from its columns in one place. Writes use the records of
// `Records.swift`; these are read-only shapes of joined or partial reads.

/// One listed article's own columns and its source: a row of `ArticleSummaryRow.select`.
struct ArticleSummaryRow: FetchableRecord {
    var id: Int64
    var slug: String
    var title: String
    var author: String?
    var publishedAt: String?
    var language: String
    var url: String?
    var wordCount: Int
    var summary: String
    var source: SourceRef?
    var storyID: Int64?
    var nearDuplicateOf: Int64?

    static let columns = """
        a.id, a.slug, a.title, a.author, a.published_at, a.language, a.url, a.word_count, a.summary,
        s.slug AS source_slug, s.name AS source_name, s.domain AS source_domain, a.story_id, a.near_duplicate_of
        """
    static let from = "article a LEFT JOIN source s ON s.id = a.source_id"
    static let select = "SELECT \(columns) FROM \(from)"

    /// By position, in the order of `columns`: a page reads a dozen columns of each of its rows.
    init(row: Row) {
        id = row[0]
        slug = row[1]
        title = row[2]
        author = row[3]
        publishedAt = row[4]
        language = row[5]
        url = row[6]
        wordCount = row[7]
        summary = row[8]
        let sourceSlug: String? = row[9]
        source = sourceSlug.map { SourceRef(slug: $0, name: row[10], domain: row[11]) }
        storyID = row[12]
        nearDuplicateOf = row[13]
    }

    /// The summary, with the article's writers and tags.
    func summary(authors: [String], tags: [TagRef]) -> ArticleSummary {
        ArticleSummary(
            id: id,
            slug: slug,
            title: title,
            author: author,
            authors: authors,
            publishedAt: publishedAt.flatMap(Timestamp.date),
            language: language,
            source: source,
            url: url,
            tags: tags,
            wordCount: wordCount,
            summary: summary,
            hit: nil,
            storyID: storyID,
            nearDuplicateOf: nearDuplicateOf
        )
    }
}

/// The columns of an article a detail adds to its summary.
struct ArticleContentRow: FetchableRecord {
    var id: Int64
    var body: String
    var externalID: String?
    var createdAt: String
    var updatedAt: String

    static let select = "SELECT id, body, external_id, created_at, updated_at FROM article"

    init(row: Row) {
        id = row["id"]
        body = row["body"]
        externalID = row["external_id"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }
}

/// One item of an article's ordered lists (a writer, a tag, a category, a link, an image), read from the
/// row's columns from `first` on, in the order its statements select them. By position, not by name: a
/// page reads hundreds of these, and each name is looked up among the row's columns.
protocol ArticleItem {
    init(itemRow row: Row, at first: Int)
}

/// A row of one of an article's ordered lists: the article it belongs to and the item.
struct ArticleItemRow<Item: ArticleItem>: FetchableRecord {
    var articleID: Int64
    var item: Item

    init(row: Row) {
        articleID = row[0]
        item = Item(itemRow: row, at: 1)
    }

    /// Each article's items, in the statement's order: one query for a whole page of articles.
    static func grouped(_ sql: String, ids: [Int64], in db: Database) throws -> [Int64: [Item]] {
        var items: [Int64: [Item]] = [:]
        for row in try fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(ids)) {
            items[row.articleID, default: []].append(row.item)
        }
        return items
    }
}

/// A writer's or a category's name.
extension String: ArticleItem {
    init(itemRow row: Row, at first: Int) { self = row[first] }
}

extension TagRef: ArticleItem {
    init(itemRow row: Row, at first: Int) { self.init(slug: row[first], name: row[first + 1]) }
}

extension ArticleDetail.Link: ArticleItem {
    init(itemRow row: Row, at first: Int) { self.init(url: row[first], text: row[first + 1]) }
}

extension ArticleDetail.Image: ArticleItem {
    init(itemRow row: Row, at first: Int) { self.init(url: row[first], alt: row[first + 1]) }
}

/// A page of a ranked search: an article id and its score, and with a phrase, the number of matches.
struct RankedRow: FetchableRecord {
    var id: Int64
    var score: Double
    var matches: Int?

    init(row: Row) {
        id = row["id"]
        score = row["score"]
        matches = row.hasColumn("matches") ? row["matches"] : nil
    }
}

/// A tag in a directory listing.
struct TagRow: FetchableRecord {
    var info: TagInfo

    static let select = "SELECT slug, name, article_count FROM tag WHERE article_count > 0"

    init(row: Row) {
        info = TagInfo(slug: row["slug"], name: row["name"], articleCount: row["article_count"])
    }
}

/// A source in a directory listing, with the span of its publication dates.
struct SourceRow: FetchableRecord {
    var info: SourceInfo

    /// The first and last dates are one seek each in `article_on_source`, for the page's rows only.
    static let select = """
        SELECT slug, name, domain, article_count,
               (SELECT MIN(published_at) FROM article WHERE source_id = source.id) AS first_published_at,
               (SELECT MAX(published_at) FROM article WHERE source_id = source.id) AS last_published_at
        FROM source WHERE article_count > 0
        """

    init(row: Row) {
        info = SourceInfo(
            slug: row["slug"],
            name: row["name"],
            domain: row["domain"],
            articleCount: row["article_count"],
            firstPublishedAt: (row["first_published_at"] as String?).flatMap(Timestamp.date),
            lastPublishedAt: (row["last_published_at"] as String?).flatMap(Timestamp.date)
        )
    }
}

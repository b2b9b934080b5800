import ClippingsExtraction
import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// Article summaries and details read by id, in the order asked for.
struct PostgresReads {
    let connection: PostgresConnection
    let logger: Logger

    static let summaryColumns = """
        a.id, a.slug, a.title, a.author, a.published_at, a.language, s.slug, s.name, s.domain, a.url,
        a.word_count, a.summary, a.story_id, a.near_duplicate_of,
        ARRAY(SELECT t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id
            WHERE at.article_id = a.id ORDER BY at.position),
        ARRAY(SELECT t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id
            WHERE at.article_id = a.id ORDER BY at.position),
        ARRAY(SELECT w.name FROM article_author w WHERE w.article_id = a.id ORDER BY w.position)
        """
    static let summaryColumnCount = 17

    /// Reads the summary columns starting at `first`.
    static func summary(_ row: PostgresRandomAccessRow, from first: Int = 0) throws -> ArticleSummary {
        func cell<T: PostgresDecodable>(_ offset: Int, _ type: T.Type) throws -> T {
            try row[first + offset].decode(T.self)
        }
        let sourceSlug = try cell(6, String?.self)
        let tagSlugs = try cell(14, [String].self)
        let tagNames = try cell(15, [String].self)
        return ArticleSummary(
            id: try cell(0, Int64.self),
            slug: try cell(1, String.self),
            title: try cell(2, String.self),
            author: try cell(3, String?.self),
            authors: try cell(16, [String].self),
            publishedAt: try cell(4, String?.self).flatMap(Timestamp.date),
            language: try cell(5, String.self),
            source: try sourceSlug.map {
                SourceRef(slug: $0, name: try cell(7, String.self), domain: try cell(8, String?.self))
            },
            url: try cell(9, String?.self),
            tags: zip(tagSlugs, tagNames).map { TagRef(slug: $0, name: $1) },
            wordCount: try cell(10, Int.self),
            summary: try cell(11, String.self),
            storyID: try cell(12, Int64?.self),
            nearDuplicateOf: try cell(13, Int64?.self)
        )
    }

    /// Summaries of these articles, by id (missing ones left out).
    func summaries(ids: [Int64]) async throws -> [Int64: ArticleSummary] {
        guard !ids.isEmpty else { return [:] }
        let select = SQLBuilder()
        select.append(
            "SELECT \(Self.summaryColumns) FROM article a LEFT JOIN source s ON s.id = a.source_id "
                + "WHERE a.id = ANY(\(select.bind(ids)))"
        )
        var byID: [Int64: ArticleSummary] = [:]
        for row in try await connection.rows(select, logger: logger) {
            let summary = try Self.summary(row.makeRandomAccess())
            byID[summary.id] = summary
        }
        return byID
    }

    /// Whole articles, in the order of `ids`.
    func details(ids: [Int64]) async throws -> [ArticleDetail] {
        guard !ids.isEmpty else { return [] }
        let select = SQLBuilder()
        let bound = select.bind(ids)
        select.append(
            """
            SELECT \(Self.summaryColumns), a.body, a.external_id, a.created_at, a.updated_at,
                ARRAY(SELECT c.name FROM article_category ac JOIN category c ON c.id = ac.category_id
                    WHERE ac.article_id = a.id ORDER BY ac.position),
                ARRAY(SELECT l.url FROM link l WHERE l.article_id = a.id ORDER BY l.position),
                ARRAY(SELECT l.text FROM link l WHERE l.article_id = a.id ORDER BY l.position),
                ARRAY(SELECT i.url FROM image i WHERE i.article_id = a.id ORDER BY i.position),
                ARRAY(SELECT coalesce(i.alt, '') FROM image i WHERE i.article_id = a.id ORDER BY i.position),
                ARRAY(SELECT i.alt IS NOT NULL FROM image i WHERE i.article_id = a.id ORDER BY i.position)
            FROM article a LEFT JOIN source s ON s.id = a.source_id WHERE a.id = ANY(\(bound))
            """
        )
        var byID: [Int64: ArticleDetail] = [:]
        for row in try await connection.rows(select, logger: logger) {
            let cells = row.makeRandomAccess()
            let summary = try Self.summary(cells)
            let first = Self.summaryColumnCount
            let body = try cells[first].decode(String.self)
            let linkURLs = try cells[first + 5].decode([String].self)
            let linkTexts = try cells[first + 6].decode([String].self)
            let imageURLs = try cells[first + 7].decode([String].self)
            let imageAlts = try cells[first + 8].decode([String].self)
            let hasAlt = try cells[first + 9].decode([Bool].self)
            byID[summary.id] = ArticleDetail(
                summary: summary,
                paragraphs: ArticleRules.paragraphs(of: body),
                categories: try cells[first + 4].decode([String].self),
                links: zip(linkURLs, linkTexts).map { Link(url: $0, text: $1) },
                images: imageURLs.indices.map { Image(url: imageURLs[$0], alt: hasAlt[$0] ? imageAlts[$0] : nil) },
                externalID: try cells[first + 1].decode(String?.self),
                createdAt: Timestamp.date(try cells[first + 2].decode(String.self)) ?? Date(timeIntervalSince1970: 0),
                updatedAt: Timestamp.date(try cells[first + 3].decode(String.self)) ?? Date(timeIntervalSince1970: 0)
            )
        }
        return ids.compactMap { byID[$0] }
    }

    /// The id of the article with this slug, or nil.
    func id(slug: String) async throws -> Int64? {
        let select = SQLBuilder()
        select.append("SELECT id FROM article WHERE slug = \(select.bind(slug))")
        return try await connection.value(Int64.self, select, logger: logger)
    }
}

import ClippingsExtraction
import Foundation
import GRDB

/// Edits to an article's metadata. `nil` leaves a field as it is; for optional fields, `.some(nil)` clears it.
public struct ArticleChanges: Sendable, Equatable {
    public var title: String?
    public var author: String??
    public var publishedAt: Date??
    public var language: String?
    public var source: Publisher??
    public var tags: [Tag]?
    public var categories: [String]?

    public init() {}
}

extension AppDatabase {
    /// Applies edits in one transaction; the search index follows through its triggers. False when there
    /// is no such article.
    public func updateArticle(id: Int64, _ changes: ArticleChanges, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            guard
                var record = try ArticleRecord.fetchOne(db, sql: "SELECT * FROM article WHERE id = ?", arguments: [id])
            else { return false }
            if let title = changes.title {
                record.title = title
                record.titleKey = Self.sortKey(title)
            }
            if let author = changes.author {
                record.author = author
                record.authorKey = author.map(Self.sortKey)
            }
            if let publishedAt = changes.publishedAt { record.publishedAt = publishedAt.map(Timestamp.string) }
            if let language = changes.language { record.language = LanguageIdentifier.canonicalCode(language) }
            if let source = changes.source {
                record.sourceId = try source.flatMap { try Self.sourceID(for: $0, in: db) }
            }
            record.updatedAt = Timestamp.string(now)
            let paragraphs = record.body.components(separatedBy: "\n\n")
            record.contentHash = Self.contentHash(
                of: ExtractedArticle(title: record.title, paragraphs: paragraphs, format: .plainText)
            )
            try record.update(db)
            if let tags = changes.tags {
                try db.execute(sql: "DELETE FROM article_tag WHERE article_id = ?", arguments: [id])
                try Self.insertTags(tags, of: id, in: db)
            }
            if let categories = changes.categories {
                try db.execute(sql: "DELETE FROM article_category WHERE article_id = ?", arguments: [id])
                try Self.insertCategories(categories, of: id, in: db)
            }
            return true
        }
    }
}

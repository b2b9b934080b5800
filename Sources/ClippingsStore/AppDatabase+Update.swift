import ClippingsExtraction
import Foundation
import GRDB

/// Edits to an article's metadata. `nil` leaves a field as it is; for optional fields, `.some(nil)` clears it.
public struct ArticleChanges: Sendable, Equatable {
    public var title: String?
    public var author: String??
    /// The writers, replacing the byline too (their names joined by ", "); an empty list clears both.
    public var authors: [String]?
    public var publishedAt: Date??
    public var language: String?
    public var source: Publisher??
    public var tags: [Tag]?
    public var categories: [String]?

    public init() {}
}

extension ArticleChanges {
    /// The edits with every text in Unicode NFC, as imported articles are stored.
    var normalized: ArticleChanges {
        let nfc = TextNormalizer.nfc
        var copy = self
        copy.title = title.map(nfc)
        copy.author = author.map { $0.map(nfc) }
        copy.authors = authors.map { $0.map(nfc) }
        copy.source = source.map { $0.map { Publisher(name: nfc($0.name), domain: $0.domain) } }
        copy.tags = tags.map { $0.map { Tag(slug: $0.slug, name: nfc($0.name)) } }
        copy.categories = categories.map { $0.map(nfc) }
        return copy
    }
}

extension AppDatabase {
    /// Applies edits in one transaction; the search index follows through its triggers. False when there
    /// is no such article.
    public func updateArticle(id: Int64, _ edits: ArticleChanges, now: Date = Date()) async throws -> Bool {
        let changes = edits.normalized
        return try await writer.write { db in
            guard
                var record = try ArticleRecord.fetchOne(db, sql: "SELECT * FROM article WHERE id = ?", arguments: [id])
            else { return false }
            if let title = changes.title {
                record.title = title
                record.titleKey = Self.sortKey(title)
            }
            // A byline alone is one writer; a list of writers makes the byline.
            let authors = changes.authors ?? changes.author.map { author in author.map { [$0] } ?? [] }
            if let authors {
                let author = authors.isEmpty ? nil : authors.joined(separator: ", ")
                record.author = author
                record.authorKey = author.map(Self.sortKey)
                try Self.insertAuthors(authors.map { ($0, Self.sortKey($0)) }, of: id, in: db)
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
            // Re-extraction leaves a hand-edited article alone.
            try db.execute(
                sql: "UPDATE article_document SET edited_at = ? WHERE article_id = ?",
                arguments: [record.updatedAt, id]
            )
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

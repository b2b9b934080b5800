import ClippingsExtraction
import Foundation
import GRDB

// Records of the tables written as whole rows, with snake_case columns. Tags and categories, written by
// name, are kept by `NamedEntries`; reads come back as the row types of `ArticleRows.swift`.

struct SourceRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "source"
    var id: Int64?
    var slug: String
    var name: String
    var domain: String?
    /// The name folded, as sources are looked up (v9).
    var nameKey: String?

    enum CodingKeys: String, CodingKey {
        case id, slug, name, domain
        case nameKey = "name_key"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct ArticleRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "article"
    var id: Int64?
    var slug: String
    var identity: String
    var contentHash: String
    var title: String
    var titleKey: String
    var author: String?
    var authorKey: String?
    var publishedAt: String?
    var language: String
    var sourceId: Int64?
    var url: String?
    var externalId: String?
    var body: String
    var summary: String
    var wordCount: Int
    var format: String
    var createdAt: String
    var updatedAt: String

    // Spelled out rather than GRDB's snake-case strategy, which converted every key on every insert.
    enum CodingKeys: String, CodingKey {
        case id, slug, identity, title, author, language, url, body, summary, format
        case contentHash = "content_hash"
        case titleKey = "title_key"
        case authorKey = "author_key"
        case publishedAt = "published_at"
        case sourceId = "source_id"
        case externalId = "external_id"
        case wordCount = "word_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ArticleRecord {
    /// Sets every field extraction decides from a prepared article; the slug, identity and creation time
    /// stay, so an article extracted again keeps its place.
    mutating func fill(from prepared: PreparedArticle, stamp: String, in db: Database) throws {
        let article = prepared.article
        title = article.title
        titleKey = prepared.titleKey
        author = article.author
        authorKey = prepared.authorKey
        publishedAt = prepared.publishedAt
        language = article.language
        sourceId = try article.source.flatMap { try ArticleWriter.sourceID(for: $0, in: db) }
        url = article.url
        externalId = article.externalID
        body = article.body
        summary = prepared.summary
        wordCount = prepared.wordCount
        contentHash = prepared.contentHash
        format = article.format.rawValue
        updatedAt = stamp
    }
}

/// RFC 3339 UTC timestamps as stored in text columns: they sort and compare correctly as text.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    public static func date(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}

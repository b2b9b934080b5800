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
    var storyId: Int64? = nil
    var nearDuplicateOf: Int64? = nil

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
        case storyId = "story_id"
        case nearDuplicateOf = "near_duplicate_of"
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
        if let date = storedDate(text) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form `string(_:)` writes, read by hand: every summary of a page parses
    /// one, and the format style's general parser costs far more. Nil for anything else (a field out of
    /// its range included), which the format style then reads.
    static func storedDate(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Date? in
            guard bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
                bytes[16] == 0x3A, bytes[19] == 0x5A
            else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - 0x30
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                (1...12).contains(month), hour < 24, minute < 60, second < 60
            else { return nil }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard (1...lengths[month - 1]).contains(day) else { return nil }
            let days = CivilDays.days(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        } ?? nil
    }
}

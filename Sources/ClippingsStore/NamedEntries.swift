import Foundation
import GRDB

/// The tag and category tables: entries found by name, each with a slug of its own.
///
/// Two names that differ (beyond case, accents and width) are two entries, even when their slugs would
/// coincide: the later one gets a numeric suffix (`c-plus-plus-2`). A slug once given never changes, so
/// filters, links and bookmarks keep working as the slug rules improve.
struct NamedEntries {
    let table: String

    static let tags = NamedEntries(table: "tag")
    static let categories = NamedEntries(table: "category")

    /// The id of the entry named `name`, creating it (with `slug`, or the first free `slug-N`) if there is
    /// none; the first spelling of a name is the one shown.
    func id(named name: String, slug: String, in db: Database) throws -> Int64 {
        let key = ArticleRules.sortKey(name)
        if let id = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM \(table) WHERE name_key = ? ORDER BY id LIMIT 1"),
            arguments: [key]
        ) {
            return id
        }
        try db.cachedStatement(sql: "INSERT INTO \(table) (slug, name, name_key) VALUES (?, ?, ?)")
            .execute(arguments: [try Self.freeSlug(slug.isEmpty ? table : slug, in: table, db), name, key])
        return db.lastInsertedRowID
    }

    /// `stem` itself, or with `-2`, `-3` … when another row of `table` has it.
    static func freeSlug(_ stem: String, in table: String, _ db: Database) throws -> String {
        var candidate = stem
        var suffix = 2
        let taken = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE slug = ?)")
        while try Bool.fetchOne(taken, arguments: [candidate]) == true {
            candidate = "\(stem)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}

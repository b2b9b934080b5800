import Foundation
import GRDB

/// Tags by id, kept in memory for the summaries of pages: a page carries several tags per article, and
/// each one's slug and name through a join over the tag table was a costly part of a search page.
///
/// Kept for one `archive_version` (moved by every tag link and every change of a tag's slug or name, in
/// any process): entries are read and stored only in a reader's snapshot of exactly that version, and a
/// snapshot of another version empties them first.
final class TagNames: @unchecked Sendable {
    /// The archive's cache in a read that may use it (set by `AppDatabase` around its reads).
    @TaskLocal static var current: TagNames?

    private let lock = NSLock()
    private var version: Int64?
    private var tags: [Int64: TagRef] = [:]
    /// Tags kept at most; past it, misses are read and not kept.
    static let capacity = 200_000

    /// The tags with these ids, as the snapshot `db` reads them.
    func tags(_ ids: Set<Int64>, in db: Database) throws -> [Int64: TagRef] {
        let version = try ArticleReads.archiveVersion(in: db)
        var found: [Int64: TagRef] = [:]
        var missing: [Int64] = []
        lock.withLock {
            if self.version != version {
                self.version = version
                tags.removeAll(keepingCapacity: true)
            }
            for id in ids {
                if let tag = tags[id] { found[id] = tag } else { missing.append(id) }
            }
        }
        guard !missing.isEmpty else { return found }
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT id, slug, name FROM tag WHERE id IN (SELECT value FROM json_each(?))"),
            arguments: ["[" + missing.map(String.init).joined(separator: ",") + "]"]
        )
        var read: [Int64: TagRef] = [:]
        while let row = try rows.next() { read[row[0]] = TagRef(slug: row[1], name: row[2]) }
        lock.withLock {
            guard self.version == version, tags.count + read.count <= Self.capacity else { return }
            tags.merge(read) { _, new in new }
        }
        return found.merging(read) { _, new in new }
    }
}

import Foundation
import GRDB

/// The last few searches' matches as bits, for the facets asked with a page: a page ranks every match of
/// many words or a filter anyway, and its facets would read every posting again. Keyed by the archive's
/// version (`archive_version`, moved by every write), the search and the filters, so a kept set is only
/// ever read in the snapshot it describes.
final class MatchMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(key: String, matches: ArticleBitmap)] = []
    /// Sets kept: a few concurrent requests' worth; each is 12 KB per 100 000 articles.
    static let capacity = 8

    /// The key of a search's matches under `filter` in this snapshot.
    static func key(_ search: SearchQuery, _ filter: ArticleFilter, in db: Database) throws -> String {
        let version = try ArticleReads.archiveVersion(in: db)
        return "\(version)\u{1}\(search.ftsExpression)\u{1}\(filter.sql)\u{1}\(filter.arguments)"
    }

    func matches(for key: String) -> ArticleBitmap? {
        lock.withLock { entries.first { $0.key == key }?.matches }
    }

    func keep(_ matches: ArticleBitmap, for key: String) {
        lock.withLock {
            entries.removeAll { $0.key == key }
            entries.append((key, matches))
            if entries.count > Self.capacity { entries.removeFirst() }
        }
    }
}

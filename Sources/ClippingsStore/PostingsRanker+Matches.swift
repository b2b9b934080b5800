import Foundation
import GRDB

/// The articles a search matches, as sets of bits from its terms' postings: what totals past the page,
/// facets and sorted pages are counted over.
extension PostingsRanker {
    /// Every article `search` matches, in id order (what facets are counted over), or nil when the
    /// postings cannot answer it exactly.
    static func matches(
        _ search: SearchQuery,
        filter: ArticleFilter = ArticleFilter(ArticleQuery()),
        memo: MatchMemo? = nil,
        in db: Database
    ) throws -> [Int64]? {
        guard let phrases = try postings(search, in: db) else { return nil }
        return try matchSet(search, phrases, filter: filter, memo: memo, in: db).ids
    }

    /// The articles a search matches under `filter`, as bits: kept by `memo` when a page just ranked
    /// them, otherwise from every posting of its terms (and kept for the facets that may follow).
    static func matchSet(
        _ search: SearchQuery,
        _ phrases: [[TermPostings]],
        filter: ArticleFilter,
        memo: MatchMemo?,
        in db: Database
    ) throws -> ArticleBitmap {
        let key = try memo.map { _ in try MatchMemo.key(search, filter, in: db) }
        if let key, let kept = memo?.matches(for: key) { return kept }
        var matches = try matchBitmap(phrases: phrases, groups: search.required.map(\.count), in: db)
        if !filter.isEmpty { matches.formIntersection(try filtered(filter, in: db)) }
        if let key { memo?.keep(matches, for: key) }
        return matches
    }

    /// The articles a query's filters admit, from the filters' indexes: with a filter, every match is
    /// ranked (`rankEveryMatch`) and kept only if admitted, the postings read once whatever the filter.
    static func filtered(_ filter: ArticleFilter, in db: Database) throws -> ArticleBitmap {
        var bitmap = ArticleBitmap(upTo: try ArticleReads.newestID(in: db))
        let ids = try Int64.fetchCursor(
            db,
            sql: "SELECT a.id FROM article a WHERE \(filter.sql)",
            arguments: filter.arguments
        )
        while let id = try ids.next() { bitmap.insert(id) }
        return bitmap
    }

    /// The articles a query matches: every article in each required group (`groups` counts the phrases of
    /// each, in order) and in none of the phrases after them, the excluded ones.
    static func matchBitmap(phrases: [[TermPostings]], groups: [Int], in db: Database) throws -> ArticleBitmap {
        let maxID = phrases.joined().map(\.lastID).max() ?? 0
        var sets: [Int64: ArticleBitmap] = [:]
        func set(_ phrase: [TermPostings]) throws -> ArticleBitmap? {
            guard !phrase.isEmpty else { return nil }
            var union = ArticleBitmap(upTo: maxID)
            for list in phrase {
                if let known = sets[list.termID] {
                    union.formUnion(known)
                } else {
                    let bitmap = try list.bitmap(upTo: maxID, in: db)
                    sets[list.termID] = bitmap
                    union.formUnion(bitmap)
                }
            }
            return union
        }
        var matches: ArticleBitmap? = nil
        var start = 0
        for count in groups {
            var group = ArticleBitmap(upTo: maxID)
            for phrase in phrases[start..<start + count] {
                if let words = try set(phrase) { group.formUnion(words) }
            }
            start += count
            if matches == nil { matches = group } else { matches!.formIntersection(group) }
        }
        var result = matches ?? ArticleBitmap(upTo: maxID)
        for phrase in phrases[start...] {
            if let words = try set(phrase) { result.subtract(words) }
        }
        return result
    }
}

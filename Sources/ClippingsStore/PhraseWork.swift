import Foundation
import GRDB

/// A bound on the work a search's phrases ask of FTS5. A phrase is checked position by position in
/// every article that holds all its words: a phrase of words most articles hold (`"of the"`) is a check
/// of most of the archive, whatever the page, and several of them, or one of many such words, cost a
/// request hundreds of milliseconds of CPU. The work is estimated from the postings' article counts,
/// each phrase's rarest word's articles times its words, and a search over the bound is refused.
enum PhraseWork {
    /// Articles times words, over all phrases. One phrase of two words each in 70 000 articles is 140 000:
    /// 70 ms of CPU for its first page, twice that with a filter or facets (BENCHMARKS.md). A phrase with
    /// a rarer word costs little.
    static let maximum: Int64 = 100_000

    /// Throws `QueryError.phrasesTooCommon` when `search`'s phrases would cost more than `maximum`; says
    /// nothing while the postings lag behind the index (a queue of changes being applied).
    static func check(_ search: SearchQuery, maximum: Int64 = maximum, in db: Database) throws {
        guard search.hasPhrase, try SearchPostings.isCurrent(db) else { return }
        let counter = try TermCounter(db)
        var work: Int64 = 0
        var phrases: [String] = []
        for term in search.required.joined() + search.excluded {
            var tokens = try counter.tokens(of: term.text, prefix: term.prefix)
            guard tokens.count > 1 else { continue }
            let words = tokens.count
            // A prefix's last word stands for many terms; the others bound the phrase alone.
            if term.prefix { tokens.removeLast() }
            var fewest = Int64.max
            for token in Set(tokens) {
                let articles = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT articles FROM search_term WHERE term = ?"),
                    arguments: [token]
                )
                fewest = min(fewest, articles ?? 0)
            }
            work += fewest * Int64(words)
            if fewest > 0 { phrases.append(term.text) }
        }
        if work > maximum { throw QueryError.phrasesTooCommon(phrases) }
    }
}

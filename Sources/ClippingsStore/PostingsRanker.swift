import Foundation
import GRDB

/// Ranked search over `SearchPostings`. A few plain words cost what the page asked for rather than the
/// number of matches: the article ids are cut into intervals at every block boundary of the query's
/// terms, each interval gets the bound of the best score it can hold (from its blocks' competitive
/// impacts), and intervals are read best bound first until the page's last article beats every bound
/// left. Many words, a prefix or a filter rank every match term at a time (`rankEveryMatch`), each
/// posting read once. Scores are BM25 exactly as FTS5's `bm25()` computes them (the same statistics,
/// formula and order of operations), so pages are FTS5's pages; `ArticleSearcher`'s FTS5 query stays the
/// reference and answers what this does not cover (phrases, a queue of changes not yet applied).
///
/// Totals: one word's is its article count, kept by the postings; a ranking of every match counts on the
/// way. Any other query (several words, OR, an exclusion) is counted from every posting of its terms as
/// sets of bits (`ArticleBitmap`): still O(postings), as an intersection or union has no stored size, but a
/// few nanoseconds each and nothing ranked.
struct PostingsRanker {
    /// One page: the articles with their scores, best first; the total when counted; whether more follow;
    /// the statistics the page was ranked with, for the next page's cursor.
    struct Page {
        var rows: [(id: Int64, score: Double)]
        /// The rows whose bodies hold none of the query's words (a title match): their snippets need not
        /// read the body, which would be tokenized to its end for nothing.
        var titleOnly: Set<Int64>
        var total: Int?
        var more: Bool
        var ranking: SearchRanking
    }

    /// The page `query` asks for, or nil when the postings cannot answer it exactly.
    static func page(
        _ query: ArticleQuery,
        _ search: SearchQuery,
        memo: MatchMemo? = nil,
        in db: Database
    ) throws -> Page? {
        guard query.sort == .relevance, let phrases = try postings(search, in: db) else { return nil }
        let filter = ArticleFilter(query)
        let statistics: SearchRanking
        if let carried = query.cursor?.ranking {
            guard carried.isPlausible, carried.phraseRows.count == phrases.count else { return nil }
            statistics = carried
        } else {
            statistics = try current(phrases, in: db)
        }
        var ranker = PostingsRanker(
            phrases: phrases,
            groups: search.required.map(\.count),
            statistics: statistics,
            limit: query.limit + 1,
            after: try query.cursor.map { cursor in
                guard let key = cursor.key.flatMap(Double.init), let id = Int64(cursor.last) else {
                    throw QueryError.invalidCursor
                }
                return (key, id)
            },
            newest: query.cursor?.ranking?.newestID,
            allowed: filter.isEmpty ? nil : try filtered(filter, in: db)
        )
        // One word alone is counted by its kept article count; many words, or a prefix, by ranking every
        // match on the way; any other query by its words' postings as bits (`ArticleBitmap`), every posting
        // read once but no match ranked beyond the page's.
        let oneWord = filter.isEmpty && search.excluded.isEmpty && phrases.count == 1 && phrases[0].count <= 1
        let exhaustive =
            ranker.lists == nil || ranker.allowed != nil || ranker.groups.reduce(0, +) > Self.exhaustiveWords
        // Ranking every match, the matches are kept as bits on the way, for facets asked with the page.
        if exhaustive, memo != nil { ranker.matched = ArticleBitmap(upTo: phrases.joined().map(\.lastID).max() ?? 0) }
        if !exhaustive { for list in phrases.joined() { try list.loadBounds(in: db) } }
        var seen: Int? = nil
        if exhaustive { seen = try ranker.rankEveryMatch(in: db) } else { try ranker.rank(in: db) }
        if let memo, let matched = ranker.matched { memo.keep(matched, for: try MatchMemo.key(search, filter, in: db)) }
        var total: Int? = nil
        if query.countsTotal {
            total =
                oneWord
                ? Int(phrases[0].first?.articles ?? 0)
                : try seen ?? matchSet(search, phrases, filter: filter, memo: memo, in: db).count
        }
        let top = ranker.top
        let rows = Array(top.prefix(query.limit))
        return Page(
            rows: rows,
            titleOnly: ranker.titleOnly.intersection(rows.map(\.id)),
            total: total,
            more: top.count > query.limit,
            ranking: statistics
        )
    }

    /// The postings of each of FTS5's phrases, in its order (the required groups' terms, then the excluded
    /// ones): a word's term, or every term a prefix starts (none when no article holds it); nil when a
    /// phrase is more than one word or changes are queued.
    static func postings(_ search: SearchQuery, in db: Database) throws -> [[TermPostings]]? {
        guard try SearchPostings.isCurrent(db) else { return nil }
        let counter = try TermCounter(db)
        var loaded: [String: [TermPostings]] = [:]
        var phrases: [[TermPostings]] = []
        for phrase in search.required.joined() + search.excluded {
            let tokens = try counter.tokens(of: phrase.text, prefix: phrase.prefix)
            guard tokens.count == 1 else { return nil }
            let key = tokens[0] + (phrase.prefix ? "*" : "")
            if loaded[key] == nil {
                loaded[key] =
                    phrase.prefix
                    ? try TermPostings.expansions(ofPrefix: tokens[0], in: db)
                    : try TermPostings.load(tokens[0], in: db).map { [$0] } ?? []
            }
            phrases.append(loaded[key]!)
        }
        return phrases
    }

    /// The archive's statistics now, as `bm25()` reads them: a prefix's articles are those holding any of
    /// its terms.
    static func current(_ phrases: [[TermPostings]], in db: Database) throws -> SearchRanking {
        let totals = try SearchRanking.indexTotals(in: db)
        let rows = max(totals.rows, 1)
        let newest = try ArticleReads.newestID(in: db)
        return SearchRanking(
            rows: rows,
            averageLength: Double(totals.tokens) / Double(rows),
            phraseRows: try phrases.map { lists in
                lists.count <= 1
                    ? lists.first?.articles ?? 0
                    : Int64(try matchBitmap(phrases: [lists], groups: [1], in: db).count)
            },
            newestID: newest
        )
    }

    /// Each phrase's terms' postings: one for a word, every term it starts for a prefix, none when no
    /// article holds it.
    let phrases: [[TermPostings]]
    /// Each phrase's one list (nil: no article holds it), when every phrase is a word: what bounds and
    /// blocks are read by id from; nil when some phrase is a prefix.
    let lists: [TermPostings?]?
    /// How many phrases each required group holds, in order; the excluded phrases follow them.
    let groups: [Int]
    let statistics: SearchRanking
    /// Articles to keep: the page and one more.
    let limit: Int
    /// The cursor's score and id: only articles ranked after it count.
    let after: (score: Double, id: Int64)?
    /// The newest article a carried ranking admits.
    let newest: Int64?
    /// The articles the query's filters admit; nil: every one.
    let allowed: ArticleBitmap?
    /// Every match `rankEveryMatch` finds, when set before it runs.
    var matched: ArticleBitmap?
    /// The best articles so far, best first.
    var top: [(id: Int64, score: Double)] = []
    /// Articles ranked whose matched postings have no body occurrence (a superset of the top's).
    var titleOnly = Set<Int64>()

    init(
        phrases: [[TermPostings]],
        groups: [Int],
        statistics: SearchRanking,
        limit: Int,
        after: (score: Double, id: Int64)?,
        newest: Int64?,
        allowed: ArticleBitmap? = nil
    ) {
        self.phrases = phrases
        self.lists =
            phrases.allSatisfy { $0.count <= 1 && $0.first?.expandsPrefix != true } ? phrases.map(\.first) : nil
        self.groups = groups
        self.statistics = statistics
        self.limit = limit
        self.after = after
        self.newest = newest
        self.allowed = allowed
    }

    /// Phrase `index`'s one list, when every phrase has at most one.
    private func list(_ index: Int) -> TermPostings? { lists?[index] ?? nil }

    var idf: [Double] {
        phrases.indices.map { index in
            SearchRankingFunctions.idf(
                rows: Double(statistics.rows),
                hits: Double(statistics.phraseRows[index])
            )
        }
    }

    /// An interval of article ids, `(low, high]`, with the block of each required phrase that covers it,
    /// the bound of each phrase's part of a score inside (0 without a block), and the bound of any score
    /// inside.
    private struct Interval {
        var low: Int64
        var high: Int64
        var blocks: [Int?]
        var terms: [Double]
        var bound: Double
    }

    /// Ranks into `top`: intervals best bound first, until none left can enter it (each phrase one list).
    mutating func rank(in db: Database) throws {
        let idf = self.idf
        let required = groups.reduce(0, +)
        var intervals = self.intervals(required: required, idf: idf)
        intervals.sort { $0.bound > $1.bound }
        for interval in intervals {
            if top.count == limit, interval.bound < top[limit - 1].score { break }
            try evaluate(interval, required: required, idf: idf, in: db)
        }
    }

    /// Required words past which a search ranks every match term at a time (`rankEveryMatch`) and counts
    /// on the way, rather than stopping early and counting by bits: with many common words OR'd, the
    /// bounds are alike and the early stop comes late if at all.
    static let exhaustiveWords = 4

    /// The intervals where every group has a block, with their bounds.
    private func intervals(required: Int, idf: [Double]) -> [Interval] {
        var boundaries = Set<Int64>()
        for index in 0..<required {
            for bound in list(index)?.bounds ?? [] { boundaries.insert(bound.lastID) }
        }
        var cursors = [Int](repeating: 0, count: required)
        var intervals: [Interval] = []
        var low: Int64 = 0
        for high in boundaries.sorted() {
            defer { low = high }
            var interval = Interval(low: low, high: high, blocks: [], terms: [], bound: 0)
            for index in 0..<required {
                guard let bounds = list(index)?.bounds else {
                    interval.blocks.append(nil)
                    interval.terms.append(0)
                    continue
                }
                while cursors[index] < bounds.count, bounds[cursors[index]].lastID < high { cursors[index] += 1 }
                guard cursors[index] < bounds.count else {
                    interval.blocks.append(nil)
                    interval.terms.append(0)
                    continue
                }
                interval.blocks.append(cursors[index])
                var term = 0.0
                for impact in bounds[cursors[index]].impacts {
                    let score = SearchRankingFunctions.termScore(
                        idf: idf[index],
                        frequency: impact.frequency,
                        length: Double(impact.length),
                        averageLength: statistics.averageLength
                    )
                    term = max(term, score)
                }
                interval.bound += term
                // Rounding can differ in the last place from the sum an article's score is: a margin keeps
                // each bound above its part.
                interval.terms.append(term * (1 + 1e-12) + 1e-12)
            }
            guard everyGroup(interval.blocks.map { $0 != nil }) else { continue }
            interval.bound = interval.bound * (1 + 1e-12) + 1e-12
            intervals.append(interval)
        }
        return intervals
    }

    /// Whether every required group has a phrase present (`present` in required-phrase order).
    private func everyGroup(_ present: [Bool]) -> Bool {
        var start = 0
        for count in groups {
            guard present[start..<start + count].contains(true) else { return false }
            start += count
        }
        return true
    }

    /// Scores the interval's matches into `top`.
    private mutating func evaluate(
        _ interval: Interval,
        required: Int,
        idf: [Double],
        in db: Database
    ) throws {
        // The interval's postings of each required phrase.
        var slices: [ArraySlice<Posting>] = []
        slices.reserveCapacity(required)
        for index in 0..<required {
            guard let block = interval.blocks[index], let list = list(index) else {
                slices.append([])
                continue
            }
            let postings = try list.postings(block, in: db)
            let start = postings.partitionPoint { $0.id <= interval.low }
            let end = postings.partitionPoint { $0.id <= interval.high }
            slices.append(postings[start..<end])
        }
        // Candidates: the articles of the first group (every match is in it), but for words OR'd alone once
        // the page is full, not those of the words whose bounds together stay under its last score: an
        // article holding only those cannot enter it (MaxScore, with this interval's bounds).
        var sources = Array(0..<groups[0])
        if groups.count == 1, top.count == limit {
            var sum = 0.0
            var weak = Set<Int>()
            for index in sources.sorted(by: { interval.terms[$0] < interval.terms[$1] }) {
                guard sum + interval.terms[index] < top[limit - 1].score else { break }
                sum += interval.terms[index]
                weak.insert(index)
            }
            sources.removeAll { weak.contains($0) }
        }
        var candidates: [Int64] = []
        for index in sources { candidates += slices[index].lazy.map(\.id) }
        if sources.count > 1 { candidates = Array(Set(candidates)).sorted() }
        var found = [Posting?](repeating: nil, count: required)
        var present = [Bool](repeating: false, count: required)
        for id in candidates {
            var length: Int32 = 0
            var inBody = false
            for index in 0..<required {
                found[index] = Self.find(id, in: slices[index])
                present[index] = found[index] != nil
                if let posting = found[index] {
                    length = posting.length
                    inBody = inBody || posting.body > 0
                }
            }
            guard everyGroup(present) else { continue }
            var excluded = false
            for index in required..<phrases.count {
                if let list = list(index), try list.find(id, in: db) != nil {
                    excluded = true
                    break
                }
            }
            if excluded { continue }
            // Ranked only if the carried ranking admits it (the total is the archive's now).
            if let newest, id > newest { continue }
            // Every phrase in FTS5's order, the excluded ones (never present in a match) adding 0 as there.
            var score = 0.0
            for index in phrases.indices {
                score += SearchRankingFunctions.termScore(
                    idf: idf[index],
                    frequency: index < required ? found[index]?.impact.frequency ?? 0 : 0,
                    length: Double(length),
                    averageLength: statistics.averageLength
                )
            }
            if let after, !(score < after.score || (score == after.score && id > after.id)) { continue }
            if keep(id, score), !inBody { titleOnly.insert(id) }
        }
    }

    /// Puts an article into `top` if it ranks there (score descending, then id ascending); whether it did.
    @discardableResult
    mutating func keep(_ id: Int64, _ score: Double) -> Bool {
        func better(_ a: (id: Int64, score: Double), _ b: (id: Int64, score: Double)) -> Bool {
            a.score != b.score ? a.score > b.score : a.id < b.id
        }
        let entry = (id: id, score: score)
        if top.count == limit, let last = top.last, !better(entry, last) { return false }
        let position = top.partitionPoint { better($0, entry) }
        top.insert(entry, at: position)
        if top.count > limit { top.removeLast() }
        return true
    }

    static func find(_ id: Int64, in postings: ArraySlice<Posting>) -> Posting? {
        let index = postings.partitionPoint { $0.id < id }
        return index < postings.endIndex && postings[index].id == id ? postings[index] : nil
    }
}

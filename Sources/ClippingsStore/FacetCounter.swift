import Foundation
import GRDB

/// The dimensions a result set can be counted along.
public enum Facet: String, Sendable, CaseIterable, Hashable {
    case tag, source, language, year, month, story

    /// How many values a count keeps: every month (a histogram, for a chart of the matches over time), the
    /// `limit` commonest of the others.
    public func kept(_ limit: Int) -> Int { self == .month ? Self.allMonths : limit }

    /// More months than the four-digit years hold.
    static let allMonths = 12 * 10_000
}

/// Counts of each facet's values over every article a query matches (all pages, not one).
package enum FacetCounter {
    /// The `limit` commonest values of each facet (every month: `Facet.kept`), most frequent first.
    /// With `columns` (the archive's facet values in memory), a search is counted over its postings'
    /// matches, less what the filters leave out, and a filtered listing over its filters' articles;
    /// without, or where the postings cannot answer, by SQL over the matching articles. An unfiltered
    /// listing is counted from what the write path keeps.
    static func counts(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int,
        columns: FacetColumnsCache? = nil,
        memo: MatchMemo? = nil,
        in db: Database
    ) throws -> [Facet: [(value: String, count: Int)]] {
        let perArticle = facets.subtracting([.story])
        var result =
            perArticle.isEmpty
            ? [:] : try valueCounts(perArticle, for: query, limit: limit, columns: columns, memo: memo, in: db)
        if facets.contains(.story) { result[.story] = try storyCounts(for: query, limit: limit, in: db) }
        return result
    }

    /// The stories most of the matching articles belong to, by id; an unfiltered listing reads the counts
    /// the write path keeps. Copies count with their story here: the facet answers "which stories are these
    /// articles in", and a listing holds the copies too.
    static func storyCounts(
        for query: ArticleQuery,
        limit: Int,
        in db: Database
    ) throws -> [(value: String, count: Int)] {
        if query.search == nil, ArticleFilter(query).isEmpty {
            return try archiveCounts([.story], limit: limit, in: db)[.story] ?? []
        }
        let (matches, arguments) = ArticleFilter.matchingIDs(query)
        let rows = try ValueCountRow.fetchAll(
            db,
            sql: """
                SELECT CAST(story_id AS TEXT) AS value, COUNT(*) AS count FROM article
                WHERE id IN (\(matches)) AND story_id IS NOT NULL GROUP BY story_id
                """,
            arguments: arguments
        )
        return commonest(Dictionary(uniqueKeysWithValues: rows.map { ($0.value, $0.count) }), limit: limit)
    }

    /// The per-article facets: tags, sources, languages, years and months.
    private static func valueCounts(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int,
        columns: FacetColumnsCache?,
        memo: MatchMemo?,
        in db: Database
    ) throws -> [Facet: [(value: String, count: Int)]] {
        let filter = ArticleFilter(query)
        if query.search == nil, filter.isEmpty { return try archiveCounts(facets, limit: limit, in: db) }
        guard let columns else { return try matchCounts(facets, for: query, limit: limit, in: db) }
        let ids: [Int64]
        if let search = query.search {
            // A phrase's matches are FTS5's (their positions are checked), counted here all the same.
            let (matches, arguments) = ArticleFilter.matchingIDs(query)
            ids =
                try PostingsRanker.matches(search, filter: filter, memo: memo, in: db)
                ?? Int64.fetchAll(db, sql: matches, arguments: arguments)
        } else {
            ids = try PostingsRanker.filtered(filter, in: db).ids
        }
        return Dictionary(
            uniqueKeysWithValues: try columns.columns(in: db).counts(facets, over: ids, limit: limit).map {
                facet,
                counts in (facet, commonest(counts, limit: facet.kept(limit)))
            }
        )
    }

    /// Counts over the whole archive from what the write path keeps (each tag's and source's
    /// `article_count`) and one pass over the language and date indexes: no article row is visited, so an
    /// unfiltered listing's facets cost what the archive's distinct values do, not its size.
    static func archiveCounts(
        _ facets: Set<Facet>,
        limit: Int,
        in db: Database
    ) throws -> [Facet: [(value: String, count: Int)]] {
        var result: [Facet: [(value: String, count: Int)]] = [:]
        for facet in facets {
            let (sql, arguments): (String, StatementArguments) =
                switch facet {
                case .tag, .source:
                    // The `limit` commonest and every tie of the last one, so ties break as everywhere.
                    (
                        """
                        SELECT slug AS value, article_count AS count FROM \(facet.rawValue)
                        WHERE article_count > 0 AND article_count >= COALESCE((
                            SELECT article_count FROM \(facet.rawValue) ORDER BY article_count DESC LIMIT 1 OFFSET ?
                        ), 0)
                        """,
                        [max(0, limit - 1)]
                    )
                case .language:
                    ("SELECT language AS value, COUNT(*) AS count FROM article GROUP BY language", [])
                case .story:
                    (
                        """
                        SELECT CAST(id AS TEXT) AS value, article_count + copy_count AS count FROM story
                        WHERE article_count > 0
                        """,
                        []
                    )
                case .year, .month:
                    (
                        """
                        SELECT substr(published_at, 1, \(facet == .year ? 4 : 7)) AS value, COUNT(*) AS count
                        FROM article WHERE (published_at IS NULL) = 0 GROUP BY 1
                        """,
                        []
                    )
                }
            let counts = try ValueCountRow.fetchAll(db, sql: sql, arguments: arguments)
            result[facet] = commonest(
                Dictionary(counts.map { ($0.value, $0.count) }) { $0 + $1 },
                limit: facet.kept(limit)
            )
        }
        return result
    }

    /// Counts over the articles a search or filter matches: every match is visited.
    static func matchCounts(
        _ facets: Set<Facet>,
        for query: ArticleQuery,
        limit: Int,
        in db: Database
    ) throws -> [Facet: [(value: String, count: Int)]] {
        let (matches, arguments) = ArticleFilter.matchingIDs(query)
        var result: [Facet: [(value: String, count: Int)]] = [:]
        if facets.contains(.tag) {
            result[.tag] = try tagCounts(matching: matches, arguments, limit: limit, in: db)
        }
        if facets.contains(.story) {
            result[.story] = try storyCounts(for: query, limit: limit, in: db)
        }
        let perArticle = facets.subtracting([.tag, .story])
        guard !perArticle.isEmpty else { return result }
        // Every per-article facet from one pass over the matches (each pass runs the search again):
        // SQLite groups by all three at once, at most sources × languages × months rows, summed here.
        var counts: [Facet: [String: Int]] = [:]
        for group in try FacetGroupRow.fetchAll(
            db,
            sql: """
                SELECT s.slug AS source, g.language, g.month, g.count FROM (
                    SELECT a.source_id, a.language, substr(a.published_at, 1, 7) AS month, COUNT(*) AS count
                    FROM article a WHERE a.id IN (\(matches)) GROUP BY 1, 2, 3
                ) g LEFT JOIN source s ON s.id = g.source_id
                """,
            arguments: arguments
        ) {
            for facet in perArticle {
                guard let value = group.values[facet] ?? nil else { continue }
                counts[facet, default: [:]][value, default: 0] += group.count
            }
        }
        for facet in perArticle {
            result[facet] = commonest(counts[facet] ?? [:], limit: facet.kept(limit))
        }
        return result
    }

    /// The `limit` tags most common among the matching articles (ties by slug), counted here by tag id as
    /// the links stream out rather than by SQLite's `GROUP BY`, which sorted every link first. Slugs are
    /// read only for the tags that can make the list.
    static func tagCounts(
        matching matches: String,
        _ arguments: StatementArguments,
        limit: Int,
        in db: Database
    ) throws -> [(value: String, count: Int)] {
        var counts: [Int64: Int] = [:]
        let links = try Int64.fetchCursor(
            db,
            sql: "SELECT tag_id FROM article_tag WHERE article_id IN (\(matches))",
            arguments: arguments
        )
        while let tag = try links.next() { counts[tag, default: 0] += 1 }
        guard limit > 0, !counts.isEmpty else { return [] }
        // Every tag counted at least as often as the limit-th commonest: the ties there are broken by slug.
        let cutoff = counts.values.sorted(by: >)[min(limit, counts.count) - 1]
        let candidates = counts.filter { $0.value >= cutoff }
        let ids = "[" + candidates.keys.map(String.init).joined(separator: ",") + "]"
        var bySlug: [String: Int] = [:]
        for tag in try TagSlugRow.fetchAll(
            db,
            sql: "SELECT id, slug FROM tag WHERE id IN (SELECT value FROM json_each(?))",
            arguments: [ids]
        ) {
            bySlug[tag.slug] = candidates[tag.id]
        }
        return commonest(bySlug, limit: limit)
    }

    /// The `limit` commonest values, most frequent first, ties in value order: every facet's order.
    package static func commonest(_ counts: [String: Int], limit: Int) -> [(value: String, count: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { (value: $0.key, count: $0.value) }
    }
}

/// One group of matching articles sharing a source, a language and a month (so a year).
struct FacetGroupRow: FetchableRecord {
    var values: [Facet: String?]
    var count: Int

    init(row: Row) {
        let month: String? = row["month"]
        values = [
            .source: row["source"], .language: row["language"], .month: month,
            .year: month.map { String($0.prefix(4)) },
        ]
        count = row["count"]
    }
}

/// One value of a facet and how many articles have it.
struct ValueCountRow: FetchableRecord {
    var value: String
    var count: Int

    init(row: Row) {
        value = row["value"]
        count = row["count"]
    }
}

/// A tag's id and slug.
struct TagSlugRow: FetchableRecord {
    var id: Int64
    var slug: String

    init(row: Row) {
        id = row["id"]
        slug = row["slug"]
    }
}

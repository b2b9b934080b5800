import Foundation
import GRDB
import GRDBSQLite

/// The collection statistics a relevance ranking is computed with, carried by its cursors so that every
/// page of a search scores as the first did: FTS5's `bm25()` reads them afresh on each query, and every
/// write moves them, so page 2 could repeat page 1's articles or skip some after an article was added.
public struct SearchRanking: Sendable, Equatable, Codable {
    /// Articles in the index when the first page was ranked.
    public var rows: Int64
    /// Their average length in tokens (title and body).
    public var averageLength: Double
    /// How many articles held each phrase of the query, in the query's order.
    public var phraseRows: [Int64]
    /// The newest article then: later pages rank only what existed at the first.
    public var newestID: Int64

    package init(rows: Int64, averageLength: Double, phraseRows: [Int64], newestID: Int64) {
        self.rows = rows
        self.averageLength = averageLength
        self.phraseRows = phraseRows
        self.newestID = newestID
    }

    enum CodingKeys: String, CodingKey {
        case rows = "n"
        case averageLength = "a"
        case phraseRows = "p"
        case newestID = "m"
    }
}

/// Two FTS5 auxiliary functions: `clippings_bm25_stats(article_fts)`, the statistics of a query as FTS5's
/// `bm25()` computes them, and `clippings_bm25(article_fts, weights…, rows, average length, phrase rows)`,
/// the BM25 score with those statistics given rather than read (the same formula and constants as FTS5's
/// `bm25()`, so for the current statistics the same ordering).
package enum SearchRankingFunctions {
    static let statistics = "clippings_bm25_stats"
    static let rank = "clippings_bm25"
    /// BM25's constants, as in FTS5.
    package static let k1 = 1.2
    package static let b = 0.75
    /// How much more a title occurrence counts than a body one (`bm25()`'s column weights: 10, 1).
    package static let titleWeight = 10.0
    /// The column weights as `bm25()`'s arguments.
    static let weights = "\(titleWeight), 1.0"

    /// A phrase's inverse document frequency, as FTS5's `bm25()` computes it (never 0 or below).
    package static func idf(rows: Double, hits: Double) -> Double {
        let idf = log((rows - hits + 0.5) / (hits + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }

    /// One phrase's share of an article's score, in the order of operations FTS5's `bm25()` uses, so
    /// that summing the shares in phrase order gives its score to the last bit.
    package static func termScore(idf: Double, frequency: Double, length: Double, averageLength: Double) -> Double {
        idf * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * length / averageLength)))
    }

    /// Adds both functions to a connection (every connection must have them before it searches).
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        let mutableAPI = UnsafeMutablePointer(mutating: api)
        _ = api.pointee.xCreateFunction(mutableAPI, statistics, nil, statisticsFunction, nil)
        _ = api.pointee.xCreateFunction(mutableAPI, rank, nil, rankFunction, nil)
    }

    /// "rows;average length;phrase rows, comma-separated", for the query of the current match.
    static let statisticsFunction: fts5_extension_function = { api, fts, context, _, _ in
        guard let api = api?.pointee else { return }
        var rows: sqlite3_int64 = 0
        var tokens: sqlite3_int64 = 0
        guard api.xRowCount(fts, &rows) == SQLITE_OK, api.xColumnTotalSize(fts, -1, &tokens) == SQLITE_OK else {
            sqlite3_result_error(context, "clippings_bm25_stats: no statistics", -1)
            return
        }
        rows = max(rows, 1)
        var phraseRows: [Int64] = []
        for phrase in 0..<api.xPhraseCount(fts) {
            var hits: sqlite3_int64 = 0
            let code = api.xQueryPhrase(fts, phrase, &hits) { _, _, counter in
                counter?.assumingMemoryBound(to: sqlite3_int64.self).pointee += 1
                return SQLITE_OK
            }
            guard code == SQLITE_OK else {
                sqlite3_result_error(context, "clippings_bm25_stats: phrase query failed", -1)
                return
            }
            phraseRows.append(Int64(hits))
        }
        let average = Double(tokens) / Double(rows)
        let text = "\(rows);\(average);" + phraseRows.map(String.init).joined(separator: ",")
        // SQLite's SQLITE_TRANSIENT (a C macro Swift does not import): SQLite copies the text.
        sqlite3_result_text(context, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// BM25 of the current match with the given statistics; arguments: the two column weights, the rows,
    /// the average length, and the phrase rows as text ("3,17").
    static let rankFunction: fts5_extension_function = { api, fts, context, count, values in
        guard let api = api?.pointee, let values, count >= 5 else {
            sqlite3_result_error(context, "clippings_bm25: weights, rows, length and phrase rows needed", -1)
            return
        }
        let weights = [sqlite3_value_double(values[0]), sqlite3_value_double(values[1])]
        let rows = Double(max(sqlite3_value_int64(values[2]), 1))
        let averageLength = sqlite3_value_double(values[3])
        let phraseRows =
            sqlite3_value_text(values[4]).map { String(cString: $0) }?
            .split(separator: ",").compactMap { Double($0) } ?? []
        let phrases = Int(api.xPhraseCount(fts))
        // Statistics of another query (a forged cursor) rank nothing rather than fail the request.
        guard phraseRows.count == phrases, averageLength > 0 else {
            sqlite3_result_double(context, 0)
            return
        }
        var frequencies = [Double](repeating: 0, count: phrases)
        var instances: Int32 = 0
        guard api.xInstCount(fts, &instances) == SQLITE_OK else { return }
        for index in 0..<instances {
            var phrase: Int32 = 0
            var column: Int32 = 0
            var offset: Int32 = 0
            guard api.xInst(fts, index, &phrase, &column, &offset) == SQLITE_OK else { return }
            frequencies[Int(phrase)] += Int(column) < weights.count ? weights[Int(column)] : 1.0
        }
        var tokens: Int32 = 0
        guard api.xColumnSize(fts, -1, &tokens) == SQLITE_OK else { return }
        let length = Double(tokens)
        var score = 0.0
        for phrase in 0..<phrases {
            score += termScore(
                idf: idf(rows: rows, hits: phraseRows[phrase]),
                frequency: frequencies[phrase],
                length: length,
                averageLength: averageLength
            )
        }
        sqlite3_result_double(context, -1.0 * score)
    }
}

extension SearchRanking {
    /// The statistics of `search` over the archive now, or nil when nothing matches.
    static func current(for search: SearchQuery, in db: Database) throws -> SearchRanking? {
        guard
            let text = try String.fetchOne(
                db,
                sql:
                    "SELECT \(SearchRankingFunctions.statistics)(article_fts) FROM article_fts WHERE article_fts MATCH ? LIMIT 1",
                arguments: [search.ftsExpression]
            )
        else { return nil }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 3, let rows = Int64(parts[0]), let average = Double(parts[1]) else { return nil }
        let phraseRows = parts[2].split(separator: ",").compactMap { Int64($0) }
        let newest = try ArticleReads.newestID(in: db)
        return SearchRanking(rows: rows, averageLength: average, phraseRows: phraseRows, newestID: newest)
    }

    /// The index's rows and tokens (title and body) as `bm25()` reads them: FTS5's averages record, a
    /// row count and one token count per column as SQLite varints (`article_fts_data`, id 1).
    static func indexTotals(in db: Database) throws -> (rows: Int64, tokens: Int64) {
        guard
            let data = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT block FROM article_fts_data WHERE id = 1")
            )
        else { return (0, 0) }
        let bytes = [UInt8](data)
        var index = 0
        var values: [Int64] = []
        while index < bytes.count {
            var value: UInt64 = 0
            var length = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                length += 1
                if length == 9 {
                    value = (value << 8) | UInt64(byte)
                    break
                }
                value = (value << 7) | UInt64(byte & 0x7F)
                if byte < 0x80 { break }
            }
            values.append(Int64(bitPattern: value))
        }
        return (values.first ?? 0, values.dropFirst().reduce(0, +))
    }

    /// Whether the numbers can be statistics at all (a cursor is the client's to send, and could be forged).
    package var isPlausible: Bool {
        rows >= 1 && averageLength.isFinite && averageLength > 0 && newestID >= 0
            && phraseRows.allSatisfy { (0...rows).contains($0) }
    }

    /// The SQL score of a match under these statistics (higher is better), with its arguments.
    var score: (sql: String, arguments: StatementArguments) {
        (
            "-\(SearchRankingFunctions.rank)(article_fts, \(SearchRankingFunctions.weights), ?, ?, ?)",
            [rows, averageLength, phraseRows.map(String.init).joined(separator: ",")]
        )
    }
}

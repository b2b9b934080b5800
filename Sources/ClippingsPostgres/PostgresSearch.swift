import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// The search language in PostgreSQL: each word or phrase a `tsquery` built by functions from bound text
/// (`clippings_term`, `clippings_prefix`), so no input reaches PostgreSQL as query syntax; ranked by BM25
/// with FTS5's formula and constants, from the archive's own statistics (PostgreSQL's `ts_rank` has no
/// inverse document frequency).
struct PostgresSearch {
    let search: SearchQuery

    /// The words of a term, letters and digits only: what a prefix term's `tsquery` text is built from.
    static func words(of text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// The `tsquery` of one term, its text bound.
    static func termQuery(_ term: SearchQuery.Term, _ sql: SQLBuilder) -> String {
        guard term.prefix else { return "clippings_term(\(sql.bind(term.text)))" }
        let words = words(of: term.text)
        guard !words.isEmpty else { return "''::tsquery" }
        // Letters and digits joined by tsquery's own operators: nothing of the input is read as syntax.
        return "clippings_prefix(\(sql.bind(words.joined(separator: " <-> ") + ":*")))"
    }

    /// The whole search as one `tsquery` expression.
    func tsquery(_ sql: SQLBuilder) -> String {
        let required = search.required.map { group in
            "(" + group.map { Self.termQuery($0, sql) }.joined(separator: " || ") + ")"
        }
        var expression = required.joined(separator: " && ")
        if !search.excluded.isEmpty {
            expression =
                "(\(expression)) && !!(" + search.excluded.map { Self.termQuery($0, sql) }.joined(separator: " || ")
                + ")"
        }
        return "(\(expression))"
    }

    /// The terms that score: every required word and phrase, in the query's order.
    var scoredTerms: [SearchQuery.Term] { Array(search.required.joined()) }

    /// What BM25 needs of each scored term: its words' lexemes (a phrase's frequency is taken as its rarest
    /// word's, an upper bound on its occurrences), read once per query.
    func lexemes(connection: PostgresConnection, logger: Logger) async throws -> [[(lexemes: [String], prefix: Bool)]] {
        let terms = scoredTerms
        let words = terms.map { Self.words(of: $0.text) }
        let all = words.joined()
        guard !all.isEmpty else { return terms.map { _ in [] } }
        let select = SQLBuilder()
        select.append(
            "SELECT clippings_lexemes(w) FROM unnest(\(select.bind(Array(all)))) WITH ORDINALITY AS u(w, n) ORDER BY n"
        )
        var lexemes = try await connection.rows(select, logger: logger).map { try $0.decode([String].self) }[...]
        return zip(terms, words).map { term, words in
            words.enumerated().map { index, _ in
                (lexemes.popFirst() ?? [], term.prefix && index == words.count - 1)
            }
        }
    }

    /// The collection statistics of this search now: the archive's size and mean length, and each scored
    /// term's number of matching articles.
    func ranking(connection: PostgresConnection, logger: Logger) async throws -> SearchRanking {
        let select = SQLBuilder("SELECT articles, tokens, (SELECT coalesce(max(id), 0) FROM article)")
        for term in scoredTerms {
            select.append(", (SELECT count(*) FROM article WHERE search @@ \(Self.termQuery(term, select)))")
        }
        select.append(" FROM archive_state")
        guard let row = try await connection.rows(select, logger: logger).first?.makeRandomAccess() else {
            throw PostgresArchiveError.noRowReturned
        }
        let rows = max(try row[0].decode(Int64.self), 1)
        let tokens = try row[1].decode(Int64.self)
        let phraseRows = try scoredTerms.indices.map { try row[3 + $0].decode(Int64.self) }
        return SearchRanking(
            rows: rows,
            averageLength: max(Double(tokens) / Double(rows), 1),
            phraseRows: phraseRows,
            newestID: try row[2].decode(Int64.self)
        )
    }

    /// The BM25 score of `a` (higher is better) under `ranking`, as an SQL expression.
    static func score(
        lexemes: [[(lexemes: [String], prefix: Bool)]],
        ranking: SearchRanking,
        _ sql: SQLBuilder
    ) -> String {
        typealias Constants = SearchRankingFunctions
        let normaliser =
            "(\(Constants.k1) * (1 - \(Constants.b) + \(Constants.b) * a.search_length / \(sql.bind(ranking.averageLength))))"
        let parts = zip(lexemes, ranking.phraseRows).compactMap { words, hits -> String? in
            guard !words.isEmpty else { return nil }
            let frequencies = words.map { word in
                "clippings_frequency(a.search, \(sql.bind(word.lexemes)), \(sql.bind(word.prefix)), \(Constants.titleWeight))"
            }
            let frequency = frequencies.count == 1 ? frequencies[0] : "LEAST(\(frequencies.joined(separator: ", ")))"
            let idf = Constants.idf(rows: Double(ranking.rows), hits: Double(hits))
            return
                "(SELECT \(sql.bind(idf)) * (f * \(Constants.k1 + 1)) / (f + \(normaliser)) FROM (SELECT \(frequency) AS f) t)"
        }
        return parts.isEmpty ? "0::float8" : "(" + parts.joined(separator: " + ") + ")"
    }

    /// An excerpt of `a` around the matches: its text HTML-escaped, then `ts_headline`, so only the
    /// `<mark>` tags are markup; read from the body's first 16 KiB only, and computed for a page's rows.
    static func snippet(tsquery: String) -> String {
        let options = "'StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=12, ShortWord=2, MaxFragments=1'"
        func escaped(_ text: String) -> String {
            "replace(replace(replace(\(text), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
        }
        let body =
            "ts_headline(clippings_config(a.language), \(escaped("left(a.body, 16384)")), \(tsquery), \(options))"
        let title = "ts_headline(clippings_config(a.language), \(escaped("a.title")), \(tsquery), \(options))"
        return """
            (SELECT CASE WHEN position('<mark>' in b) > 0 OR position('<mark>' in t) = 0 THEN b ELSE t END
             FROM (SELECT \(body) AS b, \(title) AS t) h)
            """
    }
}

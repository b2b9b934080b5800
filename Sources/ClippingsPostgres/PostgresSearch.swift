import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// The search language in PostgreSQL: each word or phrase tokenized as the SQLite index tokenizes it
/// (`SearchTokenizer`), then bound as a `tsquery` value of quoted terms, so no input reaches PostgreSQL as
/// query syntax and the GIN index answers it; ranked by BM25 with FTS5's formula and constants, from the
/// archive's own statistics (PostgreSQL's `ts_rank` has no inverse document frequency).
struct PostgresSearch {
    let search: SearchQuery

    /// A term's tokens as the index holds them.
    static func tokens(of term: SearchQuery.Term) -> [String] {
        SearchTokenizer.shared.tokens(of: term.text, prefix: term.prefix)
    }

    /// The `tsquery` of one term, bound: its tokens in a row (`<->`), the last a prefix (`:*`) for a prefix
    /// term. A term without tokens is the empty query, which matches nothing.
    static func termQuery(_ term: SearchQuery.Term, _ sql: SQLBuilder) -> String {
        var parts = tokens(of: term).map(SearchTokenizer.quoted)
        if term.prefix, !parts.isEmpty { parts[parts.count - 1] += ":*" }
        return "\(sql.bind(parts.joined(separator: " <-> ")))::tsquery"
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

    /// What BM25 needs of each scored term: its words as the index holds them (a phrase's frequency is
    /// taken as its rarest word's, an upper bound on its occurrences).
    var lexemes: [[(lexeme: String, prefix: Bool)]] {
        scoredTerms.map { term in
            let tokens = Self.tokens(of: term)
            return tokens.enumerated().map { index, token in (token, term.prefix && index == tokens.count - 1) }
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
        lexemes: [[(lexeme: String, prefix: Bool)]],
        ranking: SearchRanking,
        _ sql: SQLBuilder
    ) -> String {
        typealias Constants = SearchRankingFunctions
        let normaliser =
            "(\(Constants.k1) * (1 - \(Constants.b) + \(Constants.b) * a.search_length / \(sql.bind(ranking.averageLength))))"
        let parts = zip(lexemes, ranking.phraseRows).compactMap { words, hits -> String? in
            guard !words.isEmpty else { return nil }
            let frequencies = words.map { word in
                // A word's weighted frequency is one key of `search_terms`; a prefix's, every key it starts.
                word.prefix
                    ? "(SELECT coalesce(sum(value::float8), 0) FROM jsonb_each_text(a.search_terms) "
                        + "WHERE starts_with(key, \(sql.bind(word.lexeme))))"
                    : "coalesce((a.search_terms ->> \(sql.bind(word.lexeme)))::float8, 0)"
            }
            let frequency = frequencies.count == 1 ? frequencies[0] : "LEAST(\(frequencies.joined(separator: ", ")))"
            let idf = Constants.idf(rows: Double(ranking.rows), hits: Double(hits))
            return
                "(SELECT \(sql.bind(idf)) * (f * \(Constants.k1 + 1)) / (f + \(normaliser)) FROM (SELECT \(frequency) AS f) t)"
        }
        return parts.isEmpty ? "0::float8" : "(" + parts.joined(separator: " + ") + ")"
    }
}

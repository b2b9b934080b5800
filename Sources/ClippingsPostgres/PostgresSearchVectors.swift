import ClippingsStore
import Foundation
import Logging
import PostgresNIO

/// The stored search vectors against the archive's tokenizer: rebuilt when an archive's were made another
/// way, and compared by `clippings check`. A batch of articles at a time, so memory stays flat.
struct PostgresSearchVectors {
    let connection: PostgresConnection
    let logger: Logger

    /// The way vectors are made now (`archive_state.search_tokenizer`): 2, `SearchTokenizer`; 3, with the
    /// term frequencies beside them.
    static let tokenizer = 3
    static let batchSize = 500

    /// Each batch of articles by id, with the vector and length the tokenizer makes of each.
    private func forEachBatch(
        _ body: ([(id: Int64, terms: SearchTokenizer.Terms)]) async throws -> Void
    ) async throws {
        var last: Int64 = 0
        while true {
            let select = SQLBuilder()
            select.append(
                "SELECT id, title, body FROM article WHERE id > \(select.bind(last)) ORDER BY id "
                    + "LIMIT \(select.bind(Self.batchSize))"
            )
            let rows = try await connection.rows(select, logger: logger).map {
                try $0.decode((Int64, String, String).self)
            }
            guard let end = rows.last?.0 else { return }
            try await body(
                try rows.map { id, title, text in (id, try SearchTokenizer.shared.terms(title: title, body: text)) }
            )
            last = end
        }
    }

    /// Whether the vectors were made the way they are made now.
    func isCurrent() async throws -> Bool {
        let made = try await connection.value(
            Int.self,
            SQLBuilder("SELECT search_tokenizer FROM archive_state"),
            logger: logger
        )
        return made ?? 0 >= Self.tokenizer
    }

    /// Remakes every vector, the lexeme counts and the token total, when they were made another way;
    /// in the caller's write transaction.
    func rebuildIfOlder() async throws {
        guard try await !isCurrent() else { return }
        var articles = 0
        try await forEachBatch { batch in
            let update = SQLBuilder()
            update.append(
                """
                UPDATE article a SET search = v.vector::tsvector, search_terms = v.terms::jsonb, search_length = v.length
                FROM unnest(\(update.bind(batch.map(\.id))), \(update.bind(batch.map(\.terms.vector))),
                    \(update.bind(batch.map(\.terms.frequencies))), \(update.bind(batch.map(\.terms.length))))
                    AS v(id, vector, terms, length)
                WHERE a.id = v.id
                """
            )
            try await connection.run(update, logger: logger)
            articles += batch.count
        }
        for statement in [
            "DELETE FROM search_lexeme",
            """
            INSERT INTO search_lexeme (lexeme, articles)
            SELECT lexeme, count(*) FROM article, unnest(tsvector_to_array(search)) lexeme GROUP BY lexeme
            """,
            """
            UPDATE archive_state SET tokens = (SELECT coalesce(sum(search_length), 0) FROM article),
                search_tokenizer = \(Self.tokenizer)
            """,
        ] {
            try await connection.run(SQLBuilder(statement), logger: logger)
        }
        logger.info("search vectors rebuilt with the archive's tokenizer", metadata: ["articles": "\(articles)"])
    }

    /// The articles whose stored vector or length differs from what the tokenizer makes of them now.
    func mismatches(limit: Int) async throws -> [Int64] {
        var found: [Int64] = []
        try await forEachBatch { batch in
            guard found.count < limit else { return }
            let compare = SQLBuilder()
            compare.append(
                """
                SELECT a.id FROM unnest(\(compare.bind(batch.map(\.id))), \(compare.bind(batch.map(\.terms.vector))),
                    \(compare.bind(batch.map(\.terms.frequencies))), \(compare.bind(batch.map(\.terms.length))))
                    AS v(id, vector, terms, length)
                JOIN article a ON a.id = v.id
                WHERE a.search IS DISTINCT FROM v.vector::tsvector OR a.search_terms != v.terms::jsonb
                    OR a.search_length != v.length
                ORDER BY a.id
                """
            )
            found += try await connection.rows(compare, logger: logger).map { try $0.decode(Int64.self) }
        }
        return Array(found.prefix(limit))
    }
}

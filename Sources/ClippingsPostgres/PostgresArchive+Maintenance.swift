import ClippingsStore
import Foundation
import NIOCore
import PostgresNIO

extension PostgresArchive: ArchiveMaintenance {
    /// PostgreSQL checks its own pages and foreign keys as it writes; these check what the writer keeps.
    public static let integrityChecks = [
        "article_counts", "archive_totals", "search_vectors", "search_lexemes", "article_authors", "change_feed",
        "story_counts",
    ]

    public var integrityCheckNames: [String] { Self.integrityChecks }

    /// Each check is one statement naming what it found (at most 20 of each).
    public func integrityProblems() async throws -> [IntegrityProblem] {
        let checks: [(name: String, sql: String)] = [
            (
                "article_counts",
                """
                SELECT 'tag ' || slug || ' is miscounted' FROM tag t
                WHERE article_count != (SELECT count(*) FROM article_tag WHERE tag_id = t.id)
                UNION ALL
                SELECT 'source ' || slug || ' is miscounted' FROM source s
                WHERE article_count != (SELECT count(*) FROM article WHERE source_id = s.id)
                """
            ),
            (
                "archive_totals",
                """
                SELECT 'the archive keeps ' || s.articles || ' articles and ' || s.tokens || ' words, but holds '
                    || a.articles || ' and ' || a.tokens
                FROM archive_state s,
                    (SELECT count(*) AS articles, coalesce(sum(search_length), 0) AS tokens FROM article) a
                WHERE s.articles != a.articles OR s.tokens != a.tokens
                """
            ),
            (
                "search_lexemes",
                """
                SELECT '''' || coalesce(k.lexeme, h.lexeme) || ''' is counted in ' || coalesce(k.articles, 0)
                    || ' articles, held by ' || coalesce(h.articles, 0)
                FROM (SELECT lexeme, articles FROM search_lexeme WHERE articles != 0) k
                FULL JOIN (
                    SELECT lexeme COLLATE "C" AS lexeme, count(*) AS articles
                    FROM article, unnest(tsvector_to_array(search)) lexeme GROUP BY 1
                ) h ON h.lexeme = k.lexeme
                WHERE k.articles IS DISTINCT FROM h.articles
                """
            ),
            (
                "article_authors",
                """
                SELECT 'article ' || a.id || '''s byline differs from its writers' FROM article a
                WHERE a.author IS DISTINCT FROM (
                    SELECT string_agg(name, ', ' ORDER BY position) FROM article_author WHERE article_id = a.id
                )
                """
            ),
            (
                "change_feed",
                """
                SELECT 'article ' || a.id || ' is missing from the change feed' FROM article a
                WHERE NOT EXISTS (SELECT 1 FROM article_change c WHERE c.article_id = a.id AND NOT c.deleted)
                """
            ),
            ("story_counts", AppDatabase.miscountedStories),
        ]
        return try await read { connection in
            var problems: [IntegrityProblem] = []
            for id in try await PostgresSearchVectors(connection: connection, logger: logger).mismatches(limit: 20) {
                problems.append(
                    IntegrityProblem(
                        check: "search_vectors",
                        detail: "article \(id)'s search vector differs from its text"
                    )
                )
            }
            for check in checks {
                for row in try await connection.rows(PostgresQuery(unsafeSQL: check.sql + " LIMIT 20"), logger: logger)
                {
                    problems.append(IntegrityProblem(check: check.name, detail: try row.decode(String.self)))
                }
            }
            return problems
        }
    }

    public func storedRecords(after id: Int64, limit: Int) async throws -> [StoredRecord] {
        let select = SQLBuilder()
        select.append(
            """
            SELECT a.id, a.slug, a.identity, a.format, a.created_at, a.updated_at,
                d.file_name, d.url, d.source_name, d.size, d.deflated, d.edited_at
            FROM article a LEFT JOIN article_document d ON d.article_id = a.id
            WHERE a.id > \(select.bind(id)) ORDER BY a.id LIMIT \(select.bind(limit))
            """
        )
        return try await read { connection in
            try await connection.rows(select, logger: logger).map { row in
                let (id, slug, identity, format, created, updated) = try row.decode(
                    (Int64, String, String, String, String, String).self
                )
                let cells = row.makeRandomAccess()
                let size = try cells[9].decode(Int?.self)
                let document = try size.map { size in
                    SourceDocument(
                        fileName: try cells[6].decode(String?.self),
                        url: try cells[7].decode(String?.self),
                        sourceName: try cells[8].decode(String?.self),
                        size: size,
                        deflated: Data(try cells[10].decode(ByteBuffer.self).readableBytesView)
                    )
                }
                return StoredRecord(
                    id: id,
                    slug: slug,
                    identity: identity,
                    format: format,
                    createdAt: created,
                    updatedAt: updated,
                    document: document,
                    documentEditedAt: try cells[11].decode(String?.self)
                )
            }
        }
    }

    /// Stores the articles under their own ids, then moves the id sequence past them, so the next
    /// article imported gets a new id.
    public func restore(_ articles: [ArchivedArticle]) async throws {
        try await write { connection in
            let writer = PostgresWriter(connection: connection, logger: logger)
            let batch = WriteBatch()
            try await writer.stories.readFrequencies(of: articles.map(\.prepared.storyFeatures))
            for article in articles {
                let outcome = try await writer.insert(
                    article.prepared,
                    stamp: article.record.createdAt,
                    stored: article.record,
                    batch: batch
                )
                guard case .created(article.record.id) = outcome else {
                    throw RestoreError.notStored(article.record.id)
                }
            }
            // The change feed starts anew at the destination: the articles changed now, by the copy.
            try await writer.finish(batch, stamp: Timestamp.string(Date()))
            try await connection.run(
                "SELECT setval(pg_get_serial_sequence('article', 'id'), (SELECT max(id) FROM article))",
                logger: logger
            )
        }
    }
}

import ClippingsStore
import Foundation
import NIOCore
import PostgresNIO

/// What `clippings reextract` reads and writes on PostgreSQL (the run itself is `ArchiveMaintenance`'s).
extension PostgresArchive {
    public func reextractionCounts(matching query: ArticleQuery) async throws -> (articles: Int, withoutDocument: Int) {
        let count = SQLBuilder()
        count.append(
            """
            SELECT count(*), count(*) FILTER (WHERE NOT EXISTS
                (SELECT 1 FROM article_document d WHERE d.article_id = a.id))
            FROM article a WHERE \(PostgresListing.filter(query, count))
            """
        )
        return try await read { connection in
            guard let row = try await connection.rows(count, logger: logger).first else { return (0, 0) }
            let (articles, withoutDocument) = try row.decode((Int64, Int64).self)
            return (Int(articles), Int(withoutDocument))
        }
    }

    public func documentBatch(
        after id: Int64,
        matching query: ArticleQuery,
        limit: Int
    ) async throws
        -> [ReextractionItem]
    {
        let select = SQLBuilder()
        let filter = PostgresListing.filter(query, select)
        select.append(
            """
            SELECT a.id, d.file_name, d.url, d.source_name, d.size, d.deflated, d.edited_at
            FROM article a JOIN article_document d ON d.article_id = a.id
            WHERE a.id > \(select.bind(id)) AND \(filter) ORDER BY a.id LIMIT \(select.bind(limit))
            """
        )
        return try await read { connection in
            let documents = try await connection.rows(select, logger: logger).map { row in
                let (id, fileName, url, sourceName, size, deflated, editedAt) = try row.decode(
                    (Int64, String?, String?, String?, Int, ByteBuffer, String?).self
                )
                let document = SourceDocument(
                    fileName: fileName,
                    url: url,
                    sourceName: sourceName,
                    size: size,
                    deflated: Data(deflated.readableBytesView)
                )
                return (id: id, document: document, editedAt: editedAt)
            }
            let details = try await PostgresReads(connection: connection, logger: logger)
                .details(ids: documents.map(\.id))
            return ReextractionItem.matching(details, documents)
        }
    }

    public func rewrite(_ articles: [(id: Int64, article: PreparedArticle)], now: Date) async throws {
        let stamp = Timestamp.string(now)
        try await write { connection in
            let writer = PostgresWriter(connection: connection, logger: logger)
            for rewrite in articles { try await writer.rewrite(rewrite.id, with: rewrite.article, stamp: stamp) }
            try await writer.stories.finish()
        }
    }
}

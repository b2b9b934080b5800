import Foundation
import GRDB

extension AppDatabase: ArchiveMaintenance {
    public var integrityCheckNames: [String] { Self.integrityChecks }

    public func storedRecords(after id: Int64, limit: Int) async throws -> [StoredRecord] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.slug, a.identity, a.format, a.created_at, a.updated_at,
                        d.file_name, d.url, d.source_name, d.size, d.deflated, d.edited_at
                    FROM article a LEFT JOIN article_document d ON d.article_id = a.id
                    WHERE a.id > ? ORDER BY a.id LIMIT ?
                    """,
                arguments: [id, limit]
            ).map { row in
                let size: Int? = row["size"]
                return StoredRecord(
                    id: row["id"],
                    slug: row["slug"],
                    identity: row["identity"],
                    format: row["format"],
                    createdAt: row["created_at"],
                    updatedAt: row["updated_at"],
                    document: size.map { size in
                        SourceDocument(
                            fileName: row["file_name"],
                            url: row["url"],
                            sourceName: row["source_name"],
                            size: size,
                            deflated: row["deflated"]
                        )
                    },
                    documentEditedAt: row["edited_at"]
                )
            }
        }
    }

    public func restore(_ articles: [ArchivedArticle]) async throws {
        try await writeArticles { db in
            let memo = StoryMemo()
            for article in articles {
                let outcome = try ArticleWriter.insert(
                    article.prepared,
                    stamp: article.record.createdAt,
                    memo: memo,
                    stored: article.record,
                    in: db
                )
                guard case .created(article.record.id) = outcome else {
                    throw RestoreError.notStored(article.record.id)
                }
            }
        }
    }
}

/// Why a restore stopped (and stored nothing of its batch).
public enum RestoreError: Error, Equatable, Sendable {
    /// The article was not stored under its own id.
    case notStored(Int64)
}

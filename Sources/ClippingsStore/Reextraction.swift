import ClippingsExtraction
import Foundation
import GRDB

/// What a re-extraction run did, and why it left articles as they were.
public struct ReextractReport: Sendable, Equatable {
    /// Articles the filter selected.
    public var articles = 0
    /// Selected articles with no raw document: given as JSON, or stored before documents were kept.
    public var withoutDocument = 0
    /// Selected articles edited by hand since their fields were extracted: left as they are unless the run
    /// overwrites edits.
    public var editedByHand = 0
    /// Articles whose documents were extracted again.
    public var reextracted = 0
    /// Of those, how many came out different (and were rewritten, unless the run was a dry run).
    public var changed = 0
    /// Documents that no longer give an article, or do not inflate: their articles are left as they are.
    public var failed = 0
    /// For each field, how many articles it changed in.
    public var fieldChanges: [String: Int] = [:]
    /// The first changed articles' ids (at most 100), to look at.
    public var changedIDs: [Int64] = []

    public init() {}
}

/// An article chosen for re-extraction: its stored fields and its kept document.
public struct ReextractionItem: Sendable {
    public var id: Int64
    public var current: ArticleDetail
    public var document: SourceDocument
    /// When the article was edited by hand, if it was.
    public var editedAt: String?

    package init(id: Int64, current: ArticleDetail, document: SourceDocument, editedAt: String?) {
        self.id = id
        self.current = current
        self.document = document
        self.editedAt = editedAt
    }
}

extension ArchiveMaintenance {
    /// Runs `extractor` again over the raw documents of the articles matching `query` (its filters; search
    /// and order aside), rewriting each article whose fields come out different in place: same id, same
    /// slug, same identity. Articles without a document, and articles edited by hand after extraction, are
    /// left as they are and counted.
    ///
    /// Works through the archive in id order, `batchSize` articles at a time: documents are read in a read
    /// transaction, extracted outside any transaction, and each batch's changes written in one short write
    /// transaction, so a server on the same archive keeps answering and writing between batches.
    public func reextract(
        matching query: ArticleQuery = ArticleQuery(),
        extractor: DocumentExtractor = DocumentExtractor(),
        batchSize: Int = 200,
        dryRun: Bool = false,
        overwritingEdits: Bool = false,
        now: @escaping @Sendable () -> Date = { Date() },
        onBatch: (ReextractReport) -> Void = { _ in }
    ) async throws -> ReextractReport {
        var query = query
        query.search = nil
        var report = ReextractReport()
        (report.articles, report.withoutDocument) = try await reextractionCounts(matching: query)
        var lastID: Int64 = 0
        while true {
            let batch = try await documentBatch(after: lastID, matching: query, limit: max(1, batchSize))
            guard let last = batch.last else { break }
            lastID = last.id
            var rewrites: [(id: Int64, article: PreparedArticle)] = []
            for item in batch {
                guard item.editedAt == nil || overwritingEdits else {
                    report.editedByHand += 1
                    continue
                }
                guard let input = item.document.input, var article = try? extractor.extract(input) else {
                    report.failed += 1
                    continue
                }
                report.reextracted += 1
                if let name = item.document.sourceName { article.source = PublisherDirectory.publisher(named: name) }
                let changes = Reextraction.changedFields(item.current, article)
                guard !changes.isEmpty else { continue }
                report.changed += 1
                for field in changes { report.fieldChanges[field, default: 0] += 1 }
                if report.changedIDs.count < 100 { report.changedIDs.append(item.id) }
                rewrites.append((item.id, PreparedArticle(article)))
            }
            if !dryRun, !rewrites.isEmpty { try await rewrite(rewrites, now: now()) }
            onBatch(report)
        }
        return report
    }
}

extension AppDatabase {
    public func reextractionCounts(matching query: ArticleQuery) async throws -> (articles: Int, withoutDocument: Int) {
        let filter = ArticleFilter(query, tagsByMembership: true)
        return try await writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT EXISTS
                        (SELECT 1 FROM article_document d WHERE d.article_id = a.id))
                    FROM article a WHERE \(filter.sql)
                    """,
                arguments: filter.arguments
            )
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    public func documentBatch(
        after id: Int64,
        matching query: ArticleQuery,
        limit: Int
    ) async throws
        -> [ReextractionItem]
    {
        let filter = ArticleFilter(query, tagsByMembership: true)
        return try await writer.read { db in
            let rows = try DocumentRow.fetchAll(
                db,
                sql: """
                    SELECT a.id, d.file_name, d.url AS document_url, d.source_name, d.size, d.deflated, d.edited_at
                    FROM article a JOIN article_document d ON d.article_id = a.id
                    WHERE a.id > ? AND \(filter.sql) ORDER BY a.id LIMIT \(limit)
                    """,
                arguments: [id] + filter.arguments
            )
            let summaries = try ArticleReads.summaries(ids: rows.map(\.id), in: db)
            let current = try ArticleReads.details(of: rows.compactMap { summaries[$0.id] }, in: db)
            return ReextractionItem.matching(current, rows.map { ($0.id, $0.document, $0.editedAt) })
        }
    }

    public func rewrite(_ articles: [(id: Int64, article: PreparedArticle)], now: Date) async throws {
        let stamp = Timestamp.string(now)
        try await writeArticles { db in
            for rewrite in articles {
                try ArticleWriter.rewrite(rewrite.id, with: rewrite.article, stamp: stamp, in: db)
            }
        }
    }
}

extension ReextractionItem {
    /// Each document with its article's stored fields, in the documents' order (an article gone since is left out).
    package static func matching(
        _ details: [ArticleDetail],
        _ documents: [(id: Int64, document: SourceDocument, editedAt: String?)]
    ) -> [ReextractionItem] {
        let byID = Dictionary(uniqueKeysWithValues: details.map { ($0.summary.id, $0) })
        return documents.compactMap { row in
            byID[row.id].map {
                ReextractionItem(id: row.id, current: $0, document: row.document, editedAt: row.editedAt)
            }
        }
    }
}

/// What a fresh extraction changes in a stored article.
enum Reextraction {
    /// The names of the fields in which a fresh extraction differs from the stored article.
    static func changedFields(_ stored: ArticleDetail, _ fresh: ExtractedArticle) -> [String] {
        let summary = stored.summary
        let freshDate = fresh.publishedAt.map(Timestamp.string)
        let storedDate = summary.publishedAt.map(Timestamp.string)
        let comparisons: [(String, Bool)] = [
            ("title", summary.title == fresh.title),
            ("authors", summary.authors == PreparedArticle.authorNames(of: fresh)),
            ("published_at", storedDate == freshDate),
            ("language", summary.language == fresh.language),
            ("source", summary.source?.slug == fresh.source.map(\.slug).flatMap { $0.isEmpty ? nil : $0 }),
            ("url", summary.url == fresh.url),
            // Tags are one by name (v9): a stored tag keeps the slug it was given.
            (
                "tags",
                summary.tags.map { ArticleRules.sortKey($0.name) } == fresh.tags.map { ArticleRules.sortKey($0.name) }
            ),
            ("categories", stored.categories == fresh.categories),
            ("body", stored.paragraphs == fresh.paragraphs),
            ("links", stored.links.map(\.url) == fresh.links.map(\.url)),
            ("images", stored.images.map(\.url) == fresh.images.map(\.url)),
            ("external_id", stored.externalID == fresh.externalID),
        ]
        return comparisons.filter { !$0.1 }.map(\.0)
    }
}

/// An article's kept document, and when the article was edited by hand.
struct DocumentRow: FetchableRecord {
    var id: Int64
    var document: SourceDocument
    var editedAt: String?

    init(row: Row) {
        id = row["id"]
        document = SourceDocument(
            fileName: row["file_name"],
            url: row["document_url"],
            sourceName: row["source_name"],
            size: row["size"],
            deflated: row["deflated"]
        )
        editedAt = row["edited_at"]
    }
}

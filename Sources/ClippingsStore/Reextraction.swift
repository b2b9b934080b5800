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

extension AppDatabase {
    /// Runs `extractor` again over the raw documents of the articles matching `query` (its filters; search
    /// and order aside), rewriting each article whose fields come out different in place: same id, same
    /// slug, same identity. Articles without a document, and articles edited by hand after extraction, are
    /// left as they are and counted.
    ///
    /// Works through the archive in id order, `batchSize` articles at a time: documents are read in a read
    /// transaction, extracted outside any transaction, and each batch's changes written in one short write
    /// transaction, so a server on the same file keeps answering and writing between batches.
    public func reextract(
        matching query: ArticleQuery = ArticleQuery(),
        extractor: DocumentExtractor = DocumentExtractor(),
        batchSize: Int = 200,
        dryRun: Bool = false,
        overwritingEdits: Bool = false,
        now: @escaping @Sendable () -> Date = { Date() },
        onBatch: (ReextractReport) -> Void = { _ in }
    ) async throws -> ReextractReport {
        let filter = ArticleFilter(query, tagsByMembership: true)
        var report = try await writer.read { db in
            var report = ReextractReport()
            report.articles =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM article a WHERE \(filter.sql)",
                    arguments: filter.arguments
                )
                ?? 0
            report.withoutDocument =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM article a WHERE \(filter.sql)
                        AND NOT EXISTS (SELECT 1 FROM article_document d WHERE d.article_id = a.id)
                        """,
                    arguments: filter.arguments
                ) ?? 0
            return report
        }
        var lastID: Int64 = 0
        while true {
            let after = lastID
            let batch = try await writer.read { db in
                try Self.documentBatch(after: after, filter: filter, limit: max(1, batchSize), in: db)
            }
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
                let changes = Self.changedFields(item.current, article)
                guard !changes.isEmpty else { continue }
                report.changed += 1
                for field in changes { report.fieldChanges[field, default: 0] += 1 }
                if report.changedIDs.count < 100 { report.changedIDs.append(item.id) }
                rewrites.append((item.id, PreparedArticle(article)))
            }
            if !dryRun, !rewrites.isEmpty {
                let stamp = Timestamp.string(now())
                let pending = rewrites
                try await writeArticles { db in
                    for rewrite in pending {
                        try ArticleWriter.rewrite(rewrite.id, with: rewrite.article, stamp: stamp, in: db)
                    }
                }
            }
            onBatch(report)
        }
        return report
    }

    /// An article chosen for re-extraction: its stored fields and its document.
    struct DocumentItem {
        var id: Int64
        var current: ArticleDetail
        var document: SourceDocument
        /// When the article was edited by hand, if it was.
        var editedAt: String?
    }

    static func documentBatch(
        after id: Int64,
        filter: ArticleFilter,
        limit: Int,
        in db: Database
    ) throws -> [DocumentItem] {
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
        let byID = Dictionary(uniqueKeysWithValues: current.map { ($0.summary.id, $0) })
        return rows.compactMap { row in
            byID[row.id].map { DocumentItem(id: row.id, current: $0, document: row.document, editedAt: row.editedAt) }
        }
    }

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

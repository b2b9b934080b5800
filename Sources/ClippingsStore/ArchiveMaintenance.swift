import ClippingsExtraction
import Foundation

/// What maintenance needs of a backend beyond serving: checking it, reading every article as stored and
/// storing articles exactly so. `clippings copy` moves an archive between backends through it, so ids,
/// slugs, identities, times and raw documents survive the move and no URL changes.
public protocol ArchiveMaintenance: ArchiveStore {
    /// The names of the checks `integrityProblems()` runs, in order.
    var integrityCheckNames: [String] { get }
    /// Everything wrong with the stored archive, or nothing. Reads everything: never a request path.
    func integrityProblems() async throws -> [IntegrityProblem]
    /// Up to `limit` articles' stored identity (id, slug, times, raw document), after `id`, by id.
    func storedRecords(after id: Int64, limit: Int) async throws -> [StoredRecord]
    /// Stores articles with the ids, slugs and times they had, in one transaction (all or none). The
    /// archive must not hold those ids, slugs or identities; nothing is deduplicated.
    func restore(_ articles: [ArchivedArticle]) async throws
    /// How many articles `query`'s filters select, and how many of them keep no raw document.
    func reextractionCounts(matching query: ArticleQuery) async throws -> (articles: Int, withoutDocument: Int)
    /// Up to `limit` selected articles that keep a raw document, after `id`, by id: their fields and document.
    func documentBatch(after id: Int64, matching query: ArticleQuery, limit: Int) async throws -> [ReextractionItem]
    /// Rewrites articles' extracted fields in place (id, slug, identity and creation time kept; their
    /// documents no longer marked as edited after), in one transaction.
    func rewrite(_ articles: [(id: Int64, article: PreparedArticle)], now: Date) async throws
    /// Reclusters every article into stories from scratch, keeping story ids where it can (one transaction).
    func rebuildStories(now: Date) async throws -> StoryRebuildReport
    /// Closes the archive's files or connections.
    func close() throws
}

/// What makes a stored article that archive's, beyond its fields: what a copy must keep.
public struct StoredRecord: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var identity: String
    public var format: String
    public var createdAt: String
    public var updatedAt: String
    public var document: SourceDocument?
    /// When the article was edited after its document was extracted (the document no longer matches it).
    public var documentEditedAt: String?

    public init(
        id: Int64,
        slug: String,
        identity: String,
        format: String,
        createdAt: String,
        updatedAt: String,
        document: SourceDocument?,
        documentEditedAt: String?
    ) {
        self.id = id
        self.slug = slug
        self.identity = identity
        self.format = format
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.document = document
        self.documentEditedAt = documentEditedAt
    }
}

/// A stored article ready to be stored again elsewhere: its record and its fields, prepared.
public struct ArchivedArticle: Sendable {
    public var record: StoredRecord
    public var prepared: PreparedArticle

    /// The article `detail` shows, with the identity and document of `record`.
    public init(record: StoredRecord, detail: ArticleDetail) {
        let summary = detail.summary
        let article = ExtractedArticle(
            title: summary.title,
            author: summary.author,
            authors: summary.authors,
            publishedAt: summary.publishedAt,
            source: summary.source.map { Publisher(name: $0.name, domain: $0.domain) },
            url: summary.url,
            language: summary.language,
            categories: detail.categories,
            tags: summary.tags.map { Tag(slug: $0.slug, name: $0.name) },
            paragraphs: detail.paragraphs,
            links: detail.links,
            images: detail.images,
            externalID: detail.externalID,
            format: DocumentFormat(rawValue: record.format) ?? .plainText
        )
        var prepared = PreparedArticle(article)
        prepared.identity = record.identity
        prepared.document = record.document
        self.record = record
        self.prepared = prepared
    }
}

extension ArchiveMaintenance {
    /// Up to `limit` whole articles after `id`, by id, as stored.
    public func archivedArticles(after id: Int64, limit: Int) async throws -> [ArchivedArticle] {
        var articles: [ArchivedArticle] = []
        for record in try await storedRecords(after: id, limit: limit) {
            // An article deleted between the two reads is left out; the next batch starts after it anyway.
            guard let detail = try await article(id: record.id) else { continue }
            articles.append(ArchivedArticle(record: record, detail: detail))
        }
        return articles
    }
}

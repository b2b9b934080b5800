import ClippingsExtraction

/// An extracted article with what storing it needs that can be worked out without the database: its
/// identity and content hash, slug stem, sort keys, summary and word count.
///
/// Made before the write transaction, on whatever thread extracted the article: SQLite has one writer, so
/// every microsecond of work taken out of the transaction is import throughput.
public struct PreparedArticle: Sendable {
    public let article: ExtractedArticle
    let contentHash: String
    let identity: String
    let slugStem: String
    let titleKey: String
    let authorKey: String?
    let summary: String
    let wordCount: Int
    let publishedAt: String?

    public init(_ article: ExtractedArticle) {
        self.article = article
        contentHash = AppDatabase.contentHash(of: article)
        identity = article.url.flatMap(AppDatabase.normalizedURL).map { "url:" + $0 } ?? "sha256:" + contentHash
        slugStem = AppDatabase.slugStem(for: article.title)
        titleKey = AppDatabase.sortKey(article.title)
        authorKey = article.author.map(AppDatabase.sortKey)
        summary = AppDatabase.summary(of: article.paragraphs)
        wordCount = article.wordCount
        publishedAt = article.publishedAt.map(Timestamp.string)
    }
}

import ClippingsExtraction
import ClippingsStories

/// An extracted article with what storing it needs that can be worked out without the database: its
/// identity and content hash, slug stem, sort keys, summary and word count.
///
/// Made before the write transaction, on whatever thread extracted the article: SQLite has one writer, so
/// every microsecond of work taken out of the transaction is import throughput. Every backend stores
/// these values as they are, so identity and slugs agree whichever backend holds the archive.
public struct PreparedArticle: Sendable {
    public let article: ExtractedArticle
    public let contentHash: String
    /// `package(set)`: a copied article keeps the identity it had in the archive it came from.
    public package(set) var identity: String
    public let slugStem: String
    public let titleKey: String
    public let authorKey: String?
    /// Each writer's name with its lookup key, in byline order.
    public let authors: [(name: String, key: String)]
    /// The raw document the article came from, deflated; nil for articles given as fields (JSON).
    public package(set) var document: SourceDocument?
    public let summary: String
    public let wordCount: Int
    public let publishedAt: String?
    /// What story matching reads of the article, before the archive's word statistics weigh it.
    public let storyFeatures: StoryFeatures
    /// The body's MinHash signature, which finds syndicated copies.
    public let signature: ShingleSignature

    /// `document` is the raw document `article` was extracted from, kept for re-extraction, and
    /// `sourceName` the publisher the importer named for it instead of the one extraction found.
    /// `identifiedByExternalID`: the client gave the article's `external_id`, which with its source then
    /// identifies it when no URL does (an id extraction read from a page is not trusted that far).
    public init(
        _ extracted: ExtractedArticle,
        document: DocumentInput? = nil,
        sourceName: String? = nil,
        identifiedByExternalID: Bool = false
    ) {
        // One spelling of every text, so NFC and NFD copies of an article are one article (and one search).
        let article = extracted.normalized
        self.article = article
        self.document = document.flatMap { SourceDocument($0, sourceName: sourceName) }
        contentHash = ArticleRules.contentHash(title: article.title, body: article.body)
        let external =
            identifiedByExternalID ? article.externalID.flatMap { id in article.source.map { ($0.slug, id) } } : nil
        identity = ArticleRules.identity(url: article.url, external: external, contentHash: contentHash)
        slugStem = ArticleRules.slugStem(for: article.title)
        titleKey = ArticleRules.sortKey(article.title)
        authorKey = article.author.map(ArticleRules.sortKey)
        authors = Self.authorNames(of: article).map { ($0, ArticleRules.sortKey($0)) }
        summary = ArticleRules.summary(of: article.paragraphs)
        wordCount = article.wordCount
        publishedAt = article.publishedAt.map(Timestamp.string)
        // The body's words read once, for both.
        let bodyWords = StoryWords.words(in: article.body.prefix(ShingleSignature.textLimit))
        storyFeatures = StoryFeatures(article, bodyWords: bodyWords)
        signature = ShingleSignature(words: bodyWords)
    }

    /// The article's writers: its `authors`, else its byline as one name.
    public static func authorNames(of article: ExtractedArticle) -> [String] {
        article.authors.isEmpty ? article.author.map { [$0] } ?? [] : article.authors
    }
}

extension StoryFeatures {
    /// The features of an extracted article.
    init(_ article: ExtractedArticle, bodyWords: [StoryWord]) {
        self.init(
            title: article.title,
            body: article.body,
            bodyWords: bodyWords,
            links: article.links.map(\.url),
            tags: article.tags.map(\.slug),
            published: article.publishedAt
        )
    }
}

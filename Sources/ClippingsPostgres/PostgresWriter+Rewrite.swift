import ClippingsExtraction
import ClippingsStore
import Foundation
import PostgresNIO

extension PostgresWriter {
    /// Replaces a stored article's extracted fields with a fresh extraction's (`clippings reextract`),
    /// keeping its id, slug, identity and creation time; what the writer keeps follows, and the article is
    /// placed in a story again. Nothing when there is no such article.
    func rewrite(_ id: Int64, with prepared: PreparedArticle, stamp: String) async throws {
        let current = SQLBuilder()
        current.append("SELECT source_id, search_length FROM article WHERE id = \(current.bind(id)) FOR UPDATE")
        guard let row = try await connection.rows(current, logger: logger).first else { return }
        let (oldSource, oldLength) = try row.decode((Int64?, Int).self)
        let oldTags = try await tagIDs(of: id)
        let article = prepared.article
        let source = try await article.source.asyncFlatMap { try await self.sourceID(for: $0) }
        let terms = try SearchTokenizer.shared.terms(title: article.title, body: article.body)
        let update = SQLBuilder()
        update.append(
            """
            UPDATE article SET title = \(update.bind(article.title)), title_key = \(update.bind(prepared.titleKey)),
                author = \(update.bind(article.author)), author_key = \(update.bind(prepared.authorKey)),
                published_at = \(update.bind(prepared.publishedAt)), language = \(update.bind(article.language)),
                source_id = \(update.bind(source)), url = \(update.bind(article.url)),
                external_id = \(update.bind(article.externalID)), body = \(update.bind(article.body)),
                summary = \(update.bind(prepared.summary)), word_count = \(update.bind(prepared.wordCount)),
                content_hash = \(update.bind(prepared.contentHash)), format = \(update.bind(article.format.rawValue)),
                updated_at = \(update.bind(stamp)), search = \(update.bind(terms.vector))::tsvector,
                search_terms = \(update.bind(terms.frequencies))::jsonb, search_length = \(update.bind(terms.length))
            WHERE id = \(update.bind(id))
            """
        )
        try await countLexemes(of: [id], by: -1)
        try await connection.run(update, logger: logger)
        try await countLexemes(of: [id], by: 1)
        try await adjustTotals(articles: 0, tokens: terms.length - oldLength)
        for table in ["article_tag", "article_category", "link", "image"] { try await deleteRows(of: id, from: table) }
        let newTags = try await insertLists(of: prepared, for: id)
        try await recount(tags: oldTags + newTags)
        try await recount(sources: [oldSource, source].compactMap { $0 })
        // The article is its document's again.
        let extracted = SQLBuilder()
        extracted.append("UPDATE article_document SET edited_at = NULL WHERE article_id = \(extracted.bind(id))")
        try await connection.run(extracted, logger: logger)
        try await stories.reassign(id, stamp: stamp)
        try await markChanged([id], stamp: stamp)
    }
}

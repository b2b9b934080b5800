import ClippingsExtraction
import ClippingsStore
import Foundation
import NIOCore
import PostgresNIO

/// An article's lists (writers, tags, categories, links, images) and its raw document.
extension PostgresWriter {
    /// Stores the article's lists; the tags it linked, whose counts the caller keeps.
    func insertLists(of prepared: PreparedArticle, for id: Int64) async throws -> [Int64] {
        let article = prepared.article
        try await insertAuthors(prepared.authors, of: id)
        let tags = try await insertTags(article.tags, of: id)
        try await insertCategories(article.categories, of: id)
        if !article.links.isEmpty {
            let links = SQLBuilder()
            links.append(
                """
                INSERT INTO link (article_id, position, url, text)
                SELECT \(links.bind(id)), position - 1, url, text
                FROM unnest(\(links.bind(article.links.map(\.url))), \(links.bind(article.links.map(\.text))))
                    WITH ORDINALITY AS l(url, text, position)
                """
            )
            try await connection.run(links, logger: logger)
        }
        if !article.images.isEmpty {
            let images = SQLBuilder()
            images.append(
                """
                INSERT INTO image (article_id, position, url, alt)
                SELECT \(images.bind(id)), position - 1, url, CASE WHEN missing THEN NULL ELSE alt END
                FROM unnest(\(images.bind(article.images.map(\.url))), \(images.bind(article.images.map { $0.alt ?? "" })),
                    \(images.bind(article.images.map { $0.alt == nil }))) WITH ORDINALITY AS i(url, alt, missing, position)
                """
            )
            try await connection.run(images, logger: logger)
        }
        return tags
    }

    func insertAuthors(_ authors: [(name: String, key: String)], of id: Int64) async throws {
        try await deleteRows(of: id, from: "article_author")
        guard !authors.isEmpty else { return }
        let insert = SQLBuilder()
        insert.append(
            """
            INSERT INTO article_author (article_id, position, name, name_key)
            SELECT \(insert.bind(id)), position - 1, name, key
            FROM unnest(\(insert.bind(authors.map(\.name))), \(insert.bind(authors.map(\.key))))
                WITH ORDINALITY AS w(name, key, position)
            """
        )
        try await connection.run(insert, logger: logger)
    }

    /// Links an article to its tags, in order, creating tags not seen before; the tags' ids (their
    /// counts are the caller's to keep).
    func insertTags(_ tags: [Tag], of id: Int64) async throws -> [Int64] {
        let ids = try await namedIDs(in: "tag", tags.map { ($0.name, $0.slug) })
        try await link(id, to: ids, in: "article_tag", column: "tag_id")
        return ids
    }

    func insertCategories(_ categories: [String], of id: Int64) async throws {
        let named = categories.map { ($0, Slugifier.slug($0)) }.filter { !$0.1.isEmpty }
        try await link(id, to: try await namedIDs(in: "category", named), in: "article_category", column: "category_id")
    }

    /// One row per id, positions in order, in one statement.
    private func link(_ id: Int64, to ids: [Int64], in table: String, column: String) async throws {
        guard !ids.isEmpty else { return }
        let insert = SQLBuilder()
        insert.append(
            """
            INSERT INTO \(table) (article_id, \(column), position)
            SELECT \(insert.bind(id)), linked, position - 1 FROM unnest(\(insert.bind(ids))) WITH ORDINALITY AS l(linked, position)
            ON CONFLICT DO NOTHING
            """
        )
        try await connection.run(insert, logger: logger)
    }

    /// Notes that the article was edited after its document was extracted (the document no longer matches).
    func markDocumentEdited(of id: Int64, at stamp: String) async throws {
        let edited = SQLBuilder()
        edited.append(
            "UPDATE article_document SET edited_at = \(edited.bind(stamp)) WHERE article_id = \(edited.bind(id))"
        )
        try await connection.run(edited, logger: logger)
    }

    func insertDocument(_ document: SourceDocument, of id: Int64, replacing: Bool = true) async throws {
        let insert = SQLBuilder()
        insert.append(
            """
            INSERT INTO article_document (article_id, file_name, url, source_name, size, deflated)
            VALUES (\(insert.bind(id)), \(insert.bind(document.fileName)), \(insert.bind(document.url)),
                \(insert.bind(document.sourceName)), \(insert.bind(document.size)), \(insert.bind(ByteBuffer(bytes: document.deflated))))
            ON CONFLICT (article_id) DO
            """
                + (replacing
                    ? " UPDATE SET file_name = EXCLUDED.file_name, url = EXCLUDED.url, source_name = EXCLUDED.source_name, "
                        + "size = EXCLUDED.size, deflated = EXCLUDED.deflated"
                    : " NOTHING")
        )
        try await connection.run(insert, logger: logger)
    }
}

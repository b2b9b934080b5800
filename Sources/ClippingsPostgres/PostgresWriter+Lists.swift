import ClippingsExtraction
import ClippingsStore
import Foundation
import NIOCore
import PostgresNIO

/// An article's lists (writers, tags, categories, links, images) and its raw document.
extension PostgresWriter {
    func insertLists(of prepared: PreparedArticle, for id: Int64) async throws {
        let article = prepared.article
        try await insertAuthors(prepared.authors, of: id)
        try await insertTags(article.tags, of: id)
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
        for (position, image) in article.images.enumerated() {
            let insert = SQLBuilder()
            insert.append(
                "INSERT INTO image (article_id, position, url, alt) VALUES (\(insert.bind(id)), \(insert.bind(position)), "
                    + "\(insert.bind(image.url)), \(insert.bind(image.alt)))"
            )
            try await connection.run(insert, logger: logger)
        }
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

    func insertTags(_ tags: [Tag], of id: Int64) async throws {
        var linked: [Int64] = []
        for (position, tag) in tags.enumerated() {
            let tagID = try await namedID(in: "tag", name: tag.name, slug: tag.slug)
            let insert = SQLBuilder()
            insert.append(
                "INSERT INTO article_tag (article_id, tag_id, position) VALUES (\(insert.bind(id)), "
                    + "\(insert.bind(tagID)), \(insert.bind(position))) ON CONFLICT DO NOTHING"
            )
            try await connection.run(insert, logger: logger)
            linked.append(tagID)
        }
        try await recount(tags: linked)
    }

    func insertCategories(_ categories: [String], of id: Int64) async throws {
        for (position, name) in categories.enumerated() {
            let slug = Slugifier.slug(name)
            guard !slug.isEmpty else { continue }
            let categoryID = try await namedID(in: "category", name: name, slug: slug)
            let insert = SQLBuilder()
            insert.append(
                "INSERT INTO article_category (article_id, category_id, position) VALUES (\(insert.bind(id)), "
                    + "\(insert.bind(categoryID)), \(insert.bind(position))) ON CONFLICT DO NOTHING"
            )
            try await connection.run(insert, logger: logger)
        }
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

import ClippingsExtraction
import ClippingsStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Every write to the PostgreSQL archive, inside the writer's transaction: what SQLite's triggers keep
/// (tag and source counts, the archive's totals, the change feed) is kept here, in the same transaction.
struct PostgresWriter {
    let connection: PostgresConnection
    let logger: Logger
    /// Story placement for the transaction's articles.
    let stories: PostgresStoryTables

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
        stories = PostgresStoryTables(connection: connection, logger: logger)
    }

    /// Stores one prepared article unless the archive holds it already (same identity or same content).
    /// `stored`: the id, slug and times a copied article keeps (`restore`); it is never a duplicate.
    /// What is kept once per transaction (lexeme counts, totals, tag and source counts, change numbers) is
    /// left to `batch`, which `finish(_:stamp:)` settles.
    func insert(
        _ prepared: PreparedArticle,
        stamp: String,
        stored: StoredRecord? = nil,
        batch: WriteBatch
    ) async throws -> ImportOutcome {
        let article = prepared.article
        if stored == nil {
            let find = SQLBuilder()
            find.append(
                "SELECT id FROM article WHERE identity = \(find.bind(prepared.identity)) "
                    + "OR content_hash = \(find.bind(prepared.contentHash)) ORDER BY id LIMIT 1"
            )
            if let existing = try await connection.value(Int64.self, find, logger: logger) {
                if let document = prepared.document {
                    try await insertDocument(document, of: existing, replacing: false)
                }
                return .duplicate(existing)
            }
        }
        let slug: String
        if let stored { slug = stored.slug } else { slug = try await freeSlug(prepared.slugStem, in: "article") }
        let sourceID = try await article.source.asyncFlatMap { try await self.sourceID(for: $0) }
        let terms = try SearchTokenizer.shared.terms(title: article.title, body: article.body)
        // The story first, so the row is written once, with it.
        let placement = try await stories.place(
            features: prepared.storyFeatures,
            signature: prepared.signature,
            title: article.title,
            stamp: stamp
        )
        let insert = SQLBuilder()
        let language = insert.bind(article.language)
        let title = insert.bind(article.title)
        let body = insert.bind(article.body)
        insert.append(
            """
            INSERT INTO article (id, slug, identity, content_hash, title, title_key, author, author_key, published_at,
                language, source_id, url, external_id, body, summary, word_count, format, created_at, updated_at,
                search, search_terms, search_length, story_id, near_duplicate_of)
            VALUES (\(stored.map { insert.bind($0.id) } ?? "DEFAULT"), \(insert.bind(slug)), \(insert.bind(prepared.identity)), \(insert.bind(prepared.contentHash)),
                \(title), \(insert.bind(prepared.titleKey)), \(insert.bind(article.author)),
                \(insert.bind(prepared.authorKey)), \(insert.bind(prepared.publishedAt)), \(language),
                \(insert.bind(sourceID)), \(insert.bind(article.url)), \(insert.bind(article.externalID)), \(body),
                \(insert.bind(prepared.summary)), \(insert.bind(prepared.wordCount)),
                \(insert.bind(article.format.rawValue)), \(insert.bind(stored?.createdAt ?? stamp)),
                \(insert.bind(stored?.updatedAt ?? stamp)),
                \(insert.bind(terms.vector))::tsvector, \(insert.bind(terms.frequencies))::jsonb,
                \(insert.bind(terms.length)), \(insert.bind(placement.story)), \(insert.bind(placement.original)))
            RETURNING id
            """
        )
        guard let id = try await connection.value(Int64.self, insert, logger: logger) else {
            throw PostgresArchiveError.noRowReturned
        }
        stories.articlesStored += 1
        try await stories.remember(id, placement, signature: prepared.signature)
        if let document = prepared.document { try await insertDocument(document, of: id) }
        if let edited = stored?.documentEditedAt { try await markDocumentEdited(of: id, at: edited) }
        batch.tags.formUnion(try await insertLists(of: prepared, for: id))
        batch.created.append(id)
        batch.tokens += terms.length
        if let sourceID { batch.sources.insert(sourceID) }
        return .created(id)
    }

    /// Applies edits; false when there is no such article.
    func update(_ id: Int64, _ changes: ArticleChanges, stamp: String) async throws -> Bool {
        let current = SQLBuilder()
        current.append(
            "SELECT title, body, source_id, search_length FROM article WHERE id = \(current.bind(id)) FOR UPDATE"
        )
        guard let row = try await connection.rows(current, logger: logger).first else { return false }
        let (oldTitle, body, oldSource, oldLength) = try row.decode((String, String, Int64?, Int).self)
        let title = changes.title ?? oldTitle
        let update = SQLBuilder("UPDATE article SET ")
        var sets: [String] = []
        if let newTitle = changes.title {
            sets.append("title = \(update.bind(newTitle))")
            sets.append("title_key = \(update.bind(ArticleRules.sortKey(newTitle)))")
        }
        let authors = changes.authors ?? changes.author.map { author in author.map { [$0] } ?? [] }
        if let authors {
            let author = authors.isEmpty ? nil : authors.joined(separator: ", ")
            sets.append("author = \(update.bind(author))")
            sets.append("author_key = \(update.bind(author.map(ArticleRules.sortKey)))")
            try await insertAuthors(authors.map { ($0, ArticleRules.sortKey($0)) }, of: id)
        }
        if let publishedAt = changes.publishedAt {
            sets.append("published_at = \(update.bind(publishedAt.map(Timestamp.string)))")
        }
        var language: String?
        if let newLanguage = changes.language {
            language = LanguageIdentifier.canonicalCode(newLanguage)
            sets.append("language = \(update.bind(language))")
        }
        var newSource: Int64??
        if let source = changes.source {
            newSource = .some(try await source.asyncFlatMap { try await self.sourceID(for: $0) })
            sets.append("source_id = \(update.bind(newSource!))")
        }
        let terms = try SearchTokenizer.shared.terms(title: title, body: body)
        sets.append("updated_at = \(update.bind(stamp))")
        sets.append("content_hash = \(update.bind(ArticleRules.contentHash(title: title, body: body)))")
        sets.append("search_length = \(update.bind(terms.length))")
        sets.append("search = \(update.bind(terms.vector))::tsvector")
        sets.append("search_terms = \(update.bind(terms.frequencies))::jsonb")
        update.append(sets.joined(separator: ", ") + " WHERE id = \(update.bind(id))")
        try await countLexemes(of: [id], by: -1)
        try await connection.run(update, logger: logger)
        try await countLexemes(of: [id], by: 1)
        try await adjustTotals(articles: 0, tokens: terms.length - oldLength)
        try await markDocumentEdited(of: id, at: stamp)
        if let tags = changes.tags {
            let old = try await tagIDs(of: id)
            try await deleteRows(of: id, from: "article_tag")
            let new = try await insertTags(tags, of: id)
            try await recount(tags: old + new)
        }
        if let categories = changes.categories {
            try await deleteRows(of: id, from: "article_category")
            try await insertCategories(categories, of: id)
        }
        if let newSource { try await recount(sources: [oldSource, newSource].compactMap { $0 }) }
        // What stories are matched by: the title, the tags and the date (the body is not editable).
        if changes.title != nil || changes.tags != nil || changes.publishedAt != nil {
            try await stories.reassign(id, stamp: stamp)
            try await stories.finish()
        }
        try await markChanged([id], stamp: stamp)
        return true
    }

    /// Deletes an article with its lists; false if there was none.
    func delete(_ id: Int64, stamp: String) async throws -> Bool {
        let tags = try await tagIDs(of: id)
        try await stories.forget(id)
        try await countLexemes(of: [id], by: -1)
        let delete = SQLBuilder()
        delete.append("DELETE FROM article WHERE id = \(delete.bind(id)) RETURNING source_id, search_length")
        guard let row = try await connection.rows(delete, logger: logger).first else { return false }
        let (source, length) = try row.decode((Int64?, Int).self)
        try await adjustTotals(articles: -1, tokens: -length)
        try await recount(tags: tags)
        try await recount(sources: source.map { [$0] } ?? [])
        let tombstone = SQLBuilder()
        tombstone.append(
            """
            WITH next AS (UPDATE change_state SET latest = latest + 1 RETURNING latest)
            INSERT INTO article_change (seq, article_id, deleted, changed_at)
            SELECT latest, \(tombstone.bind(id)), true, \(tombstone.bind(stamp)) FROM next
            ON CONFLICT (article_id) DO UPDATE SET seq = EXCLUDED.seq, deleted = true, changed_at = EXCLUDED.changed_at
            """
        )
        try await connection.run(tombstone, logger: logger)
        return true
    }

    // MARK: Names

    /// The ids of the tags or categories these names fold to, in order: those that exist found in one
    /// statement, the new ones created one at a time (each takes the next free slug).
    func namedIDs(in table: String, _ names: [(name: String, slug: String)]) async throws -> [Int64] {
        guard !names.isEmpty else { return [] }
        let find = SQLBuilder()
        find.append(
            "SELECT DISTINCT ON (name_key) name_key, id FROM \(table) "
                + "WHERE name_key = ANY(\(find.bind(names.map { ArticleRules.sortKey($0.name) }))) ORDER BY name_key, id"
        )
        var known = Dictionary(
            uniqueKeysWithValues: try await connection.rows(find, logger: logger).map {
                try $0.decode((String, Int64).self)
            }
        )
        var ids: [Int64] = []
        for (name, slug) in names {
            let key = ArticleRules.sortKey(name)
            if let id = known[key] {
                ids.append(id)
            } else {
                let id = try await namedID(in: table, name: name, slug: slug)
                known[key] = id
                ids.append(id)
            }
        }
        return ids
    }

    /// The id of the tag or category this name folds to, creating it with a free slug when new.
    func namedID(in table: String, name: String, slug: String) async throws -> Int64 {
        let key = ArticleRules.sortKey(name)
        let find = SQLBuilder()
        find.append("SELECT id FROM \(table) WHERE name_key = \(find.bind(key)) ORDER BY id LIMIT 1")
        if let id = try await connection.value(Int64.self, find, logger: logger) { return id }
        let free = try await freeSlug(slug.isEmpty ? table : slug, in: table)
        let insert = SQLBuilder()
        insert.append(
            "INSERT INTO \(table) (slug, name, name_key) VALUES (\(insert.bind(free)), \(insert.bind(name)), "
                + "\(insert.bind(key))) RETURNING id"
        )
        guard let id = try await connection.value(Int64.self, insert, logger: logger) else {
            throw PostgresArchiveError.noRowReturned
        }
        return id
    }

    /// The source of this publisher (by its name folded, else by its slug), created or given its domain.
    func sourceID(for publisher: Publisher) async throws -> Int64? {
        let slug = publisher.slug
        guard !slug.isEmpty else { return nil }
        let key = ArticleRules.sortKey(publisher.name)
        let find = SQLBuilder()
        find.append(
            "SELECT id, domain FROM source WHERE name_key = \(find.bind(key)) OR slug = \(find.bind(slug)) "
                + "ORDER BY name_key = \(find.bind(key)) DESC, id LIMIT 1"
        )
        if let row = try await connection.rows(find, logger: logger).first {
            let (id, domain) = try row.decode((Int64, String?).self)
            if domain == nil, let newDomain = publisher.domain {
                let update = SQLBuilder()
                update.append("UPDATE source SET domain = \(update.bind(newDomain)) WHERE id = \(update.bind(id))")
                try await connection.run(update, logger: logger)
                // What an article shows of its source is part of it.
                let touched = SQLBuilder()
                touched.append("SELECT id FROM article WHERE source_id = \(touched.bind(id))")
                let ids = try await connection.rows(touched, logger: logger).map { try $0.decode(Int64.self) }
                try await markChanged(ids, stamp: Timestamp.string(Date()))
            }
            return id
        }
        let insert = SQLBuilder()
        insert.append(
            "INSERT INTO source (slug, name, name_key, domain) VALUES (\(insert.bind(slug)), "
                + "\(insert.bind(publisher.name)), \(insert.bind(key)), \(insert.bind(publisher.domain))) RETURNING id"
        )
        return try await connection.value(Int64.self, insert, logger: logger)
    }

    /// `stem`, or `stem-2`, `stem-3`… : the first slug the table does not hold.
    func freeSlug(_ stem: String, in table: String) async throws -> String {
        let taken = SQLBuilder()
        taken.append(
            "SELECT slug FROM \(table) WHERE slug = \(taken.bind(stem)) OR slug LIKE \(taken.bind(DirectoryLister.escapeLike(stem) + "-%"))"
        )
        let slugs = Set(try await connection.rows(taken, logger: logger).map { try $0.decode(String.self) })
        var candidate = stem
        var suffix = 2
        while slugs.contains(candidate) {
            candidate = "\(stem)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    // MARK: Kept counts and the change feed

    func adjustTotals(articles: Int, tokens: Int) async throws {
        let update = SQLBuilder()
        update.append(
            "UPDATE archive_state SET articles = articles + \(update.bind(articles)), "
                + "tokens = tokens + \(update.bind(tokens))"
        )
        try await connection.run(update, logger: logger)
    }

    func recount(tags: [Int64]) async throws {
        try await recount("tag", ids: tags, counting: "SELECT count(*) FROM article_tag WHERE tag_id = tag.id")
    }

    func recount(sources: [Int64]) async throws {
        try await recount("source", ids: sources, counting: "SELECT count(*) FROM article WHERE source_id = source.id")
    }

    /// Sets the kept `article_count` of these rows to what `counting` counts now.
    private func recount(_ table: String, ids: [Int64], counting: String) async throws {
        guard !ids.isEmpty else { return }
        let update = SQLBuilder()
        update.append("UPDATE \(table) SET article_count = (\(counting)) WHERE id = ANY(\(update.bind(ids)))")
        try await connection.run(update, logger: logger)
    }

    /// Gives each article its next change number, in one statement (the writer's lock makes numbers
    /// follow commit order).
    func markChanged(_ ids: [Int64], stamp: String) async throws {
        guard !ids.isEmpty else { return }
        let change = SQLBuilder()
        let bound = change.bind(ids)
        change.append(
            """
            WITH next AS (UPDATE change_state SET latest = latest + cardinality(\(bound)::bigint[])
                RETURNING latest - cardinality(\(bound)::bigint[]) AS first)
            INSERT INTO article_change (seq, article_id, deleted, changed_at)
            SELECT next.first + c.n, c.id, false, \(change.bind(stamp))
            FROM next, unnest(\(bound)::bigint[]) WITH ORDINALITY AS c(id, n)
            ON CONFLICT (article_id) DO UPDATE
                SET seq = EXCLUDED.seq, deleted = false, changed_at = EXCLUDED.changed_at
            """
        )
        try await connection.run(change, logger: logger)
    }

    /// Adds (or, with -1, takes away) articles' lexemes to the archive's lexeme counts, in lexeme order.
    func countLexemes(of ids: [Int64], by change: Int) async throws {
        guard !ids.isEmpty else { return }
        let count = SQLBuilder()
        count.append(
            """
            INSERT INTO search_lexeme (lexeme, articles)
            SELECT lexeme, count(*) * \(count.bind(change)) FROM article, unnest(tsvector_to_array(search)) lexeme
            WHERE id = ANY(\(count.bind(ids))) GROUP BY lexeme ORDER BY lexeme
            ON CONFLICT (lexeme) DO UPDATE SET articles = search_lexeme.articles + EXCLUDED.articles
            """
        )
        try await connection.run(count, logger: logger)
    }

    func tagIDs(of id: Int64) async throws -> [Int64] {
        let select = SQLBuilder()
        select.append("SELECT tag_id FROM article_tag WHERE article_id = \(select.bind(id))")
        return try await connection.rows(select, logger: logger).map { try $0.decode(Int64.self) }
    }

    func deleteRows(of id: Int64, from table: String) async throws {
        let delete = SQLBuilder()
        delete.append("DELETE FROM \(table) WHERE article_id = \(delete.bind(id))")
        try await connection.run(delete, logger: logger)
    }
}

/// What went wrong in the PostgreSQL store itself (not a client's mistake).
public enum PostgresArchiveError: Error, Equatable, Sendable {
    /// A statement that returns a row returned none.
    case noRowReturned
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

import ClippingsExtraction
import Foundation
import GRDB

/// Every write to the archive's tables, inside the caller's transaction: storing a prepared article,
/// editing, rewriting and deleting one. The search index and the kept counts follow through triggers.
enum ArticleWriter {
    /// Stores one prepared article unless it is a duplicate; `stamp` is the RFC 3339 time of the import.
    /// `memo`: what story placement has read in this transaction, shared by the articles of one batch.
    /// `stored`: the id, slug and times a copied article keeps (`restore`); it is never a duplicate.
    static func insert(
        _ prepared: PreparedArticle,
        stamp: String,
        memo: StoryMemo = StoryMemo(),
        stored: StoredRecord? = nil,
        in db: Database
    ) throws -> ImportOutcome {
        let article = prepared.article
        if stored == nil,
            let existing = try Int64.fetchOne(
                db.cachedStatement(
                    sql: "SELECT id FROM article WHERE identity = ? OR content_hash = ? ORDER BY id LIMIT 1"
                ),
                arguments: [prepared.identity, prepared.contentHash]
            )
        {
            // An archive from before documents were kept gets them when its documents are imported again,
            // so that `reextract` can then read them; a document already kept stays.
            if let document = prepared.document { try insertDocument(document, of: existing, replacing: false, in: db) }
            return .duplicate(existing)
        }
        var record = ArticleRecord(
            id: stored?.id,
            slug: try stored?.slug ?? NamedEntries.freeSlug(prepared.slugStem, in: "article", db),
            identity: prepared.identity,
            contentHash: prepared.contentHash,
            title: article.title,
            titleKey: prepared.titleKey,
            language: article.language,
            body: article.body,
            summary: prepared.summary,
            wordCount: prepared.wordCount,
            format: article.format.rawValue,
            createdAt: stored?.createdAt ?? stamp,
            updatedAt: stamp
        )
        try record.fill(from: prepared, stamp: stored?.updatedAt ?? stamp, in: db)
        // The story first, so the row is written once, with it.
        let placement = try StoryAssigner.place(
            features: prepared.storyFeatures,
            signature: prepared.signature,
            title: article.title,
            stamp: stamp,
            memo: memo,
            tables: SQLiteStoryTables(db: db)
        )
        record.storyId = placement.story
        record.nearDuplicateOf = placement.original
        try record.insert(db)
        let articleID = record.id!
        try StoryAssigner.remember(
            articleID,
            placement,
            signature: prepared.signature,
            memo: memo,
            tables: SQLiteStoryTables(db: db)
        )
        if let document = prepared.document { try insertDocument(document, of: articleID, in: db) }
        if let edited = stored?.documentEditedAt {
            try db.execute(
                sql: "UPDATE article_document SET edited_at = ? WHERE article_id = ?",
                arguments: [edited, articleID]
            )
        }
        try insertLists(of: prepared, for: articleID, in: db)
        return .created(articleID)
    }

    /// Replaces a stored article's extracted fields, keeping its id, slug, identity and creation time.
    static func rewrite(_ id: Int64, with prepared: PreparedArticle, stamp: String, in db: Database) throws {
        guard var record = try ArticleRecord.fetchOne(db, key: id) else { return }
        try record.fill(from: prepared, stamp: stamp, in: db)
        try record.update(db)
        for table in ["article_tag", "article_category", "link", "image"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE article_id = ?", arguments: [id])
        }
        try insertLists(of: prepared, for: id, in: db)
        try db.execute(sql: "UPDATE article_document SET edited_at = NULL WHERE article_id = ?", arguments: [id])
        try SQLiteStoryTables(db: db).reassign(id, stamp: stamp)
    }

    /// Applies edits; false when there is no such article.
    static func update(_ id: Int64, _ changes: ArticleChanges, stamp: String, in db: Database) throws -> Bool {
        guard var record = try ArticleRecord.fetchOne(db, key: id) else { return false }
        if let title = changes.title {
            record.title = title
            record.titleKey = ArticleRules.sortKey(title)
        }
        // A byline alone is one writer; a list of writers makes the byline.
        let authors = changes.authors ?? changes.author.map { author in author.map { [$0] } ?? [] }
        if let authors {
            let author = authors.isEmpty ? nil : authors.joined(separator: ", ")
            record.author = author
            record.authorKey = author.map(ArticleRules.sortKey)
            try insertAuthors(authors.map { ($0, ArticleRules.sortKey($0)) }, of: id, in: db)
        }
        if let publishedAt = changes.publishedAt { record.publishedAt = publishedAt.map(Timestamp.string) }
        if let language = changes.language { record.language = LanguageIdentifier.canonicalCode(language) }
        if let source = changes.source {
            record.sourceId = try source.flatMap { try sourceID(for: $0, in: db) }
        }
        record.updatedAt = stamp
        record.contentHash = ArticleRules.contentHash(title: record.title, body: record.body)
        try record.update(db)
        // Re-extraction leaves a hand-edited article alone.
        try db.execute(sql: "UPDATE article_document SET edited_at = ? WHERE article_id = ?", arguments: [stamp, id])
        if let tags = changes.tags {
            try db.execute(sql: "DELETE FROM article_tag WHERE article_id = ?", arguments: [id])
            try insertTags(tags, of: id, in: db)
        }
        if let categories = changes.categories {
            try db.execute(sql: "DELETE FROM article_category WHERE article_id = ?", arguments: [id])
            try insertCategories(categories, of: id, in: db)
        }
        // What stories are matched by: the title, the tags and the date (the body is not editable).
        if changes.title != nil || changes.tags != nil || changes.publishedAt != nil {
            try SQLiteStoryTables(db: db).reassign(id, stamp: stamp)
        }
        return true
    }

    /// Deletes an article with its lists and index entry; false if there was none.
    static func delete(_ id: Int64, in db: Database) throws -> Bool {
        try SQLiteStoryTables(db: db).forget(id)
        try db.execute(sql: "DELETE FROM article WHERE id = ?", arguments: [id])
        return db.changesCount > 0
    }

    /// Writes an article's writers, tags, categories, links and images.
    static func insertLists(of prepared: PreparedArticle, for articleID: Int64, in db: Database) throws {
        let article = prepared.article
        try insertAuthors(prepared.authors, of: articleID, in: db)
        try insertTags(article.tags, of: articleID, in: db)
        try insertCategories(article.categories, of: articleID, in: db)
        for (position, link) in article.links.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO link (article_id, position, url, text) VALUES (?, ?, ?, ?)")
                .execute(arguments: [articleID, position, link.url, link.text])
        }
        for (position, image) in article.images.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO image (article_id, position, url, alt) VALUES (?, ?, ?, ?)")
                .execute(arguments: [articleID, position, image.url, image.alt])
        }
    }

    /// Records an article's writers, in order, replacing any it had.
    static func insertAuthors(_ authors: [(name: String, key: String)], of articleID: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM article_author WHERE article_id = ?").execute(arguments: [articleID])
        for (position, author) in authors.enumerated() {
            try db.cachedStatement(
                sql: "INSERT INTO article_author (article_id, position, name, name_key) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [articleID, position, author.name, author.key])
        }
    }

    /// Keeps the raw document an article was extracted from (unless `replacing` is false and it has one).
    static func insertDocument(
        _ document: SourceDocument,
        of articleID: Int64,
        replacing: Bool = true,
        in db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR \(replacing ? "REPLACE" : "IGNORE") INTO article_document
                    (article_id, file_name, url, source_name, size, deflated)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            articleID, document.fileName, document.url, document.sourceName, document.size, document.deflated,
        ])
    }

    /// Links an article to its tags, in order, creating tags not seen before.
    static func insertTags(_ tags: [Tag], of articleID: Int64, in db: Database) throws {
        for (position, tag) in tags.enumerated() {
            let tagID = try NamedEntries.tags.id(named: tag.name, slug: tag.slug, in: db)
            // The link carries its article's date (v6), read from the row just written.
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO article_tag (article_id, tag_id, position, published_at)
                    SELECT id, ?, ?, published_at FROM article WHERE id = ?
                    """
            ).execute(arguments: [tagID, position, articleID])
        }
    }

    /// Links an article to its categories, in order, creating categories not seen before.
    static func insertCategories(_ categories: [String], of articleID: Int64, in db: Database) throws {
        for (position, name) in categories.enumerated() {
            let slug = Slugifier.slug(name)
            guard !slug.isEmpty else { continue }
            let categoryID = try NamedEntries.categories.id(named: name, slug: slug, in: db)
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO article_category (article_id, category_id, position) VALUES (?, ?, ?)"
            ).execute(arguments: [articleID, categoryID, position])
        }
    }

    /// The id of this publisher's source, creating it (or filling in its domain) as needed. A source is
    /// found by its name folded (v9), else by its slug: a slug once given stays, whatever the slug rules
    /// make of the name today.
    static func sourceID(for publisher: Publisher, in db: Database) throws -> Int64? {
        let slug = publisher.slug
        guard !slug.isEmpty else { return nil }
        let key = ArticleRules.sortKey(publisher.name)
        if var existing = try SourceRecord.fetchOne(
            db.cachedStatement(
                sql: "SELECT * FROM source WHERE name_key = ? OR slug = ? ORDER BY name_key = ? DESC, id LIMIT 1"
            ),
            arguments: [key, slug, key]
        ) {
            if existing.domain == nil, let domain = publisher.domain {
                existing.domain = domain
                try existing.update(db)
            }
            return existing.id
        }
        var record = SourceRecord(slug: slug, name: publisher.name, domain: publisher.domain, nameKey: key)
        try record.insert(db)
        return record.id
    }
}

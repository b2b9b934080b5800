import ClippingsExtraction
import Crypto
import Foundation
import GRDB
import Logging

extension AppDatabase {
    /// Stores an extracted article with its source, tags, categories, links and images, in one transaction.
    ///
    /// Idempotent: an article whose canonical URL or content is already archived is not stored again, and
    /// the outcome says which article it duplicates.
    public func importArticle(_ article: ExtractedArticle, now: Date = Date()) async throws -> ImportOutcome {
        let prepared = PreparedArticle(article)
        let stamp = Timestamp.string(now)
        let outcome = try await writer.write { db in try Self.insert(prepared, stamp: stamp, in: db) }
        if case .created(let id) = outcome {
            logger.debug("imported article", metadata: ["article.id": "\(id)", "article.title": "\(article.title)"])
        }
        return outcome
    }

    /// Deletes an article with its tags, categories, links, images and index entry; false if there was none.
    /// Tags and sources left without articles drop out of the listings, which only count articles.
    public func deleteArticle(id: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM article WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Stores many articles in one transaction: all or none, and far faster than one commit each. The
    /// articles come prepared (hashed, slugged, summarised), so the one serial step does only SQL.
    public func importArticles(_ articles: [PreparedArticle], now: Date = Date()) async throws -> [ImportOutcome] {
        let stamp = Timestamp.string(now)
        return try await writer.write { db in try articles.map { try Self.insert($0, stamp: stamp, in: db) } }
    }

    /// Stores one prepared article unless it is a duplicate; `stamp` is the RFC 3339 time of the import.
    static func insert(_ prepared: PreparedArticle, stamp: String, in db: Database) throws -> ImportOutcome {
        let article = prepared.article
        let contentHash = prepared.contentHash
        let identity = prepared.identity
        if let existing = try Int64.fetchOne(
            db.cachedStatement(
                sql: "SELECT id FROM article WHERE identity = ? OR content_hash = ? ORDER BY id LIMIT 1"
            ),
            arguments: [identity, contentHash]
        ) {
            // An archive from before documents were kept gets them when its documents are imported again,
            // so that `reextract` can then read them; a document already kept stays.
            if let document = prepared.document { try insertDocument(document, of: existing, replacing: false, in: db) }
            return .duplicate(existing)
        }
        var record = ArticleRecord(
            slug: try uniqueSlug(from: prepared.slugStem, in: db),
            identity: identity,
            contentHash: contentHash,
            title: article.title,
            titleKey: prepared.titleKey,
            language: article.language,
            body: article.body,
            summary: prepared.summary,
            wordCount: prepared.wordCount,
            format: article.format.rawValue,
            createdAt: stamp,
            updatedAt: stamp
        )
        try record.fill(from: prepared, stamp: stamp, in: db)
        try record.insert(db)
        let articleID = record.id!
        try insertAuthors(prepared.authors, of: articleID, in: db)
        if let document = prepared.document { try insertDocument(document, of: articleID, in: db) }
        try insertTags(article.tags, of: articleID, in: db)
        try insertCategories(article.categories, of: articleID, in: db)
        try insertLinks(article.links, of: articleID, in: db)
        try insertImages(article.images, of: articleID, in: db)
        return .created(articleID)
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

    static func insertLinks(_ links: [Link], of articleID: Int64, in db: Database) throws {
        for (position, link) in links.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO link (article_id, position, url, text) VALUES (?, ?, ?, ?)")
                .execute(arguments: [articleID, position, link.url, link.text])
        }
    }

    static func insertImages(_ images: [Image], of articleID: Int64, in db: Database) throws {
        for (position, image) in images.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO image (article_id, position, url, alt) VALUES (?, ?, ?, ?)")
                .execute(arguments: [articleID, position, image.url, image.alt])
        }
    }

    /// Links an article to its tags, in order, creating tags not seen before.
    static func insertTags(_ tags: [Tag], of articleID: Int64, in db: Database) throws {
        for (position, tag) in tags.enumerated() {
            let tagID = try upsert(TagRecord(slug: tag.slug, name: tag.name), in: db)
            // The link carries its article's date (v6), read from the row just written.
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO article_tag (article_id, tag_id, position, published_at)
                    SELECT id, ?, ?, published_at FROM article WHERE id = ?
                    """
            ).execute(
                arguments: [tagID, position, articleID]
            )
        }
    }

    /// Links an article to its categories, in order, creating categories not seen before.
    static func insertCategories(_ categories: [String], of articleID: Int64, in db: Database) throws {
        for (position, name) in categories.enumerated() {
            let slug = Slugifier.slug(name)
            guard !slug.isEmpty else { continue }
            let categoryID = try upsert(CategoryRecord(slug: slug, name: name), in: db)
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO article_category (article_id, category_id, position) VALUES (?, ?, ?)"
            ).execute(
                arguments: [articleID, categoryID, position]
            )
        }
    }

    /// The id of the source with this publisher's slug, creating it (or filling in its domain) as needed.
    static func sourceID(for publisher: Publisher, in db: Database) throws -> Int64? {
        let slug = publisher.slug
        guard !slug.isEmpty else { return nil }
        if var existing = try SourceRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM source WHERE slug = ?"),
            arguments: [slug]
        ) {
            if existing.domain == nil, let domain = publisher.domain {
                existing.domain = domain
                try existing.update(db)
            }
            return existing.id
        }
        var record = SourceRecord(slug: slug, name: publisher.name, domain: publisher.domain)
        try record.insert(db)
        return record.id
    }

    /// Inserts a slug/name row unless its slug exists; either way returns its id. The first name seen wins.
    static func upsert<Record: MutablePersistableRecord & FetchableRecord>(
        _ record: Record,
        in db: Database
    ) throws
        -> Int64 where Record: SlugNamed
    {
        if let id = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM \(Record.databaseTableName) WHERE slug = ?"),
            arguments: [record.slug]
        ) {
            return id
        }
        var copy = record
        try copy.insert(db)
        return db.lastInsertedRowID
    }

    /// A readable URL slug for a title, before making it unique.
    static func slugStem(for title: String) -> String {
        var base = Slugifier.slug(title)
        if base.count > 80 {
            // Cut at a word boundary, not mid-word.
            let cut = base.prefix(80)
            base = String(cut.lastIndex(of: "-").map { cut[..<$0] } ?? cut)
        }
        // An all-digit slug would read as an id in `/articles/{id}`.
        // `export` and `bulk` name endpoints under `/articles/`.
        return base.isEmpty
            ? "article" : base.allSatisfy(\.isNumber) || ["export", "bulk"].contains(base) ? "article-" + base : base
    }

    /// The slug stem itself, or with `-2`, `-3` … on collision.
    static func uniqueSlug(from stem: String, in db: Database) throws -> String {
        var candidate = stem
        var suffix = 2
        while try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM article WHERE slug = ?)"),
            arguments: [candidate]
        )
            == true
        {
            candidate = "\(stem)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// SHA-256 of the normalised title and body: equal for the same article however it was formatted.
    static func contentHash(of article: ExtractedArticle) -> String {
        let text = TextNormalizer.lowercased(article.title + "\n" + article.body)
        let hexDigits = Array("0123456789abcdef".utf8)
        let digest = SHA256.hash(data: Data(text.utf8))
        return String(decoding: digest.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// A URL reduced to what identifies the page: lower-case host, no fragment, no tracking parameters, no
    /// trailing slash.
    static func normalizedURL(_ url: String) -> String? {
        guard var components = URLComponents(string: url.trimmingCharacters(in: .whitespacesAndNewlines)),
            let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        components.scheme = "https"
        components.host = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        components.fragment = nil
        components.queryItems = components.queryItems?.filter { item in
            !item.name.lowercased().hasPrefix("utm_") && !["fbclid", "gclid"].contains(item.name.lowercased())
        }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        while components.path.count > 1, components.path.hasSuffix("/") { components.path.removeLast() }
        return components.string
    }

    /// Lower-cased, accent-folded text: the key titles sort by.
    static func sortKey(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The first paragraph, cut at a word boundary near 280 characters: what listings show.
    static func summary(of paragraphs: [String], limit: Int = 280) -> String {
        guard let first = paragraphs.first else { return "" }
        guard first.utf8.count > limit, first.count > limit else { return first }
        var cut = String(first.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)) + "…"
    }
}

/// Records identified by a unique slug.
protocol SlugNamed {
    var slug: String { get }
}

extension TagRecord: SlugNamed {}
extension CategoryRecord: SlugNamed {}

import Foundation
import GRDB

extension AppDatabase {
    /// The schema's history. Append-only: a shipped migration is never edited, and none refers to app types.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: archive") { db in
            try db.create(table: "source") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slug", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("domain", .text)
            }
            try db.create(table: "article") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slug", .text).notNull().unique()
                // Canonical URL (`url:…`) or content hash (`sha256:…`): what makes two imports the same article.
                t.column("identity", .text).notNull().unique()
                t.column("content_hash", .text).notNull().indexed()
                t.column("title", .text).notNull()
                // Lower-cased, accent-folded title: the `sort=title` key.
                t.column("title_key", .text).notNull()
                t.column("author", .text)
                // Lower-cased, accent-folded author: what `author=` filters match.
                t.column("author_key", .text)
                // RFC 3339 UTC text (`2016-11-29T00:00:00Z`): sorts and compares as text.
                t.column("published_at", .text)
                t.column("language", .text).notNull()
                t.column("source_id", .integer).references("source", onDelete: .setNull)
                t.column("url", .text)
                t.column("external_id", .text)
                // Paragraphs joined by a blank line; paragraphs never contain one.
                t.column("body", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("word_count", .integer).notNull()
                t.column("format", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            // The two date orders, undated last, exactly as `ORDER BY` writes them, so pages need no sort.
            try db.execute(
                sql: """
                    CREATE INDEX article_by_newest ON article((published_at IS NULL), published_at DESC, id DESC);
                    CREATE INDEX article_by_oldest ON article((published_at IS NULL), published_at, id);
                    """
            )
            try db.create(index: "article_on_title_key", on: "article", columns: ["title_key", "id"])
            try db.create(index: "article_on_source", on: "article", columns: ["source_id", "published_at"])
            try db.create(index: "article_on_language", on: "article", columns: ["language", "published_at"])
            try db.create(index: "article_on_author", on: "article", columns: ["author_key"])

            try db.create(table: "tag") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slug", .text).notNull().unique()
                t.column("name", .text).notNull()
            }
            try db.create(table: "article_tag", options: [.withoutRowID]) { t in
                t.column("article_id", .integer).notNull().references("article", onDelete: .cascade)
                t.column("tag_id", .integer).notNull().references("tag", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.primaryKey(["article_id", "tag_id"])
            }
            try db.create(index: "article_tag_on_tag", on: "article_tag", columns: ["tag_id", "article_id"])

            try db.create(table: "category") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slug", .text).notNull().unique()
                t.column("name", .text).notNull()
            }
            try db.create(table: "article_category", options: [.withoutRowID]) { t in
                t.column("article_id", .integer).notNull().references("article", onDelete: .cascade)
                t.column("category_id", .integer).notNull().references("category", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.primaryKey(["article_id", "category_id"])
            }
            try db.create(index: "article_category_on_category", on: "article_category", columns: ["category_id"])

            try db.create(table: "link") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("article_id", .integer).notNull().references("article", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("url", .text).notNull()
                t.column("text", .text).notNull()
            }
            try db.create(index: "link_on_article", on: "link", columns: ["article_id", "position"])
            try db.create(table: "image") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("article_id", .integer).notNull().references("article", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("url", .text).notNull()
                t.column("alt", .text)
            }
            try db.create(index: "image_on_article", on: "image", columns: ["article_id", "position"])

            // Full-text index over title and body, kept in sync with `article` by triggers.
            try db.create(virtualTable: "article_fts", using: FTS5()) { t in
                t.synchronize(withTable: "article")
                t.tokenizer = ArchiveTokenizer.tokenizerDescriptor()
                t.column("title")
                t.column("body")
            }
        }
        migrator.registerMigration("v2: full-text vocabulary") { db in
            // Document frequencies of indexed terms: how rare a word is, for related articles.
            try db.execute(sql: "CREATE VIRTUAL TABLE article_vocab USING fts5vocab(article_fts, 'row')")
        }
        migrator.registerMigration("v3: full-text write buffer") { db in
            // FTS5 writes a new index segment each time 1 MB of pending terms has piled up, and merges
            // segments as they accumulate; 8 MB holds a whole import batch, so each commit writes one segment
            // instead of several, and merging waits for 16 segments on a level.
            // The segments this leaves slow searches: imports and the server merge them afterwards
            // (`mergeSearchIndex()`).
            try db.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('hashsize', 8388608)")
            try db.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 16)")
        }
        migrator.registerMigration("v4: article counts") { db in
            // `/tags` and `/sources` list by article count, and counting every tag link per request grows with
            // the archive. Triggers keep the counts, so a listing reads one index in order.
            try db.execute(
                sql: """
                    ALTER TABLE tag ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
                    UPDATE tag SET article_count = (SELECT COUNT(*) FROM article_tag WHERE tag_id = tag.id);
                    CREATE INDEX tag_by_count ON tag(article_count DESC, name, slug);
                    CREATE TRIGGER article_tag_counted AFTER INSERT ON article_tag BEGIN
                        UPDATE tag SET article_count = article_count + 1 WHERE id = NEW.tag_id;
                    END;
                    CREATE TRIGGER article_tag_uncounted AFTER DELETE ON article_tag BEGIN
                        UPDATE tag SET article_count = article_count - 1 WHERE id = OLD.tag_id;
                    END;
                    CREATE TRIGGER article_tag_recounted AFTER UPDATE OF tag_id ON article_tag BEGIN
                        UPDATE tag SET article_count = article_count - 1 WHERE id = OLD.tag_id;
                        UPDATE tag SET article_count = article_count + 1 WHERE id = NEW.tag_id;
                    END;

                    ALTER TABLE source ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
                    UPDATE source SET article_count = (SELECT COUNT(*) FROM article WHERE source_id = source.id);
                    CREATE INDEX source_by_count ON source(article_count DESC, name, slug);
                    CREATE TRIGGER article_source_counted AFTER INSERT ON article WHEN NEW.source_id IS NOT NULL BEGIN
                        UPDATE source SET article_count = article_count + 1 WHERE id = NEW.source_id;
                    END;
                    CREATE TRIGGER article_source_uncounted AFTER DELETE ON article WHEN OLD.source_id IS NOT NULL BEGIN
                        UPDATE source SET article_count = article_count - 1 WHERE id = OLD.source_id;
                    END;
                    CREATE TRIGGER article_source_recounted AFTER UPDATE OF source_id ON article
                    WHEN OLD.source_id IS NOT NEW.source_id BEGIN
                        UPDATE source SET article_count = article_count - 1 WHERE id = OLD.source_id;
                        UPDATE source SET article_count = article_count + 1 WHERE id = NEW.source_id;
                    END;
                    """
            )
        }
        migrator.registerMigration("v5: archive count") { db in
            // Every unfiltered listing reports the archive's size, and counting every row grows with the
            // archive: triggers keep the count instead.
            try db.execute(
                sql: """
                    CREATE TABLE archive_count (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        articles INTEGER NOT NULL
                    );
                    INSERT INTO archive_count (id, articles) VALUES (1, (SELECT COUNT(*) FROM article));
                    CREATE TRIGGER article_counted AFTER INSERT ON article BEGIN
                        UPDATE archive_count SET articles = articles + 1 WHERE id = 1;
                    END;
                    CREATE TRIGGER article_uncounted AFTER DELETE ON article BEGIN
                        UPDATE archive_count SET articles = articles - 1 WHERE id = 1;
                    END;
                    """
            )
        }
        migrator.registerMigration("v6: tag links by date") { db in
            // A tag and a date range (the commonest filter): counting its articles read every link of the tag
            // and then each article's date, which grows with the tag. Each link carries its article's date,
            // and the tag index orders by it, so the count is one index range. The new index replaces
            // (tag_id, article_id): every query that used it needs only its first column.
            try db.execute(
                sql: """
                    ALTER TABLE article_tag ADD COLUMN published_at TEXT;
                    UPDATE article_tag SET published_at = (SELECT published_at FROM article WHERE id = article_id);
                    DROP INDEX article_tag_on_tag;
                    CREATE INDEX article_tag_by_date ON article_tag(tag_id, published_at, article_id);
                    CREATE TRIGGER article_tag_redated AFTER UPDATE OF published_at ON article
                    WHEN OLD.published_at IS NOT NEW.published_at BEGIN
                        UPDATE article_tag SET published_at = NEW.published_at WHERE article_id = NEW.id;
                    END;
                    """
            )
        }
        migrator.registerMigration("v7: authors") { db in
            // Articles with several writers: each name is a row, so `author=` matches any one of them from an
            // index. `article.author` keeps the names joined by ", " as before; an article stored before this
            // has its whole byline as its one name.
            try db.execute(
                sql: """
                    CREATE TABLE article_author (
                        article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        -- Lower-cased, accent-folded name, as article.author_key.
                        name_key TEXT NOT NULL,
                        PRIMARY KEY (article_id, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX article_author_by_name ON article_author(name_key, article_id);
                    INSERT INTO article_author (article_id, position, name, name_key)
                    SELECT id, 0, author, author_key FROM article WHERE author IS NOT NULL AND author_key IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v8: source documents") { db in
            // The raw document each article was extracted from, deflated, so that `clippings reextract` can
            // run a better extractor over the archive later. Articles given as JSON have none, and neither
            // has any article stored before this migration. `source_name` is the publisher the importer named
            // (`?source=`), which re-extraction keeps; `edited_at` is set when the article is edited by hand
            // (PATCH), so that re-extraction does not undo the edit.
            try db.execute(
                sql: """
                    CREATE TABLE article_document (
                        article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
                        file_name TEXT,
                        url TEXT,
                        source_name TEXT,
                        size INTEGER NOT NULL,
                        deflated BLOB NOT NULL,
                        edited_at TEXT
                    );
                    """
            )
        }
        migrator.registerMigration("v9: names looked up by key") { db in
            // Tags, categories and sources are found by their name folded (case, accents, width) rather than
            // by slug: two names could slug alike (`C++`, `C#` and `C` were all `c`, and the tag named first
            // took the others' articles), and slugs, which never change once given, may be made by better
            // rules later. The folding is spelled out here, as a migration never calls app code.
            for table in ["tag", "category", "source"] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN name_key TEXT")
                for row in try Row.fetchAll(db, sql: "SELECT id, name FROM \(table)") {
                    let name: String = row["name"]
                    let key = name.folding(
                        options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive],
                        locale: nil
                    )
                    try db.execute(
                        sql: "UPDATE \(table) SET name_key = ? WHERE id = ?",
                        arguments: [key, row["id"] as Int64]
                    )
                }
                try db.execute(sql: "CREATE INDEX \(table)_by_name_key ON \(table)(name_key, id)")
            }
        }
        migrator.registerMigration("v10: search postings") { db in
            // Postings beside the full-text index, in blocks with the bounds of their scores, so a ranked
            // search reads the blocks that can hold its best articles rather than scoring every match
            // (`SearchPostings`). Triggers queue every change of an article's text, by any process; the
            // queue is applied by the writer. Every article stored before this is queued here.
            try db.execute(
                sql: """
                    CREATE TABLE search_term (
                        id INTEGER PRIMARY KEY,
                        term TEXT NOT NULL UNIQUE,
                        -- Articles holding the term: its document frequency.
                        articles INTEGER NOT NULL
                    );
                    CREATE TABLE search_block (
                        term_id INTEGER NOT NULL,
                        last_id INTEGER NOT NULL,
                        postings INTEGER NOT NULL,
                        -- (title, body, length) of the postings no other posting of the block outscores.
                        impacts BLOB NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (term_id, last_id)
                    ) WITHOUT ROWID;
                    -- An article whose postings are out of date; with its text as it was indexed when the
                    -- change replaced or removed it (NULL: added).
                    CREATE TABLE search_pending (
                        seq INTEGER PRIMARY KEY,
                        article_id INTEGER NOT NULL,
                        title TEXT,
                        body TEXT
                    );
                    CREATE INDEX search_pending_by_article ON search_pending(article_id);
                    CREATE TRIGGER search_pending_added AFTER INSERT ON article BEGIN
                        INSERT INTO search_pending (article_id) VALUES (NEW.id);
                    END;
                    CREATE TRIGGER search_pending_removed AFTER DELETE ON article BEGIN
                        INSERT INTO search_pending (article_id, title, body) VALUES (OLD.id, OLD.title, OLD.body);
                    END;
                    CREATE TRIGGER search_pending_changed AFTER UPDATE OF id, title, body ON article
                    WHEN OLD.id IS NOT NEW.id OR OLD.title IS NOT NEW.title OR OLD.body IS NOT NEW.body BEGIN
                        INSERT INTO search_pending (article_id, title, body) VALUES (OLD.id, OLD.title, OLD.body);
                        INSERT INTO search_pending (article_id) VALUES (NEW.id);
                    END;
                    INSERT INTO search_pending (article_id) SELECT id FROM article ORDER BY id;
                    """
            )
        }
        migrator.registerMigration("v11: archive version") { db in
            // A number that every change of what facets count (an article, its tag links, a tag's or a
            // source's slug) moves, by any process, read in the reader's own snapshot: what the facet values
            // kept in memory are checked against (`FacetColumns`).
            try db.execute(
                sql: """
                    CREATE TABLE archive_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                    INSERT INTO archive_version (id, version) VALUES (1, 0);
                    """
            )
            let events = [
                "article_added": "AFTER INSERT ON article", "article_changed": "AFTER UPDATE ON article",
                "article_removed": "AFTER DELETE ON article", "tag_linked": "AFTER INSERT ON article_tag",
                "tag_unlinked": "AFTER DELETE ON article_tag", "tag_relinked": "AFTER UPDATE OF tag_id ON article_tag",
                "tag_changed": "AFTER UPDATE OF slug ON tag", "source_changed": "AFTER UPDATE OF slug ON source",
            ]
            for (name, event) in events.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: """
                        CREATE TRIGGER archive_version_\(name) \(event) BEGIN
                            UPDATE archive_version SET version = version + 1 WHERE id = 1;
                        END
                        """
                )
            }
        }
        // Immediate foreign key checks: the migration touches no row, and a deferred check reads the whole
        // database.
        migrator.registerMigration("v12: tag names versioned", foreignKeyChecks: .immediate) { db in
            // Summaries read tag names kept in memory for one archive version (`TagNames`): renaming a tag
            // must move it too.
            try db.execute(
                sql: """
                    CREATE TRIGGER archive_version_tag_renamed AFTER UPDATE OF name ON tag BEGIN
                        UPDATE archive_version SET version = version + 1 WHERE id = 1;
                    END
                    """
            )
        }
        registerStories(in: &migrator)
        registerChanges(in: &migrator)
        registerSubscriptions(in: &migrator)
        registerStoryBands(in: &migrator)
        return migrator
    }
}

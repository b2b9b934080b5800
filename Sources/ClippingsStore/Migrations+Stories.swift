import ClippingsStories
import Foundation
import GRDB

extension AppDatabase {
    /// v13: stories. Append-only, like every migration: edited never once shipped.
    static func registerStories(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13: stories", foreignKeyChecks: .immediate) { db in
            // Stories: each article joins the story it fits best as it is written, or starts one
            // (`StoryAssigner`). A story's profile is the sum of its articles' weighed words and names, read
            // back for each article that might join it; `story_key` finds those candidates by the heaviest
            // words of the articles that joined. A story merged into another leaves a redirect, and the
            // keys that named it resolve through it. Ids are never reused (AUTOINCREMENT), so a redirect
            // never points at a stranger. `article_count` counts a story's articles that are not copies;
            // `copy_count` its syndicated copies, each pointing to the first article seen of its text
            // (`near_duplicate_of`), found through the bands of its MinHash signature (`article_band`).
            try db.execute(
                sql: """
                    CREATE TABLE story (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        article_count INTEGER NOT NULL DEFAULT 0,
                        copy_count INTEGER NOT NULL DEFAULT 0,
                        title TEXT NOT NULL,
                        first_published_at TEXT,
                        last_published_at TEXT,
                        -- The latest of its articles' dates (publication, else arrival): what /stories orders by.
                        activity_at TEXT NOT NULL,
                        profile BLOB NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX story_by_activity ON story(activity_at DESC, id DESC);
                    -- What /stories counts (its total, min_articles) from the index alone, not the rows.
                    CREATE INDEX story_by_size ON story(article_count);
                    CREATE TABLE story_key (
                        key TEXT NOT NULL,
                        story_id INTEGER NOT NULL,
                        PRIMARY KEY (key, story_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE story_redirect (id INTEGER PRIMARY KEY, story_id INTEGER NOT NULL);
                    CREATE INDEX story_redirect_by_story ON story_redirect(story_id);
                    ALTER TABLE article ADD COLUMN story_id INTEGER REFERENCES story(id) ON DELETE SET NULL;
                    ALTER TABLE article ADD COLUMN near_duplicate_of INTEGER REFERENCES article(id) ON DELETE SET NULL;
                    CREATE INDEX article_by_story ON article(story_id, published_at);
                    CREATE INDEX article_by_original ON article(near_duplicate_of);
                    CREATE TABLE article_signature (
                        article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
                        shingles INTEGER NOT NULL,
                        signature BLOB NOT NULL
                    );
                    CREATE TABLE article_band (
                        band INTEGER NOT NULL,
                        article_id INTEGER NOT NULL,
                        PRIMARY KEY (band, article_id)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER story_article_moved AFTER UPDATE OF story_id, near_duplicate_of ON article BEGIN
                        UPDATE story SET article_count = article_count - (OLD.near_duplicate_of IS NULL),
                            copy_count = copy_count - (OLD.near_duplicate_of IS NOT NULL)
                        WHERE id = OLD.story_id;
                        UPDATE story SET article_count = article_count + (NEW.near_duplicate_of IS NULL),
                            copy_count = copy_count + (NEW.near_duplicate_of IS NOT NULL)
                        WHERE id = NEW.story_id;
                    END;
                    CREATE TRIGGER story_article_added AFTER INSERT ON article WHEN NEW.story_id IS NOT NULL BEGIN
                        UPDATE story SET article_count = article_count + (NEW.near_duplicate_of IS NULL),
                            copy_count = copy_count + (NEW.near_duplicate_of IS NOT NULL)
                        WHERE id = NEW.story_id;
                    END;
                    CREATE TRIGGER story_article_removed AFTER DELETE ON article WHEN OLD.story_id IS NOT NULL BEGIN
                        UPDATE story SET article_count = article_count - (OLD.near_duplicate_of IS NULL),
                            copy_count = copy_count - (OLD.near_duplicate_of IS NOT NULL)
                        WHERE id = OLD.story_id;
                    END;
                    """
            )
        }
    }

    /// v16: copy signatures banded as `ShingleSignature.bandKeys` now bands them (15 bands of 2 values,
    /// where v13 wrote 30 of 3), recomputed from the stored signatures.
    static func registerStoryBands(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16: signature bands of two") { db in
            try db.execute(sql: "DELETE FROM article_band")
            let rows = try Row.fetchCursor(db, sql: "SELECT article_id, shingles, signature FROM article_signature")
            while let row = try rows.next() {
                guard let signature = ShingleSignature(bytes: [UInt8](row[2] as Data), shingles: row[1]) else {
                    continue
                }
                try SQLiteStoryTables(db: db).storeBands(of: signature, for: row[0])
            }
        }
    }
}

import GRDB

extension AppDatabase {
    /// v14: the change feed. Append-only, like every migration.
    static func registerChanges(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14: change feed", foreignKeyChecks: .immediate) { db in
            // One row per article, at the sequence number of its latest change: a reader that asks for
            // everything after `seq` gets each article changed since once, in commit order (`ChangeFeed`).
            // Triggers move it, so every writer (the API, `clippings import` in another process, re-extraction,
            // story merges) is followed without a code path of its own. A deleted article keeps a tombstone
            // (`deleted` = 1) until it is pruned; `change_horizon` remembers the newest pruned one, below
            // which a reader would miss deletes. AUTOINCREMENT: a sequence number is never given twice.
            // A row is replaced by DELETE then INSERT rather than INSERT OR REPLACE: a trigger's conflict
            // clause yields to the outer statement's (`INSERT OR IGNORE INTO article_tag`).
            let now = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
            try db.execute(
                sql: """
                    CREATE TABLE article_change (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        article_id INTEGER NOT NULL UNIQUE,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        changed_at TEXT NOT NULL
                    );
                    CREATE INDEX article_change_tombstones ON article_change(changed_at) WHERE deleted = 1;
                    CREATE TABLE change_horizon (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        pruned_through INTEGER NOT NULL
                    );
                    INSERT INTO change_horizon (id, pruned_through) VALUES (1, 0);
                    INSERT INTO article_change (article_id, deleted, changed_at)
                        SELECT id, 0, updated_at FROM article ORDER BY updated_at, id;
                    CREATE INDEX article_by_updated ON article(updated_at, id);
                    """
            )
            // Each article a change touches, with whether it is gone.
            let events = [
                "added": ("AFTER INSERT ON article", "SELECT NEW.id AS article_id, 0 AS deleted"),
                "changed": ("AFTER UPDATE ON article", "SELECT NEW.id AS article_id, 0 AS deleted"),
                "removed": ("AFTER DELETE ON article", "SELECT OLD.id AS article_id, 1 AS deleted"),
                // What an article shows of its tags and its source is part of it.
                "tag_renamed": (
                    "AFTER UPDATE OF slug, name ON tag",
                    "SELECT article_id, 0 AS deleted FROM article_tag WHERE tag_id = NEW.id"
                ),
                "source_renamed": (
                    "AFTER UPDATE OF slug, name, domain ON source",
                    "SELECT id AS article_id, 0 AS deleted FROM article WHERE source_id = NEW.id"
                ),
            ]
            for (name, (event, touched)) in events.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: """
                        CREATE TRIGGER article_change_\(name) \(event) BEGIN
                            DELETE FROM article_change WHERE article_id IN (SELECT article_id FROM (\(touched)));
                            INSERT INTO article_change (article_id, deleted, changed_at)
                                SELECT article_id, deleted, \(now) FROM (\(touched));
                        END
                        """
                )
            }
        }
    }
}

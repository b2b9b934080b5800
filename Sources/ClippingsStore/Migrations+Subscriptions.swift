import GRDB

extension AppDatabase {
    /// v15: webhook subscriptions and their outbox. Append-only, like every migration.
    static func registerSubscriptions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15: subscriptions", foreignKeyChecks: .immediate) { db in
            // A subscription is a saved `/articles` query (`query`, as a query string) and a callback. It
            // follows the change feed from `change_cursor`; `subscription_match` holds the articles that
            // matched it when last seen, so that only an article that *starts* to match is delivered.
            // Deliveries wait in `delivery` (the outbox), written in the same transaction that advances the
            // cursor: a crash loses none, and a retry sends the same `delivery_id`. `failures` counts
            // failed attempts since the last success; at the server's limit the subscription is disabled.
            try db.execute(
                sql: """
                    CREATE TABLE subscription (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        url TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        query TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'active',
                        change_cursor INTEGER NOT NULL,
                        failures INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        last_attempt_at TEXT,
                        last_delivered_at TEXT,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE subscription_match (
                        subscription_id INTEGER NOT NULL REFERENCES subscription(id) ON DELETE CASCADE,
                        article_id INTEGER NOT NULL,
                        PRIMARY KEY (subscription_id, article_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE delivery (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        subscription_id INTEGER NOT NULL REFERENCES subscription(id) ON DELETE CASCADE,
                        delivery_id TEXT NOT NULL UNIQUE,
                        article_id INTEGER NOT NULL,
                        payload BLOB NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at TEXT NOT NULL,
                        delivered_at TEXT,
                        last_status INTEGER,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX delivery_due ON delivery(next_attempt_at, id) WHERE delivered_at IS NULL;
                    CREATE INDEX delivery_by_subscription ON delivery(subscription_id, delivered_at);
                    """
            )
        }
    }
}

import Foundation

/// The PostgreSQL schema, as append-only migrations: each runs once, in order, in its own transaction,
/// and a released migration is never edited (a change is a new one).
///
/// Timestamps are RFC 3339 UTC text (`Timestamp.string`), as in SQLite, and every key that orders or
/// compares is `COLLATE "C"`: orders, cursors and slugs then agree byte for byte with the SQLite archive.
enum PostgresSchema {
    static let migrations: [(name: String, sql: String)] = [
        ("v1: archive", archive),
        ("v2: search", search),
        ("v3: stories, changes and subscriptions", storiesChangesSubscriptions),
        ("v4: webhook subscriptions", subscriptions),
        ("v5: the archive's tokenizer", archiveTokenizer),
        ("v6: term frequencies", termFrequencies),
        ("v7: story placement", storyPlacement),
    ]

    /// A migration's statements: each ends with a semicolon at a line's end, outside a `$$`-quoted body.
    static func statements(of sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        for piece in sql.components(separatedBy: ";\n") {
            current += current.isEmpty ? piece : ";\n" + piece
            // Inside a function body while an odd number of `$$` has been seen.
            if current.components(separatedBy: "$$").count % 2 == 1 {
                let text = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { statements.append(text) }
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }

    static let archive = """
        CREATE TABLE archive_state (
            id int PRIMARY KEY CHECK (id = 1),
            version bigint NOT NULL,
            articles bigint NOT NULL,
            tokens bigint NOT NULL
        );
        INSERT INTO archive_state VALUES (1, 0, 0, 0);
        CREATE TABLE source (
            id bigserial PRIMARY KEY,
            slug text COLLATE "C" NOT NULL UNIQUE,
            name text COLLATE "C" NOT NULL,
            name_key text COLLATE "C" NOT NULL,
            domain text,
            article_count int NOT NULL DEFAULT 0
        );
        CREATE INDEX source_by_name_key ON source (name_key, id);
        CREATE TABLE tag (
            id bigserial PRIMARY KEY,
            slug text COLLATE "C" NOT NULL UNIQUE,
            name text COLLATE "C" NOT NULL,
            name_key text COLLATE "C" NOT NULL,
            article_count int NOT NULL DEFAULT 0
        );
        CREATE INDEX tag_by_name_key ON tag (name_key, id);
        CREATE TABLE category (
            id bigserial PRIMARY KEY,
            slug text COLLATE "C" NOT NULL UNIQUE,
            name text NOT NULL,
            name_key text COLLATE "C" NOT NULL
        );
        CREATE INDEX category_by_name_key ON category (name_key, id);
        CREATE TABLE article (
            id bigserial PRIMARY KEY,
            slug text COLLATE "C" NOT NULL UNIQUE,
            identity text COLLATE "C" NOT NULL UNIQUE,
            content_hash text COLLATE "C" NOT NULL,
            title text NOT NULL,
            title_key text COLLATE "C" NOT NULL,
            author text,
            author_key text COLLATE "C",
            published_at text COLLATE "C",
            language text COLLATE "C" NOT NULL,
            source_id bigint REFERENCES source ON DELETE SET NULL,
            url text,
            external_id text,
            body text NOT NULL,
            summary text NOT NULL,
            word_count int NOT NULL,
            format text NOT NULL,
            created_at text COLLATE "C" NOT NULL,
            updated_at text COLLATE "C" NOT NULL,
            story_id bigint,
            near_duplicate_of bigint
        );
        CREATE INDEX article_by_hash ON article (content_hash);
        CREATE INDEX article_by_newest ON article ((published_at IS NULL), published_at DESC, id DESC);
        CREATE INDEX article_by_oldest ON article ((published_at IS NULL), published_at, id);
        CREATE INDEX article_by_title ON article (title_key, id);
        CREATE INDEX article_by_source ON article (source_id, published_at);
        CREATE INDEX article_by_language ON article (language, published_at);
        CREATE INDEX article_by_author ON article (author_key);
        CREATE INDEX article_by_updated ON article (updated_at, id);
        CREATE TABLE article_tag (
            article_id bigint NOT NULL REFERENCES article ON DELETE CASCADE,
            tag_id bigint NOT NULL REFERENCES tag ON DELETE CASCADE,
            position int NOT NULL,
            PRIMARY KEY (article_id, tag_id)
        );
        CREATE INDEX article_tag_by_tag ON article_tag (tag_id, article_id);
        CREATE TABLE article_category (
            article_id bigint NOT NULL REFERENCES article ON DELETE CASCADE,
            category_id bigint NOT NULL REFERENCES category ON DELETE CASCADE,
            position int NOT NULL,
            PRIMARY KEY (article_id, category_id)
        );
        CREATE TABLE article_author (
            article_id bigint NOT NULL REFERENCES article ON DELETE CASCADE,
            position int NOT NULL,
            name text NOT NULL,
            name_key text COLLATE "C" NOT NULL,
            PRIMARY KEY (article_id, position)
        );
        CREATE INDEX article_author_by_name ON article_author (name_key, article_id);
        CREATE TABLE link (
            article_id bigint NOT NULL REFERENCES article ON DELETE CASCADE,
            position int NOT NULL,
            url text NOT NULL,
            text text NOT NULL,
            PRIMARY KEY (article_id, position)
        );
        CREATE TABLE image (
            article_id bigint NOT NULL REFERENCES article ON DELETE CASCADE,
            position int NOT NULL,
            url text NOT NULL,
            alt text,
            PRIMARY KEY (article_id, position)
        );
        CREATE TABLE article_document (
            article_id bigint PRIMARY KEY REFERENCES article ON DELETE CASCADE,
            file_name text,
            url text,
            source_name text,
            size bigint NOT NULL,
            deflated bytea NOT NULL,
            edited_at text
        );
        """

    /// Search: one text search configuration per language family, each folding accents (`unaccent`) and
    /// keeping stop words (so a phrase matches as written, as in SQLite); a stored `tsvector` per article,
    /// the title weighted A and the body D, under a GIN index. BM25 needs each article's length and the
    /// archive's totals (`archive_state`), kept by the writer in its transaction.
    static let search = """
        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE TEXT SEARCH DICTIONARY clippings_english_stem (TEMPLATE = snowball, Language = english);
        CREATE TEXT SEARCH DICTIONARY clippings_norwegian_stem (TEMPLATE = snowball, Language = norwegian);
        CREATE TEXT SEARCH CONFIGURATION clippings_english (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION clippings_english
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH unaccent, clippings_english_stem;
        CREATE TEXT SEARCH CONFIGURATION clippings_norwegian (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION clippings_norwegian
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH unaccent, clippings_norwegian_stem;
        CREATE TEXT SEARCH CONFIGURATION clippings_simple (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION clippings_simple
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH unaccent, simple;
        CREATE FUNCTION clippings_config(language text) RETURNS regconfig
            IMMUTABLE PARALLEL SAFE LANGUAGE sql
            AS $$ SELECT CASE WHEN language = 'en' THEN 'clippings_english'::regconfig
                WHEN language IN ('no', 'nb', 'nn') THEN 'clippings_norwegian'::regconfig
                ELSE 'clippings_simple'::regconfig END $$;
        -- A word or phrase of the search language in every configuration: an article matches in its own.
        CREATE FUNCTION clippings_term(term text) RETURNS tsquery
            STABLE PARALLEL SAFE LANGUAGE sql
            AS $$ SELECT phraseto_tsquery('clippings_english', term)
                || phraseto_tsquery('clippings_norwegian', term)
                || phraseto_tsquery('clippings_simple', term) $$;
        -- A prefix term, given as tsquery text the caller built from letters and digits only.
        CREATE FUNCTION clippings_prefix(query text) RETURNS tsquery
            STABLE PARALLEL SAFE LANGUAGE sql
            AS $$ SELECT to_tsquery('clippings_english', query) || to_tsquery('clippings_norwegian', query)
                || to_tsquery('clippings_simple', query) $$;
        -- The lexemes a word becomes in any configuration.
        CREATE FUNCTION clippings_lexemes(word text) RETURNS text[]
            STABLE PARALLEL SAFE LANGUAGE sql
            AS $$ SELECT coalesce(array_agg(DISTINCT lexeme), '{}') FROM (
                SELECT unnest(tsvector_to_array(to_tsvector('clippings_english', word))) AS lexeme
                UNION SELECT unnest(tsvector_to_array(to_tsvector('clippings_norwegian', word)))
                UNION SELECT unnest(tsvector_to_array(to_tsvector('clippings_simple', word)))) l $$;
        -- How often an article holds any of the lexemes (or a lexeme starting with a prefix), a title
        -- occurrence counting `title_weight`: BM25's term frequency, as FTS5 weighs columns.
        CREATE FUNCTION clippings_frequency(search tsvector, lexemes text[], prefix boolean, title_weight float8)
            RETURNS float8 IMMUTABLE PARALLEL SAFE LANGUAGE sql
            AS $$ SELECT coalesce(sum(CASE WHEN w = 'A' THEN title_weight ELSE 1 END), 0)::float8
                FROM unnest(search) AS u(lexeme, positions, weights), unnest(u.weights) AS w
                WHERE CASE WHEN prefix THEN EXISTS (SELECT 1 FROM unnest(lexemes) p WHERE starts_with(u.lexeme, p))
                    ELSE u.lexeme = ANY (lexemes) END $$;
        ALTER TABLE article ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
        ALTER TABLE article ADD COLUMN search_length int NOT NULL DEFAULT 0;
        CREATE INDEX article_search ON article USING gin (search);
        -- How many articles hold each lexeme: what related articles weigh an article's words by.
        CREATE TABLE search_lexeme (lexeme text COLLATE "C" PRIMARY KEY, articles int NOT NULL);
        """

    static let storiesChangesSubscriptions = """
        CREATE TABLE story (
            id bigserial PRIMARY KEY,
            title text NOT NULL,
            created_at text COLLATE "C" NOT NULL
        );
        CREATE INDEX article_by_story ON article (story_id, published_at);
        CREATE INDEX article_by_original ON article (near_duplicate_of);
        CREATE TABLE story_redirect (id bigint PRIMARY KEY, story_id bigint NOT NULL);
        CREATE TABLE article_change (
            seq bigint PRIMARY KEY,
            article_id bigint NOT NULL UNIQUE,
            deleted boolean NOT NULL DEFAULT false,
            changed_at text COLLATE "C" NOT NULL
        );
        CREATE INDEX article_change_tombstones ON article_change (changed_at) WHERE deleted;
        CREATE TABLE change_state (
            id int PRIMARY KEY CHECK (id = 1),
            latest bigint NOT NULL,
            pruned_through bigint NOT NULL
        );
        INSERT INTO change_state VALUES (1, 0, 0);
        """

    /// Webhook subscriptions and their outbox, as on SQLite (v15): a subscription follows the change feed
    /// from `change_cursor`; `subscription_match` holds what matched when last seen, so only an article that
    /// starts to match is delivered; deliveries wait in `delivery`, written in the transaction that moves
    /// the cursor.
    static let subscriptions = """
        CREATE TABLE subscription (
            id bigserial PRIMARY KEY,
            url text NOT NULL,
            secret text NOT NULL,
            query text NOT NULL,
            status text NOT NULL DEFAULT 'active',
            change_cursor bigint NOT NULL,
            failures int NOT NULL DEFAULT 0,
            last_error text,
            last_attempt_at text,
            last_delivered_at text,
            created_at text NOT NULL
        );
        CREATE TABLE subscription_match (
            subscription_id bigint NOT NULL REFERENCES subscription ON DELETE CASCADE,
            article_id bigint NOT NULL,
            PRIMARY KEY (subscription_id, article_id)
        );
        CREATE TABLE delivery (
            id bigserial PRIMARY KEY,
            subscription_id bigint NOT NULL REFERENCES subscription ON DELETE CASCADE,
            delivery_id text NOT NULL UNIQUE,
            article_id bigint NOT NULL,
            payload bytea NOT NULL,
            attempts int NOT NULL DEFAULT 0,
            next_attempt_at text COLLATE "C" NOT NULL,
            delivered_at text,
            last_status int,
            created_at text NOT NULL
        );
        CREATE INDEX delivery_due ON delivery (next_attempt_at, id) WHERE delivered_at IS NULL;
        CREATE INDEX delivery_by_subscription ON delivery (subscription_id, delivered_at);
        """

    /// Search vectors made by the archive's own tokenizer (`SearchTokenizer`, in Swift) instead of
    /// PostgreSQL's per-language configurations, so both backends find, count and rank alike. Which way an
    /// archive's vectors were made is recorded; `PostgresArchive` rebuilds older ones when it opens.
    static let archiveTokenizer = """
        ALTER TABLE archive_state ADD COLUMN search_tokenizer int NOT NULL DEFAULT 1
        """

    /// Each article's term frequencies as BM25 weighs them, one key per term: a score looks a term up in
    /// logarithmic time instead of walking every lexeme of the vector. Filled by the rebuild on open.
    static let termFrequencies = """
        ALTER TABLE article ADD COLUMN search_terms jsonb NOT NULL DEFAULT '{}'
        """

    /// Stories as SQLite keeps them (v13, v16): each story's profile, span and counts, the key words that
    /// find it, the copy signatures and their bands. Story ids come from `story_state.next_id`, which moves
    /// only with the transaction that takes an id (as SQLite's AUTOINCREMENT): a merged story's id is
    /// never given again, so its redirect never points at a stranger. The counts follow every change of an
    /// article's story or copy mark (a trigger, as on SQLite); deleting an original makes its copies
    /// originals.
    static let storyPlacement = """
        ALTER TABLE story ADD COLUMN article_count int NOT NULL DEFAULT 0;
        ALTER TABLE story ADD COLUMN copy_count int NOT NULL DEFAULT 0;
        ALTER TABLE story ADD COLUMN first_published_at text COLLATE "C";
        ALTER TABLE story ADD COLUMN last_published_at text COLLATE "C";
        ALTER TABLE story ADD COLUMN activity_at text COLLATE "C" NOT NULL DEFAULT '';
        ALTER TABLE story ADD COLUMN profile bytea NOT NULL DEFAULT '';
        ALTER TABLE story ADD COLUMN updated_at text COLLATE "C" NOT NULL DEFAULT '';
        ALTER TABLE story ALTER COLUMN id DROP DEFAULT;
        DROP SEQUENCE story_id_seq;
        CREATE TABLE story_state (id int PRIMARY KEY CHECK (id = 1), next_id bigint NOT NULL);
        INSERT INTO story_state VALUES (1, 1 + greatest(
            (SELECT coalesce(max(id), 0) FROM story), (SELECT coalesce(max(id), 0) FROM story_redirect)));
        CREATE INDEX story_by_activity ON story (activity_at DESC, id DESC);
        CREATE INDEX story_by_size ON story (article_count);
        CREATE INDEX story_redirect_by_story ON story_redirect (story_id);
        CREATE TABLE story_key (
            key text COLLATE "C" NOT NULL,
            story_id bigint NOT NULL,
            PRIMARY KEY (key, story_id)
        );
        CREATE TABLE article_signature (
            article_id bigint PRIMARY KEY REFERENCES article ON DELETE CASCADE,
            shingles int NOT NULL,
            signature bytea NOT NULL
        );
        CREATE TABLE article_band (
            band bigint NOT NULL,
            article_id bigint NOT NULL,
            PRIMARY KEY (band, article_id)
        );
        ALTER TABLE article ADD FOREIGN KEY (story_id) REFERENCES story ON DELETE SET NULL ON UPDATE CASCADE;
        ALTER TABLE article ADD FOREIGN KEY (near_duplicate_of) REFERENCES article ON DELETE SET NULL;
        CREATE FUNCTION clippings_story_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.story_id IS NOT NULL THEN
                UPDATE story SET article_count = article_count - (OLD.near_duplicate_of IS NULL)::int,
                    copy_count = copy_count - (OLD.near_duplicate_of IS NOT NULL)::int
                WHERE id = OLD.story_id;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.story_id IS NOT NULL THEN
                UPDATE story SET article_count = article_count + (NEW.near_duplicate_of IS NULL)::int,
                    copy_count = copy_count + (NEW.near_duplicate_of IS NOT NULL)::int
                WHERE id = NEW.story_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER story_counts AFTER INSERT OR DELETE OR UPDATE OF story_id, near_duplicate_of ON article
            FOR EACH ROW EXECUTE FUNCTION clippings_story_counts()
        """
}

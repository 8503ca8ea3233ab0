"""The schema, as versioned migrations applied when a database is opened.

Names are chosen to read well in Datasette or ``sqlite-utils tables``: plural
table names, ``<thing>_id`` foreign keys, spans as ``span_start``/``span_end``
(character offsets into ``articles.clean_text``).
"""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("workbench")

GENESIS_HASH = "0" * 64

_V1 = [
    # -- articles -------------------------------------------------------------
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        record INTEGER,                      -- record number inside a JSON/JSONL file
        sha256 TEXT NOT NULL UNIQUE,         -- of the raw bytes: the same bytes import once
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        title TEXT, title_source TEXT,
        published TEXT, published_source TEXT,   -- ISO 8601, NULL when unknown (never the import time)
        author TEXT, author_source TEXT,
        site TEXT, site_source TEXT,
        url TEXT, url_source TEXT,
        language TEXT, language_source TEXT,
        clean_text TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES articles(id),
        duplicate_similarity REAL,
        warnings TEXT NOT NULL DEFAULT '[]',
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,  -- bumped by every metadata correction (optimistic locking)
        linked INTEGER NOT NULL DEFAULT 0     -- 0 until its statements are linked (a resumable stage)
    )
    """,
    "CREATE INDEX idx_articles_duplicate_of ON articles(duplicate_of)",
    "CREATE INDEX idx_articles_published ON articles(published)",
    "CREATE INDEX idx_articles_unlinked ON articles(linked) WHERE linked = 0",
    """
    CREATE TABLE article_raw (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        raw BLOB NOT NULL
    )
    """,
    """
    CREATE TABLE removed_chrome (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL
    )
    """,
    "CREATE INDEX idx_removed_chrome_article ON removed_chrome(article_id)",
    # Content-defined samples of the clean text's shingles (see workbench/dedup.py), to find
    # near-duplicate articles without comparing every pair.
    """
    CREATE TABLE article_fingerprints (
        hash INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        PRIMARY KEY (hash, article_id)
    ) WITHOUT ROWID
    """,
    # -- statements and annotations -------------------------------------------
    """
    CREATE TABLE statements (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        position INTEGER NOT NULL,           -- 0-based order in the article
        paragraph INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,                  -- == articles.clean_text[span_start:span_end]
        score REAL NOT NULL,
        checkworthy INTEGER NOT NULL,
        types TEXT NOT NULL DEFAULT '[]',
        reasons TEXT NOT NULL DEFAULT '[]',
        retired INTEGER NOT NULL DEFAULT 0,  -- kept after a re-segmentation because reviewers used it
        UNIQUE (article_id, span_start, span_end)
    )
    """,
    "CREATE INDEX idx_statements_claims ON statements(checkworthy, article_id, position)",
    """
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('gazetteer', 'user', 'candidate'))
    )
    """,
    """
    CREATE TABLE entity_aliases (
        id INTEGER PRIMARY KEY,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        alias TEXT NOT NULL,
        UNIQUE (entity_id, alias)
    )
    """,
    "CREATE INDEX idx_entity_aliases_alias ON entity_aliases(alias)",
    # Chinese terms per article; a term seen in two or more articles becomes a candidate entity.
    """
    CREATE TABLE article_terms (
        term TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        PRIMARY KEY (term, article_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        statement_id INTEGER NOT NULL REFERENCES statements(id),
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        surface TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        fuzzy INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX idx_mentions_statement ON mentions(statement_id)",
    "CREATE INDEX idx_mentions_entity ON mentions(entity_id, statement_id)",
    """
    CREATE TABLE statement_dates (
        id INTEGER PRIMARY KEY,
        statement_id INTEGER NOT NULL REFERENCES statements(id),
        surface TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        precision TEXT NOT NULL,
        start_day TEXT,                      -- NULL when unresolved (never guessed)
        end_day TEXT,
        anchor TEXT,
        anchor_source TEXT
    )
    """,
    "CREATE INDEX idx_statement_dates_statement ON statement_dates(statement_id)",
    "CREATE INDEX idx_statement_dates_days ON statement_dates(start_day, end_day)",
    """
    CREATE TABLE statement_numbers (
        id INTEGER PRIMARY KEY,
        statement_id INTEGER NOT NULL REFERENCES statements(id),
        surface TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        value REAL NOT NULL,
        unit TEXT
    )
    """,
    "CREATE INDEX idx_statement_numbers_statement ON statement_numbers(statement_id)",
    # Full-text search. CJK characters are indexed one token each (see store/search.py), so a
    # phrase query finds Chinese words of any length, including two-character ones like 数据.
    "CREATE VIRTUAL TABLE statement_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    # -- links and review -------------------------------------------------------
    """
    CREATE TABLE links (
        id INTEGER PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES statements(id),
        statement_id INTEGER NOT NULL REFERENCES statements(id),
        score REAL NOT NULL,
        relation TEXT NOT NULL CHECK (relation IN ('same', 'related', 'conflict')),
        reasons TEXT NOT NULL DEFAULT '[]',
        duplicate INTEGER NOT NULL DEFAULT 0,  -- the other side is a copy of the same article
        status TEXT NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'confirmed', 'rejected')),
        decided_by TEXT,
        decided_at TEXT,
        UNIQUE (claim_id, statement_id)
    )
    """,
    "CREATE INDEX idx_links_statement ON links(statement_id)",
    "CREATE INDEX idx_links_relation ON links(relation, claim_id)",
    """
    CREATE TABLE verdicts (
        id INTEGER PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES statements(id),
        reviewer TEXT NOT NULL,
        label TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '[]',  -- JSON list of URLs and confirmed link ids
        time TEXT NOT NULL,
        final INTEGER NOT NULL DEFAULT 0,      -- an adjudicator's final verdict
        version INTEGER NOT NULL DEFAULT 1,    -- bumped on every change (optimistic locking)
        UNIQUE (claim_id, reviewer, final)
    )
    """,
    "CREATE INDEX idx_verdicts_reviewer ON verdicts(reviewer, claim_id)",
    """
    CREATE TABLE flags (
        claim_id INTEGER NOT NULL REFERENCES statements(id),
        reviewer TEXT NOT NULL,
        time TEXT NOT NULL,
        PRIMARY KEY (claim_id, reviewer)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                   -- JSON
    )
    """,
    # -- the audit log ------------------------------------------------------------
    """
    CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        session TEXT NOT NULL,
        action TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id TEXT,
        before TEXT,
        after TEXT,
        reason TEXT,
        app_version TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )
    """,
    # Append-only, enforced by the database for every connection, including a plain
    # sqlite3 shell. INSERT OR REPLACE deletes the old row without firing delete
    # triggers when recursive_triggers is off (the default), so the insert trigger
    # also refuses any row that does not extend the chain at its end.
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END
    """,
    f"""
    CREATE TRIGGER audit_events_append_only BEFORE INSERT ON audit_events
    WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)
      OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), '{GENESIS_HASH}')
      OR EXISTS (SELECT 1 FROM audit_events WHERE event_id = NEW.event_id)
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: a new event must extend the chain'); END
    """,
    "CREATE INDEX idx_audit_events_object ON audit_events(object_type, object_id)",
]


@migrations()
def m001_initial(db):
    """The whole first schema, and the shipped gazetteer."""
    for statement in _V1:
        db.execute(statement)
    db.execute("INSERT INTO settings (key, value) VALUES ('database_id', json_quote(lower(hex(randomblob(16)))))")
    from workbench.store.entities import seed_gazetteer  # avoids an import cycle at module load

    seed_gazetteer(db)


@migrations()
def m011_mention_reasons(db):
    """Mentions inferred by coreference ("the company" = Tesla) keep their reason."""
    db.execute("ALTER TABLE mentions ADD COLUMN reason TEXT")


@migrations()
def m011_stories(db):
    """Stories: each article's story (articles reporting one event or running topic) and how
    related it was to the story when it joined. A story is its articles; its id is stable."""
    db.execute("""
        CREATE TABLE story_articles (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            story_id INTEGER NOT NULL,
            relatedness REAL NOT NULL
        )""")
    db.execute("CREATE INDEX idx_story_articles_story ON story_articles(story_id, article_id)")


@migrations()
def m011_pair_link_decisions(db):
    """A link decision is about the pair: the reverse link of a decided one takes its decision.

    Before, deciding A -> B left B -> A suggested. The log already holds the
    decision (its replay is keyed by the pair); this makes the table say it
    from both sides. Pairs whose two directions were decided differently are
    left as they are (two decisions were made; audit verify shows them).
    """
    db.execute(
        """UPDATE links SET (status, decided_by, decided_at) = (
               SELECT r.status, r.decided_by, r.decided_at FROM links r
               WHERE r.claim_id = links.statement_id AND r.statement_id = links.claim_id)
           WHERE status = 'suggested' AND EXISTS (SELECT 1 FROM links r WHERE r.claim_id = links.statement_id
                 AND r.statement_id = links.claim_id AND r.status != 'suggested')""")


@migrations()
def m011_promoted_claims(db):
    """A statement a reviewer made a claim (workbench promote) says who: reprocess keeps it a claim."""
    db.execute("ALTER TABLE statements ADD COLUMN promoted_by TEXT")


@migrations()
def m012_vocabularies(db):
    """One vocabulary of entity types (``model.EntityType``): the candidates found in the articles were typed
    "name" or "term", and the review screen could add "organization", "term" or "name", types nothing else
    recognised. They become "other" (not typed yet) and "org"."""
    db.execute("UPDATE entities SET type = 'org' WHERE type = 'organization'")
    db.execute("UPDATE entities SET type = 'other'"
               " WHERE type NOT IN ('org', 'person', 'place', 'product', 'event', 'topic', 'other')")


@migrations()
def m017_claimants(db):
    """Who made each statement's claim (claims/claimants.py), and a reviewer's correction of it.

    One row per statement. Re-analysis rewrites the machine's rows; a row a
    reviewer corrected (``corrected_by`` set) is kept as the reviewer left it.
    Existing databases get their claimants at the next ``reprocess``.
    """
    db.execute("""
        CREATE TABLE claimants (
            statement_id INTEGER PRIMARY KEY REFERENCES statements(id),
            name TEXT NOT NULL,
            entity_id INTEGER REFERENCES entities(id),
            surface TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('speaker', 'source', 'article')),
            reason TEXT NOT NULL,
            span_start INTEGER,
            span_end INTEGER,
            corrected_by TEXT,
            corrected_at TEXT
        )""")
    db.execute("CREATE INDEX idx_claimants_entity ON claimants(entity_id)")


@migrations()
def m013_signatures(db):
    """Signed audit events: a signature per event, the reviewers' registered public keys, and,
    in a log that already has events, a marker that signing begins after them."""
    db.execute("ALTER TABLE audit_events ADD COLUMN signature TEXT")  # base64 Ed25519 over the actor chain
    db.execute(
        """CREATE TABLE reviewer_keys (
               actor TEXT PRIMARY KEY,
               public_key TEXT NOT NULL,          -- base64 of the raw 32-byte Ed25519 key
               registered_seq INTEGER NOT NULL,   -- the key.register event
               chain TEXT NOT NULL,               -- the actor's own chain over their events (workbench.signing)
               last_seq INTEGER NOT NULL          -- their last event, signed over that chain
           )""")
    # the writer checks no event in its name came after its last one
    db.execute("CREATE INDEX idx_audit_events_actor ON audit_events(actor, seq)")
    if db.execute("SELECT 1 FROM audit_events LIMIT 1").fetchone():
        from workbench.store.audit import append_signing_marker  # avoids an import cycle at module load

        append_signing_marker(db)


@migrations()
def m014_encoding_source(db):
    """How each article's encoding was decided, with its evidence (a BOM, a declared charset,
    the Chinese path's plausibility, charset-normalizer's confidence)."""
    db.execute("ALTER TABLE articles ADD COLUMN encoding_source TEXT")


@migrations()
def m014_search_simplified(db):
    """Search folds traditional characters to simplified (OpenCC's table): re-index what was indexed."""
    from workbench.store.search import index_text

    rows = db.execute(
        "SELECT s.id, s.text FROM statements s WHERE s.id IN (SELECT rowid FROM statement_search)").fetchall()
    db.conn.executemany("DELETE FROM statement_search WHERE rowid = ?", [(sid,) for sid, _ in rows])
    db.conn.executemany("INSERT INTO statement_search (rowid, body) VALUES (?, ?)",
                        [(sid, index_text(text)) for sid, text in rows])


@migrations()
def m014_removed_offsets(db):
    """Where a removed piece was in the text it was cut from (SEO fragments inside sentences)."""
    db.execute("ALTER TABLE removed_chrome ADD COLUMN text_offset INTEGER")


@migrations()
def m012_queue_index(db):
    """The review queue's own index: live claims in article order. Its WHERE is the queue's first two terms
    (``checkworthy = 1 AND retired = 0``), so queue pages, counts and progress walk claims only, without
    reading each statement's row to test ``retired``."""
    db.execute("CREATE INDEX idx_statements_queue ON statements(article_id, position)"
               " WHERE checkworthy = 1 AND retired = 0")


@migrations()
def m017_queue_by_score(db):
    """The ranked review queue's index: live claims best first, ties by id (the rowid, ascending after a
    DESC column), with the same WHERE as idx_statements_queue, so a ranked page walks it from its key
    (``score <= ?``) without sorting. The article queue keeps idx_statements_queue."""
    db.execute("CREATE INDEX idx_statements_ranked ON statements(checkworthy, score DESC)"
               " WHERE checkworthy = 1 AND retired = 0")

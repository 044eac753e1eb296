-- Each indexed article's duplicate-index state (westminster.dedupe.state: MinHash values, keys,
-- sentence words and the match it found), so an ingest run restores the index instead of
-- recomputing every stored article's features. `seq` keeps the order states were first written.

CREATE TABLE dedupe_states (
    seq INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    state BLOB NOT NULL,
    stored_at TEXT NOT NULL
);

-- Each indexed article's duplicate-index state (westminster.dedupe.state: MinHash values, keys,
-- sentence words and the match it found), so an ingest run restores the index instead of
-- recomputing every stored article's features.

CREATE TABLE dedupe_states (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    state BYTEA NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL
);

-- Initial schema: outlets, articles with versions, analyses, links, rejections, runs.
-- Dates are ISO 8601 text (published: YYYY-MM-DD; times: UTC with offset).

CREATE TABLE outlets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- The latest version of each article; `seq` is the integer rowid the FTS index points at.
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT,
    path TEXT,
    outlet_id INTEGER REFERENCES outlets(id),
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    published_source TEXT NOT NULL DEFAULT '',
    author TEXT,
    removed TEXT NOT NULL DEFAULT '[]',
    text_sha256 TEXT NOT NULL,
    raw_sha256 TEXT,
    fetched_at TEXT,
    version INTEGER NOT NULL,
    quotes_text TEXT NOT NULL DEFAULT '',
    duplicate_of TEXT REFERENCES articles(id),
    rewrite_of TEXT REFERENCES articles(id),
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX articles_outlet_published ON articles(outlet_id, published);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_text_sha256 ON articles(text_sha256);

CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    raw_sha256 TEXT,
    fetched_at TEXT,
    stored_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Full-text index over title, text and quote text, kept in step with `articles` by triggers
-- (an external-content table: its column names must be those of `articles`).
-- porter stems English words as PostgreSQL's 'english' configuration does.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, quotes_text,
    content='articles', content_rowid='seq',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text, quotes_text)
    VALUES (new.seq, new.title, new.text, new.quotes_text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text, quotes_text)
    VALUES ('delete', old.seq, old.title, old.text, old.quotes_text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text, quotes_text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text, quotes_text)
    VALUES ('delete', old.seq, old.title, old.text, old.quotes_text);
    INSERT INTO articles_fts(rowid, title, text, quotes_text)
    VALUES (new.seq, new.title, new.text, new.quotes_text);
END;

CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    summary TEXT NOT NULL,
    doc TEXT NOT NULL,
    analysed_at TEXT NOT NULL
);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX entities_key ON entities(key);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

CREATE TABLE quotes (
    seq INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    speaker_name TEXT NOT NULL,
    speaker_key TEXT NOT NULL,
    normalised TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    UNIQUE (article_id, idx)
);
CREATE INDEX quotes_speaker_key ON quotes(speaker_key);
CREATE INDEX quotes_speaker_name ON quotes(speaker_name COLLATE NOCASE);
CREATE INDEX quotes_fingerprint ON quotes(fingerprint);

CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text,
    content='quotes', content_rowid='seq',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text) VALUES (new.seq, new.text);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.seq, old.text);
END;

CREATE TABLE topics (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (article_id, name)
);
CREATE INDEX topics_name ON topics(name COLLATE NOCASE);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    counts TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    stage TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT NOT NULL,
    input TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (run_id, stage, code, input)
);
CREATE INDEX rejections_input ON rejections(input);

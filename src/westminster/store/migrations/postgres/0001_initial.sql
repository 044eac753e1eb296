-- Initial schema: outlets, articles with versions, analyses, links, rejections, runs.

CREATE TABLE outlets (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- The latest version of each article. `search` is the weighted full-text vector
-- (title A, quotes B, body C), kept by PostgreSQL itself as a generated column.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    path TEXT,
    outlet_id BIGINT REFERENCES outlets(id),
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published DATE,
    published_source TEXT NOT NULL DEFAULT '',
    author TEXT,
    removed JSONB NOT NULL DEFAULT '[]',
    text_sha256 TEXT NOT NULL,
    raw_sha256 TEXT,
    fetched_at TIMESTAMPTZ,
    version INTEGER NOT NULL,
    quotes_text TEXT NOT NULL DEFAULT '',
    duplicate_of TEXT REFERENCES articles(id),
    rewrite_of TEXT REFERENCES articles(id),
    first_seen TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    search TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, quotes_text), 'B')
        || setweight(to_tsvector('english'::regconfig, text), 'C')
    ) STORED
);
CREATE INDEX articles_search ON articles USING GIN (search);
CREATE INDEX articles_outlet_published ON articles (outlet_id, published);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_text_sha256 ON articles (text_sha256);

CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    raw_sha256 TEXT,
    fetched_at TIMESTAMPTZ,
    stored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    summary TEXT NOT NULL,
    doc JSONB NOT NULL,
    analysed_at TIMESTAMPTZ NOT NULL
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
CREATE INDEX entities_key ON entities (key);
CREATE INDEX entities_name ON entities (lower(name));

CREATE TABLE quotes (
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
    search TSVECTOR GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX quotes_speaker_key ON quotes (speaker_key);
CREATE INDEX quotes_speaker_name ON quotes (lower(speaker_name));
CREATE INDEX quotes_fingerprint ON quotes (fingerprint);
CREATE INDEX quotes_search ON quotes USING GIN (search);

CREATE TABLE topics (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (article_id, name)
);
CREATE INDEX topics_name ON topics (lower(name));

CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    counts JSONB NOT NULL DEFAULT '{}'
);

CREATE TABLE rejections (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES runs(id),
    stage TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT NOT NULL,
    input TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (run_id, stage, code, input)
);
CREATE INDEX rejections_input ON rejections (input);

-- Records of archives (WARC/ARC) already stored, so an interrupted ingest resumes where it
-- stopped instead of reading every stored record again. Keyed by the archive and its record id
-- (ARC ids are made from capture time and URL, unique only within one archive).

CREATE TABLE source_records (
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    stored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, record_id)
);

-- Conditional GET validators of fetched URLs (ETag and Last-Modified), kept between runs so a
-- second ingest of an unchanged page asks If-None-Match / If-Modified-Since and the server can
-- answer 304 without sending the page again.

CREATE TABLE fetch_validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    updated_at TEXT NOT NULL
);

-- Email delivery: subscribers and their preferences, sign-up rate-limit counters, editions as
-- built (so a restarted sender sends the same edition), the outbox that makes each
-- (edition, subscriber) go out once, the articles each alert covered, and sender locks.

-- `frequency` repeats preferences.frequency so due subscribers are selected by index.
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed')),
    preferences TEXT NOT NULL,
    frequency TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    updated_at TEXT NOT NULL,
    paused_reason TEXT
);
CREATE INDEX subscribers_status_frequency ON subscribers (status, frequency);

-- Sign-up attempts counted per key ("client:...", "email:...") in fixed windows.
CREATE TABLE signup_counters (
    key TEXT NOT NULL,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);

CREATE TABLE editions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    built_at TEXT NOT NULL
);

CREATE TABLE outbox (
    edition TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed')),
    message_id TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    enqueued_at TEXT NOT NULL,
    claimed_at TEXT,
    finished_at TEXT,
    detail TEXT,
    PRIMARY KEY (edition, subscriber_id)
);
CREATE INDEX outbox_edition_status ON outbox (edition, status);
-- Rows still to send, across editions (alerts left unsent by an earlier call).
CREATE INDEX outbox_status ON outbox (status, edition);

-- Which articles an alert edition told a subscriber about: one alert per (subscriber, article).
CREATE TABLE alert_items (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    edition TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, article_id)
);
CREATE INDEX alert_items_edition ON alert_items (subscriber_id, edition);

-- One sender per edition at a time; `owner` is host:pid:token, refreshed as it sends.
CREATE TABLE send_locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);

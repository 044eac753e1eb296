-- Briefings generated (westminster.pipeline.briefs): when a briefing on a subject was last made,
-- so the next one can say what is new since. kind: "insights", "daily", ...; subject: an entity
-- key, a topic name or "" for the daily. Times are ISO 8601 UTC text of fixed width
-- (microseconds always written), so text order is time order.
CREATE TABLE briefings_generated (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    items INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, subject, generated_at)
);

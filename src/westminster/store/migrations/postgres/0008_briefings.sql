-- Briefings generated (westminster.pipeline.briefs): when a briefing on a subject was last made,
-- so the next one can say what is new since. kind: "insights", "daily", ...; subject: an entity
-- key, a topic name or "" for the daily.
CREATE TABLE briefings_generated (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    generated_at TIMESTAMPTZ NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    period_end TIMESTAMPTZ NOT NULL,
    items INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, subject, generated_at)
);

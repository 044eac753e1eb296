-- Splits (westminster.stories.split): a story whose articles turned out to be two events had
-- the group without its first article moved to a new story; the older story keeps its id.
CREATE TABLE story_splits (
    new_id TEXT PRIMARY KEY REFERENCES stories(id),
    from_id TEXT NOT NULL REFERENCES stories(id),
    at TIMESTAMPTZ NOT NULL,
    moved INTEGER NOT NULL
);
CREATE INDEX story_splits_from ON story_splits (from_id);

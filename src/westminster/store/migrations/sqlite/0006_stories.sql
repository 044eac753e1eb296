-- Stories (westminster.stories): each article's story, what it added, merges between stories,
-- and the story engine's state, so the next ingest run continues the same stories.

-- A story; `merged_into` names the surviving story once it was merged (chains are flattened,
-- so it always names a live one). Times are ISO 8601 UTC text: first_seen and last_updated
-- are the earliest and latest member's publication (or fetch) time, last_added the latest
-- time an article joined.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    merged_into TEXT REFERENCES stories(id),
    first_seen TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    last_added TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX stories_live ON stories(last_updated) WHERE merged_into IS NULL;
CREATE INDEX stories_merged_into ON stories(merged_into);

-- One row per article in a story; `seq` is the order articles joined. new_people,
-- new_figures and new_quotes are JSON arrays of what the article added to its story.
CREATE TABLE story_articles (
    seq INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories(id),
    score REAL NOT NULL,
    added_at TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    independent INTEGER NOT NULL,
    copy_of TEXT,
    created INTEGER NOT NULL,
    reason TEXT,
    evidence TEXT NOT NULL DEFAULT '[]',
    analysed INTEGER NOT NULL,
    new_people TEXT NOT NULL DEFAULT '[]',
    new_figures TEXT NOT NULL DEFAULT '[]',
    new_quotes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX story_articles_story ON story_articles(story_id, seq);

CREATE TABLE story_merges (
    merged_id TEXT PRIMARY KEY REFERENCES stories(id),
    into_id TEXT NOT NULL REFERENCES stories(id),
    at TEXT NOT NULL,
    score REAL NOT NULL
);

-- The engine's state (westminster.stories.state): a header row, one opaque entry per active
-- story and the document count of every feature seen.
CREATE TABLE story_engine (
    name TEXT PRIMARY KEY,
    state BLOB NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE story_engine_stories (
    story_id TEXT PRIMARY KEY,
    state BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE story_engine_features (
    feature TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;

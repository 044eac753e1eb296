-- The story list (newest first, ties on id) read through one index instead of sorting every
-- live story (see the SQLite migration of the same number for the measurement).
DROP INDEX stories_live;
DROP INDEX stories_merged_into;
CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX stories_recent ON stories (last_updated DESC, id) WHERE merged_into IS NULL;

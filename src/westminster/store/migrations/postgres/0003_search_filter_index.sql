-- Kept in step with sqlite/0003 (both backends share migration numbers), which adds a covering
-- index so SQLite's search filters need not read `published` from behind the article text.
-- PostgreSQL needs none: `published` and `outlet_id` are fixed-width heap columns read without
-- touching the toasted text, and search selects its matches through the GIN index.
SELECT 1;

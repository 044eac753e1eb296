-- A covering index for search filters. Search checks each full-text match's outlet and date;
-- read from the table, `published` sits after the long `text` column (on overflow pages), so
-- each check walked the article's text: ~1 µs a match, 90 ms for "election" in one outlet of
-- 100,000 articles (benchmarks/search_latency.py). Looked up by `seq` in this index the same
-- check reads one small entry (14 ms).
CREATE INDEX articles_search_filters ON articles(seq, outlet_id, published);

"""Search in SQLite: FTS5 over title, text and quotes, ranked by weighted bm25."""

from __future__ import annotations

from datetime import date
from typing import Any

from westminster.store.base import DEFAULT_LIMIT, QuoteHit, SearchHit
from westminster.store.fts import SNIPPET_END, SNIPPET_START, SNIPPET_WORDS, fts5_query
from westminster.store.sqlite.connection import SQLiteConnections, to_date

# bm25 weights for the FTS columns (title, text, quotes): a word in the headline says more about
# what the article is about than the same word in the body; quotes sit between. Same order of
# weights as the PostgreSQL backend's A/C/B setweight classes.
BM25_WEIGHTS = (10.0, 1.0, 4.0)

# Matches ranked by bm25 at most: a query matching more ranks its SEARCH_CANDIDATES most
# recently stored matches (after filters). bm25 reads every ranked row's positions and sizes,
# about 1 µs a match: "election" matches 45,000 of the 100,000 articles of
# benchmarks/search_latency.py and took 27-80 ms to rank in full (idle to busy machine), 8 ms
# with this cap (5-6 ms at 2,000-5,000). Queries matching fewer articles are ranked exactly.
SEARCH_CANDIDATES = 10_000


class SQLiteSearch(SQLiteConnections):
    """Full-text search over articles and their quotes."""

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        person: str | None = None,
        topic: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[SearchHit]:
        """FTS5 search over title, text and quotes, by weighted bm25 of the newest matches."""
        where = ["articles_fts MATCH :q"]
        params: dict[str, Any] = {"q": fts5_query(query), "limit": limit}
        # Filters read `a`, the covering index articles_search_filters (migration 0003), not the
        # table: there `published` lies past the long text, and reading it for each of tens of
        # thousands of matches cost more than the ranking. Person and topic become sets of seq
        # computed once; an IN on the FTS5 rowid itself would re-run the MATCH for each value.
        if outlet is not None:
            where.append(
                "a.outlet_id IN (SELECT id FROM outlets WHERE name = :outlet COLLATE NOCASE)"
            )
            params["outlet"] = outlet
        if since is not None:
            where.append("a.published >= :since")
            params["since"] = since.isoformat()
        if until is not None:
            where.append("a.published <= :until")
            params["until"] = until.isoformat()
        if person is not None:
            where.append(
                "a.seq IN (SELECT x.seq FROM entities e JOIN articles x ON x.id = e.article_id"
                " WHERE e.key = :person OR e.name = :person COLLATE NOCASE)"
            )
            params["person"] = person
        if topic is not None:
            where.append(
                "a.seq IN (SELECT x.seq FROM topics t JOIN articles x ON x.id = t.article_id"
                " WHERE t.name = :topic COLLATE NOCASE)"
            )
            params["topic"] = topic
        filters = (
            " CROSS JOIN articles a INDEXED BY articles_search_filters"
            " ON a.seq = articles_fts.rowid"
            if len(where) > 1
            else ""
        )
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        # Rank and filter on the FTS index alone, then fetch the articles and make snippets for
        # the page of hits only (reading every matching article, or a snippet for each, would
        # cost more than the ranking). CROSS JOIN fixes the join order so FTS5 drives the scan
        # and the later lookups are by rowid.
        # The cap: the inner query walks the matches newest first (FTS5 reads its index in
        # rowid order, no sort) and stops after SEARCH_CANDIDATES; only those are scored.
        params["candidates"] = SEARCH_CANDIDATES
        sql = (
            f"WITH top AS (SELECT seq, score FROM (SELECT articles_fts.rowid AS seq,"
            f" bm25(articles_fts, {weights}) AS score FROM articles_fts{filters}"
            f" WHERE {' AND '.join(where)} ORDER BY articles_fts.rowid DESC"
            f" LIMIT :candidates) ORDER BY score, seq DESC LIMIT :limit)"
            f" SELECT a.id, a.title, o.name AS outlet, a.published, top.score,"
            f" snippet(articles_fts, -1, '{SNIPPET_START}', '{SNIPPET_END}',"
            f" '…', {SNIPPET_WORDS}) AS snippet"
            f" FROM top CROSS JOIN articles_fts ON articles_fts.rowid = top.seq"
            f" CROSS JOIN articles a ON a.seq = top.seq LEFT JOIN outlets o ON o.id = a.outlet_id"
            f" WHERE articles_fts MATCH :q ORDER BY top.score, top.seq DESC"
        )
        return [
            SearchHit(
                id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=to_date(row["published"]),
                snippet=row["snippet"],
                rank=-row["score"],  # bm25 is lower for better matches
            )
            for row in self._read().execute(sql, params)
        ]

    def quotes_by(
        self, person: str, query: str | None = None, *, limit: int = 100
    ) -> list[QuoteHit]:
        """Quotes whose speaker has this entity key or name, newest first, optionally by words."""
        where = "(q.speaker_key = :person OR q.speaker_name = :person COLLATE NOCASE)"
        params: dict[str, Any] = {"person": person, "limit": limit}
        if query is not None:
            where += " AND q.seq IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :q)"
            params["q"] = fts5_query(query)
        rows = self._read().execute(
            "SELECT q.article_id, a.title, o.name AS outlet, a.published, q.text, q.kind,"
            " q.speaker_name, q.speaker_key FROM quotes q JOIN articles a ON a.id = q.article_id"
            f" LEFT JOIN outlets o ON o.id = a.outlet_id WHERE {where}"
            " ORDER BY a.published DESC, q.article_id, q.idx LIMIT :limit",
            params,
        )
        return [
            QuoteHit(
                article_id=row["article_id"],
                title=row["title"],
                outlet=row["outlet"],
                published=to_date(row["published"]),
                text=row["text"],
                kind=row["kind"],
                speaker_name=row["speaker_name"],
                speaker_key=row["speaker_key"],
            )
            for row in rows
        ]

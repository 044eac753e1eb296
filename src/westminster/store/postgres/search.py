"""Search in PostgreSQL: tsvector columns with GIN indexes, ranked by ts_rank."""

from __future__ import annotations

from datetime import date
from typing import Any

from westminster.store.base import DEFAULT_LIMIT, QuoteHit, SearchHit
from westminster.store.fts import SNIPPET_END, SNIPPET_START, SNIPPET_WORDS, query_terms
from westminster.store.postgres.connection import PostgresConnection

# ts_rank normalisation 1 divides by 1 + log(document length), so long articles do not win on
# length alone (bm25 does the same on SQLite).
RANK_NORMALISATION = 1

# Matches ranked by ts_rank at most: a query matching more ranks its SEARCH_CANDIDATES most
# recently stored matches (after filters). ts_rank detoasts each ranked article's tsvector, about
# 5 µs a match: "Blair" matches 39,000 of the 100,000 articles of benchmarks/search_latency.py
# and took 180-300 ms to rank in full; choosing the newest 1,000 from the GIN bitmap costs
# ~27 ms there and ranking them ~8 ms (2,000: ~37 ms in all, 5,000: ~50 ms).
SEARCH_CANDIDATES = 1_000


def _tsquery(
    terms: list[str], prefix: str, function: str = "phraseto_tsquery"
) -> tuple[str, dict[str, str]]:
    """An SQL tsquery expression ANDing one phraseto_tsquery per term, with its parameters.

    With function="plainto_tsquery" each term's words are ANDed without their order.
    """
    params = {f"{prefix}{i}": term for i, term in enumerate(terms)}
    sql = " && ".join(f"{function}('english', %({name})s)" for name in params)
    return sql, params


class PostgresSearch(PostgresConnection):
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
        """tsvector search over title (A), quotes (B), text (C): ts_rank of the newest matches."""
        terms = query_terms(query)
        tsquery, params = _tsquery(terms, "t")
        params_all: dict[str, Any] = {**params, "limit": limit}
        # {match} is filled last: q.w (all the words) for the capped pass, q.q for the full one.
        where = ["a.search @@ q.{match}"]
        if outlet is not None:
            where.append("lower(o.name) = lower(%(outlet)s)")
            params_all["outlet"] = outlet
        if since is not None:
            where.append("a.published >= %(since)s")
            params_all["since"] = since
        if until is not None:
            where.append("a.published <= %(until)s")
            params_all["until"] = until
        if person is not None:
            where.append(
                "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id"
                " AND (e.key = %(person)s OR lower(e.name) = lower(%(person)s)))"
            )
            params_all["person"] = person
        if topic is not None:
            where.append(
                "EXISTS (SELECT 1 FROM topics t WHERE t.article_id = a.id"
                " AND lower(t.name) = lower(%(topic)s))"
            )
            params_all["topic"] = topic
        # Snippets (ts_headline) are costly, so they are made only for the page of hits.
        options = (
            f'StartSel="{SNIPPET_START}", StopSel="{SNIPPET_END}",'
            f" MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}"
        )
        # Candidates are the newest matches of all the words (q.w); phrases (q.q) are checked on
        # those only, since checking word positions detoasts every match's tsvector (200 ms for
        # "prime minister"). A scan of the whole table would detoast every tsvector too, so
        # enable_seqscan is off for this query: the GIN index always chooses the matches.
        words, _ = _tsquery(terms, "t", "plainto_tsquery")
        sql = (
            f"WITH q AS (SELECT {tsquery} AS q, {words} AS w), cand AS MATERIALIZED ("
            f" SELECT a.id, a.search, a.first_seen FROM articles a CROSS JOIN q"
            f" LEFT JOIN outlets o ON o.id = a.outlet_id"
            f" WHERE {' AND '.join(where)} ORDER BY a.first_seen DESC, a.id"
            f" LIMIT %(candidates)s), hits AS ("
            f" SELECT cand.id, cand.first_seen, ts_rank(cand.search, q.q, {RANK_NORMALISATION})"
            f" AS score FROM cand CROSS JOIN q WHERE cand.search @@ q.q"
            f" ORDER BY score DESC, cand.first_seen DESC, cand.id LIMIT %(limit)s)"
            f" SELECT a.id, a.title, o.name AS outlet, a.published, hits.score,"
            f" ts_headline('english', a.text, q.q, '{options}') AS snippet,"
            f" (SELECT count(*) FROM cand) AS candidates"
            f" FROM hits JOIN articles a ON a.id = hits.id CROSS JOIN q"
            f" LEFT JOIN outlets o ON o.id = a.outlet_id"
            f" ORDER BY hits.score DESC, hits.first_seen DESC, hits.id"
        )
        params_all["candidates"] = SEARCH_CANDIDATES
        with self._lock, self._conn.transaction():
            self._conn.execute("SET LOCAL enable_seqscan = off")
            rows = self._conn.execute(sql.format(match="w"), params_all).fetchall()
            short = len(rows) < limit and (not rows or rows[0]["candidates"] == SEARCH_CANDIDATES)
            if short and any(" " in term for term in terms):
                # Few hits for a phrase among a full set of candidates: older articles may hold
                # more, so rank every match of the phrase (slower, but complete).
                params_all["candidates"] = None  # LIMIT NULL: no limit
                rows = self._conn.execute(sql.format(match="q"), params_all).fetchall()
        return [
            SearchHit(
                id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                snippet=row["snippet"],
                rank=float(row["score"]),
            )
            for row in rows
        ]

    def quotes_by(
        self, person: str, query: str | None = None, *, limit: int = 100
    ) -> list[QuoteHit]:
        """Quotes whose speaker has this entity key or name, newest first, optionally by words."""
        where = "(q.speaker_key = %(person)s OR lower(q.speaker_name) = lower(%(person)s))"
        params: dict[str, Any] = {"person": person, "limit": limit}
        if query is not None:
            tsquery, terms = _tsquery(query_terms(query), "t")
            where += f" AND q.search @@ ({tsquery})"
            params.update(terms)
        with self._lock:
            rows = self._conn.execute(
                "SELECT q.article_id, a.title, o.name AS outlet, a.published, q.text, q.kind,"
                " q.speaker_name, q.speaker_key FROM quotes q"
                " JOIN articles a ON a.id = q.article_id"
                f" LEFT JOIN outlets o ON o.id = a.outlet_id WHERE {where}"
                " ORDER BY a.published DESC NULLS LAST, q.article_id, q.idx LIMIT %(limit)s",
                params,
            ).fetchall()
        return [QuoteHit(**row) for row in rows]

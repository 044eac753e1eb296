"""The PostgreSQL store (psycopg 3): tsvector columns with GIN indexes for full-text search.

The only module that imports psycopg. One connection, used by one thread at a time under a
lock; every write is one transaction, and concurrent writers from other processes meet at row
locks (`SELECT ... FOR UPDATE`) and `ON CONFLICT`, so the same page stored twice at once still
gives one article.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from westminster.models import Analysis, Article, Rejection
from westminster.store.base import (
    DEFAULT_LIMIT,
    MAX_LINK_DEPTH,
    ArticleVersion,
    LinkKind,
    PutResult,
    QuoteHit,
    RunRecord,
    SearchHit,
    StoredArticle,
    StoredRejection,
    StoreError,
    check_counts,
    check_link,
    utc_now,
)
from westminster.store.codec import (
    analysis_doc,
    analysis_from_doc,
    article_from_row,
    entity_rows,
    quote_rows,
    quotes_text,
)
from westminster.store.fts import SNIPPET_END, SNIPPET_START, SNIPPET_WORDS, query_terms
from westminster.store.identity import article_id, content_sha256
from westminster.store.migrations import SCHEMA_MIGRATIONS_DDL, load_migrations, pending

# Key of the advisory lock that serialises `migrate` across processes ("wm" + schema in hex).
MIGRATION_LOCK_KEY = 0x776D_5343_4845_4D41

# ts_rank normalisation 1 divides by 1 + log(document length), so long articles do not win on
# length alone (bm25 does the same on SQLite).
RANK_NORMALISATION = 1

# Matches ranked by ts_rank at most: a query matching more ranks its SEARCH_CANDIDATES most
# recently stored matches (after filters). ts_rank detoasts each ranked article's tsvector, about
# 5 µs a match: "Blair" matches 39,000 of the 100,000 articles of benchmarks/search_latency.py
# and took 180-300 ms to rank in full; choosing the newest 1,000 from the GIN bitmap costs
# ~27 ms there and ranking them ~8 ms (2,000: ~37 ms in all, 5,000: ~50 ms).
SEARCH_CANDIDATES = 1_000

# Rows fetched per page when streaming an outlet's articles (keyset pages, no lock held between).
STREAM_BATCH = 200

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def redact(url: str) -> str:
    """The URL with any password hidden, for error messages."""
    return _PASSWORD.sub(r"\1***@", url)


def _tsquery(
    terms: list[str], prefix: str, function: str = "phraseto_tsquery"
) -> tuple[str, dict[str, str]]:
    """An SQL tsquery expression ANDing one phraseto_tsquery per term, with its parameters.

    With function="plainto_tsquery" each term's words are ANDed without their order.
    """
    params = {f"{prefix}{i}": term for i, term in enumerate(terms)}
    sql = " && ".join(f"{function}('english', %({name})s)" for name in params)
    return sql, params


# The latest version of articles with their outlet and analysis document, for StoredArticle.
_ARTICLE_SELECT = (
    "SELECT a.*, o.name AS outlet, n.doc AS doc FROM articles a"
    " LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN analyses n ON n.article_id = a.id"
)


def _stored(row: dict[str, Any]) -> StoredArticle:
    """A StoredArticle from an `_ARTICLE_SELECT` row."""
    article = article_from_row(
        title=row["title"],
        text=row["text"],
        published=row["published"],
        outlet=row["outlet"],
        author=row["author"],
        path=row["path"],
        url=row["url"],
        removed=row["removed"],
        published_source=row["published_source"],
    )
    return StoredArticle(
        id=row["id"],
        article=article,
        version=row["version"],
        text_sha256=row["text_sha256"],
        raw_sha256=row["raw_sha256"],
        fetched_at=row["fetched_at"],
        first_seen=row["first_seen"],
        updated_at=row["updated_at"],
        duplicate_of=row["duplicate_of"],
        rewrite_of=row["rewrite_of"],
        analysis=None if row["doc"] is None else analysis_from_doc(row["doc"], article),
    )


class PostgresStore:
    """A store in a PostgreSQL database given by a postgresql:// URL."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        """Connect and apply pending migrations."""
        self.url = url
        self._lock = threading.Lock()
        try:
            self._conn: psycopg.Connection[dict[str, Any]] = psycopg.connect(
                url, autocommit=True, row_factory=dict_row
            )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL: {str(exc).strip()}", subject=redact(url)
            ) from None
        if migrate:
            self.migrate()

    # -- schema ------------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply pending migrations in order under an advisory lock, each recorded."""
        done = []
        with self._lock, self._conn.transaction():
            conn = self._conn
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            conn.execute(SCHEMA_MIGRATIONS_DDL)
            applied = {r["version"] for r in conn.execute("SELECT version FROM schema_migrations")}
            for migration in pending(load_migrations("postgres"), applied):
                conn.execute(migration.sql)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, utc_now().isoformat()),
                )
                done.append(migration.version)
        return done

    def applied_migrations(self) -> list[int]:
        """Versions recorded in schema_migrations, in order."""
        with self._lock:
            rows = self._conn.execute("SELECT version FROM schema_migrations ORDER BY version")
            return [r["version"] for r in rows]

    # -- articles ----------------------------------------------------------------------------

    def _outlet_id(self, outlet: str | None) -> int | None:
        if not outlet:
            return None
        self._conn.execute(
            "INSERT INTO outlets (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (outlet,)
        )
        row = self._conn.execute("SELECT id FROM outlets WHERE name = %s", (outlet,)).fetchone()
        assert row is not None  # inserted above or already there
        return int(row["id"])

    def _locked_row(self, aid: str) -> dict[str, Any] | None:
        return self._conn.execute(
            "SELECT text_sha256, version FROM articles WHERE id = %s FOR UPDATE", (aid,)
        ).fetchone()

    def put_article(
        self,
        article: Article,
        *,
        raw_sha256: str | None = None,
        fetched_at: datetime | None = None,
    ) -> PutResult:
        """Store an article, or a new version when its title or text changed."""
        aid, sha, now = article_id(article), content_sha256(article), utc_now()
        values: dict[str, Any] = {
            "id": aid,
            "url": article.url,
            "path": article.path,
            "title": article.title,
            "text": article.text,
            "published": article.published,
            "published_source": article.published_source,
            "author": article.author,
            "removed": Jsonb([{"text": r.text, "reason": r.reason} for r in article.removed]),
            "text_sha256": sha,
            "raw_sha256": raw_sha256,
            "fetched_at": fetched_at,
            "now": now,
        }
        with self._lock, self._conn.transaction():
            conn = self._conn
            row = self._locked_row(aid)
            if row is None:
                values.update(outlet_id=self._outlet_id(article.outlet), version=1)
                inserted = conn.execute(
                    "INSERT INTO articles (id, url, path, outlet_id, title, text, published,"
                    " published_source, author, removed, text_sha256, raw_sha256, fetched_at,"
                    " version, first_seen, updated_at) VALUES (%(id)s, %(url)s, %(path)s,"
                    " %(outlet_id)s, %(title)s, %(text)s, %(published)s, %(published_source)s,"
                    " %(author)s, %(removed)s, %(text_sha256)s, %(raw_sha256)s, %(fetched_at)s,"
                    " %(version)s, %(now)s, %(now)s) ON CONFLICT (id) DO NOTHING",
                    values,
                ).rowcount
                if not inserted:  # another process stored it since the SELECT
                    row = self._locked_row(aid)
            if row is not None:
                if row["text_sha256"] == sha:
                    return PutResult(aid, "unchanged", row["version"])
                values.update(outlet_id=self._outlet_id(article.outlet), version=row["version"] + 1)
                # The old analysis describes the old text (its offsets point into it): drop it.
                self._delete_analysis(aid)
                conn.execute(
                    "UPDATE articles SET url = %(url)s, path = %(path)s,"
                    " outlet_id = %(outlet_id)s, title = %(title)s, text = %(text)s,"
                    " published = %(published)s, published_source = %(published_source)s,"
                    " author = %(author)s, removed = %(removed)s, text_sha256 = %(text_sha256)s,"
                    " raw_sha256 = %(raw_sha256)s, fetched_at = %(fetched_at)s,"
                    " version = %(version)s, quotes_text = '', updated_at = %(now)s"
                    " WHERE id = %(id)s",
                    values,
                )
            conn.execute(
                "INSERT INTO article_versions (article_id, version, title, text, text_sha256,"
                " raw_sha256, fetched_at, stored_at) VALUES (%(id)s, %(version)s, %(title)s,"
                " %(text)s, %(text_sha256)s, %(raw_sha256)s, %(fetched_at)s, %(now)s)",
                values,
            )
        return PutResult(aid, "new" if row is None else "updated", values["version"])

    def get_article(self, article_id: str) -> StoredArticle:
        """The stored article with its latest version, links and analysis."""
        with self._lock:
            row = self._conn.execute(f"{_ARTICLE_SELECT} WHERE a.id = %s", (article_id,)).fetchone()
        if row is None:
            raise StoreError("no such article in the store", subject=article_id)
        return _stored(row)

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every stored article with its links and analysis, in the order first stored."""
        # Keyset pages on (first_seen, id), so no cursor or lock is held between pages.
        last: tuple[datetime, str] | None = None
        while True:
            where = ""
            params: dict[str, Any] = {"limit": STREAM_BATCH}
            if last is not None:
                where = " WHERE (a.first_seen, a.id) > (%(seen)s, %(id)s)"
                params.update(seen=last[0], id=last[1])
            with self._lock:
                rows = self._conn.execute(
                    f"{_ARTICLE_SELECT}{where} ORDER BY a.first_seen, a.id LIMIT %(limit)s",
                    params,
                ).fetchall()
            if not rows:
                return
            yield from (_stored(row) for row in rows)
            last = (rows[-1]["first_seen"], rows[-1]["id"])

    def mark_records(self, source: str, records: Iterable[tuple[str, str]]) -> None:
        """Remember (record id, article id) pairs of an archive as stored (again is a no-op)."""
        now = utc_now()
        rows = [(source, record_id, aid, now) for record_id, aid in records]
        if not rows:
            return
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO source_records (source, record_id, article_id, stored_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )

    def stored_records(self, source: str) -> set[str]:
        """The record ids of an archive marked as stored."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT record_id FROM source_records WHERE source = %s", (source,)
            ).fetchall()
        return {row["record_id"] for row in rows}

    def article_versions(self, article_id: str) -> list[ArticleVersion]:
        """Every stored version of an article, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT version, title, text, text_sha256, raw_sha256, fetched_at, stored_at"
                " FROM article_versions WHERE article_id = %s ORDER BY version",
                (article_id,),
            ).fetchall()
        if not rows:
            raise StoreError("no such article in the store", subject=article_id)
        return [ArticleVersion(**row) for row in rows]

    def link_duplicate(self, article_id: str, original_id: str, kind: LinkKind) -> None:
        """Mark an article as a duplicate or rewrite of an original; refuses loops."""
        column = check_link(article_id, original_id, kind)
        with self._lock, self._conn.transaction():
            conn = self._conn
            for aid in (article_id, original_id):
                if self._locked_row(aid) is None:
                    raise StoreError("no such article in the store", subject=aid)
            # Walk up from the original: reaching the article itself would make a loop.
            current: str | None = original_id
            for _ in range(MAX_LINK_DEPTH):
                row = conn.execute(
                    "SELECT coalesce(duplicate_of, rewrite_of) AS up FROM articles WHERE id = %s",
                    (current,),
                ).fetchone()
                current = None if row is None else row["up"]
                if current is None:
                    break
                if current == article_id:
                    raise StoreError(
                        f"linking to {original_id} would make a loop of copies", subject=article_id
                    )
            conn.execute(
                f"UPDATE articles SET {column} = %s WHERE id = %s", (original_id, article_id)
            )

    def iter_outlet_lines(self, outlet: str) -> Iterator[tuple[str, list[str]]]:
        """Each of an outlet's articles (name case-insensitive) with its non-empty lines."""
        last = ""
        while True:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT a.id, a.text FROM articles a JOIN outlets o ON o.id = a.outlet_id"
                    " WHERE lower(o.name) = lower(%s) AND a.id > %s ORDER BY a.id LIMIT %s",
                    (outlet, last, STREAM_BATCH),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row["id"], [line for line in row["text"].split("\n") if line.strip()]
            last = rows[-1]["id"]

    # -- analyses ----------------------------------------------------------------------------

    def _delete_analysis(self, aid: str) -> None:
        for table in ("analyses", "entities", "quotes", "topics"):
            self._conn.execute(f"DELETE FROM {table} WHERE article_id = %s", (aid,))

    def put_analysis(self, article_id: str, analysis: Analysis) -> None:
        """Store (or replace) the analysis of the article's latest version."""
        doc = Jsonb(analysis_doc(analysis))
        with self._lock, self._conn.transaction():
            conn = self._conn
            row = conn.execute(
                "SELECT a.version, a.text_sha256, n.doc = %s AS same FROM articles a"
                " LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id = %s FOR UPDATE OF a",
                (doc, article_id),
            ).fetchone()
            if row is None:
                raise StoreError("no such article in the store", subject=article_id)
            if row["text_sha256"] != content_sha256(analysis.article):
                raise StoreError(
                    "the analysis is of a different text than the article's latest version",
                    subject=article_id,
                    fix="analyse the stored article again",
                )
            if row["same"]:
                return  # the same analysis again: nothing changes
            self._delete_analysis(article_id)
            conn.execute(
                "INSERT INTO analyses (article_id, version, summary, doc, analysed_at)"
                " VALUES (%s, %s, %s, %s, %s)",
                (article_id, row["version"], analysis.summary, doc, utc_now()),
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO entities (article_id, entity_id, key, name, kind, mentions)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [
                        (article_id, e.entity_id, e.key, e.name, e.kind, e.mentions)
                        for e in entity_rows(analysis)
                    ],
                )
                cur.executemany(
                    'INSERT INTO quotes (article_id, idx, start, "end", text, kind, speaker_name,'
                    " speaker_key, normalised, fingerprint)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            article_id,
                            q.idx,
                            q.start,
                            q.end,
                            q.text,
                            q.kind,
                            q.speaker_name,
                            q.speaker_key,
                            q.normalised,
                            q.fingerprint,
                        )
                        for q in quote_rows(analysis)
                    ],
                )
                cur.executemany(
                    "INSERT INTO topics (article_id, name, score) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    [(article_id, t.name, t.score) for t in analysis.topics],
                )
            text = quotes_text(analysis)
            conn.execute(
                "UPDATE articles SET quotes_text = %s WHERE id = %s AND quotes_text <> %s",
                (text, article_id, text),
            )

    # -- search ------------------------------------------------------------------------------

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

    # -- runs and rejections -----------------------------------------------------------------

    def start_run(self, kind: str) -> int:
        """Record the start of a run and return its id."""
        with self._lock:
            row = self._conn.execute(
                "INSERT INTO runs (kind, started_at) VALUES (%s, %s) RETURNING id",
                (kind, utc_now()),
            ).fetchone()
        assert row is not None  # RETURNING gives one row
        return int(row["id"])

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record the end of a run with its counts."""
        payload = Jsonb(check_counts(counts))
        with self._lock:
            updated = self._conn.execute(
                "UPDATE runs SET finished_at = %s, counts = %s WHERE id = %s",
                (utc_now(), payload, run_id),
            ).rowcount
        if not updated:
            raise StoreError("no such run in the store", subject=f"run {run_id}")

    def get_run(self, run_id: int) -> RunRecord:
        """One recorded run."""
        with self._lock:
            row = self._conn.execute("SELECT * FROM runs WHERE id = %s", (run_id,)).fetchone()
        if row is None:
            raise StoreError("no such run in the store", subject=f"run {run_id}")
        return RunRecord(**row)

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        """Record a rejected input; the same rejection twice in one run is kept once."""
        with self._lock, self._conn.transaction():
            if self._conn.execute("SELECT 1 FROM runs WHERE id = %s", (run_id,)).fetchone() is None:
                raise StoreError("no such run in the store", subject=f"run {run_id}")
            self._conn.execute(
                "INSERT INTO rejections (run_id, stage, code, detail, input, recorded_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    run_id,
                    rejection.stage,
                    rejection.code,
                    rejection.detail,
                    rejection.input,
                    utc_now(),
                ),
            )

    def rejections(self, run_id: int | None = None) -> list[StoredRejection]:
        """Recorded rejections, oldest first, for one run or all."""
        sql = "SELECT run_id, stage, code, detail, input, recorded_at FROM rejections"
        params: tuple[int, ...] = ()
        if run_id is not None:
            sql, params = sql + " WHERE run_id = %s", (run_id,)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            StoredRejection(
                run_id=row["run_id"],
                rejection=Rejection(
                    stage=row["stage"], code=row["code"], detail=row["detail"], input=row["input"]
                ),
                recorded_at=row["recorded_at"],
            )
            for row in rows
        ]

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

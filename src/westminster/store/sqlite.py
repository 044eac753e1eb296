"""The SQLite store: WAL, one writer under `BEGIN IMMEDIATE`, readers apart, FTS5 search.

datasette's habit: every write goes through one connection guarded by a lock and opens its
transaction with `BEGIN IMMEDIATE`, so concurrent writers (threads here, processes through
SQLite's own lock) queue instead of failing half-way; each reading thread has its own
read-only connection, which WAL lets run while a write is in progress.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

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
    dumps,
    entity_rows,
    quote_rows,
    quotes_text,
    removed_to_json,
)
from westminster.store.fts import SNIPPET_END, SNIPPET_START, SNIPPET_WORDS, fts5_query
from westminster.store.identity import article_id, content_sha256
from westminster.store.migrations import (
    SCHEMA_MIGRATIONS_DDL,
    load_migrations,
    pending,
    sqlite_statements,
)

# How long a writer waits for another process's write lock before giving up (seconds). Long
# enough for a large batch from a parallel ingest to commit; short enough to report a stuck one.
BUSY_TIMEOUT_S = 30.0

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

# Rows fetched at a time when streaming an outlet's articles.
STREAM_BATCH = 200


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


# The latest version of articles with their outlet and analysis document, for StoredArticle.
_ARTICLE_SELECT = (
    "SELECT a.*, o.name AS outlet, n.doc AS doc FROM articles a"
    " LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN analyses n ON n.article_id = a.id"
)


def _stored(row: sqlite3.Row) -> StoredArticle:
    """A StoredArticle from an `_ARTICLE_SELECT` row."""
    article = article_from_row(
        title=row["title"],
        text=row["text"],
        published=_date(row["published"]),
        outlet=row["outlet"],
        author=row["author"],
        path=row["path"],
        url=row["url"],
        removed=row["removed"],
        published_source=row["published_source"],
    )
    first_seen, updated_at = _dt(row["first_seen"]), _dt(row["updated_at"])
    assert first_seen is not None and updated_at is not None  # NOT NULL columns
    doc = row["doc"]
    return StoredArticle(
        id=row["id"],
        article=article,
        version=row["version"],
        text_sha256=row["text_sha256"],
        raw_sha256=row["raw_sha256"],
        fetched_at=_dt(row["fetched_at"]),
        first_seen=first_seen,
        updated_at=updated_at,
        duplicate_of=row["duplicate_of"],
        rewrite_of=row["rewrite_of"],
        analysis=None if doc is None else analysis_from_doc(json.loads(doc), article),
    )


class SQLiteStore:
    """A store in one SQLite file (WAL mode); safe to share between threads."""

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        """Open (creating if needed) the database file and apply pending migrations."""
        self.path = Path(path)
        if str(path) == ":memory:" or not str(path):
            raise StoreError(
                "the SQLite store needs a file (readers and the writer share it)",
                subject=str(path) or "''",
                fix="give a file path",
            )
        if not self.path.parent.is_dir():
            raise StoreError("the folder for the database does not exist", subject=str(path))
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._writer = self._connect(read_only=False)
        if migrate:
            self.migrate()

    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        try:
            # isolation_level=None: autocommit; transactions are opened explicitly below.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only:
                conn.execute("PRAGMA query_only = ON")
            else:
                conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL is durable across application crashes in WAL mode (only a power loss
                # can lose the last commits), and much faster than FULL.
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open the SQLite database: {exc}", subject=str(self.path)
            ) from None
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the single writer connection."""
        with self._lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _read(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(read_only=True)
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        return conn

    # -- schema ------------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each recorded in schema_migrations."""
        with self._write() as conn:
            conn.execute(SCHEMA_MIGRATIONS_DDL)
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            done = []
            for migration in pending(load_migrations("sqlite"), applied):
                for statement in sqlite_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now().isoformat()),
                )
                done.append(migration.version)
        return done

    def applied_migrations(self) -> list[int]:
        """Versions recorded in schema_migrations, in order."""
        rows = self._read().execute("SELECT version FROM schema_migrations ORDER BY version")
        return [row[0] for row in rows]

    # -- articles ----------------------------------------------------------------------------

    @staticmethod
    def _outlet_id(conn: sqlite3.Connection, outlet: str | None) -> int | None:
        if not outlet:
            return None
        conn.execute("INSERT OR IGNORE INTO outlets (name) VALUES (?)", (outlet,))
        row = conn.execute("SELECT id FROM outlets WHERE name = ?", (outlet,)).fetchone()
        return int(row[0])

    def put_article(
        self,
        article: Article,
        *,
        raw_sha256: str | None = None,
        fetched_at: datetime | None = None,
    ) -> PutResult:
        """Store an article, or a new version when its title or text changed."""
        aid, sha, now = article_id(article), content_sha256(article), utc_now().isoformat()
        with self._write() as conn:
            row = conn.execute(
                "SELECT text_sha256, version FROM articles WHERE id = ?", (aid,)
            ).fetchone()
            if row is not None and row["text_sha256"] == sha:
                return PutResult(aid, "unchanged", row["version"])
            version = 1 if row is None else row["version"] + 1
            values = {
                "id": aid,
                "url": article.url,
                "path": article.path,
                "outlet_id": self._outlet_id(conn, article.outlet),
                "title": article.title,
                "text": article.text,
                "published": article.published.isoformat() if article.published else None,
                "published_source": article.published_source,
                "author": article.author,
                "removed": removed_to_json(article.removed),
                "text_sha256": sha,
                "raw_sha256": raw_sha256,
                "fetched_at": _iso(fetched_at),
                "version": version,
                "now": now,
            }
            if row is None:
                conn.execute(
                    "INSERT INTO articles (id, url, path, outlet_id, title, text, published,"
                    " published_source, author, removed, text_sha256, raw_sha256, fetched_at,"
                    " version, first_seen, updated_at) VALUES (:id, :url, :path, :outlet_id,"
                    " :title, :text, :published, :published_source, :author, :removed,"
                    " :text_sha256, :raw_sha256, :fetched_at, :version, :now, :now)",
                    values,
                )
            else:
                # The old analysis describes the old text (its offsets point into it): drop it,
                # so the article is analysed again rather than shown with stale findings.
                self._delete_analysis(conn, aid)
                conn.execute(
                    "UPDATE articles SET url = :url, path = :path, outlet_id = :outlet_id,"
                    " title = :title, text = :text, published = :published,"
                    " published_source = :published_source, author = :author,"
                    " removed = :removed, text_sha256 = :text_sha256, raw_sha256 = :raw_sha256,"
                    " fetched_at = :fetched_at, version = :version, quotes_text = '',"
                    " updated_at = :now WHERE id = :id",
                    values,
                )
            conn.execute(
                "INSERT INTO article_versions (article_id, version, title, text, text_sha256,"
                " raw_sha256, fetched_at, stored_at) VALUES (:id, :version, :title, :text,"
                " :text_sha256, :raw_sha256, :fetched_at, :now)",
                values,
            )
        return PutResult(aid, "new" if row is None else "updated", version)

    def get_article(self, article_id: str) -> StoredArticle:
        """The stored article with its latest version, links and analysis."""
        row = self._read().execute(f"{_ARTICLE_SELECT} WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            raise StoreError("no such article in the store", subject=article_id)
        return _stored(row)

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every stored article with its links and analysis, in the order first stored."""
        cursor = self._read().execute(f"{_ARTICLE_SELECT} ORDER BY a.seq")
        while rows := cursor.fetchmany(STREAM_BATCH):
            yield from (_stored(row) for row in rows)

    def mark_records(self, source: str, records: Iterable[tuple[str, str]]) -> None:
        """Remember (record id, article id) pairs of an archive as stored (again is a no-op)."""
        now = utc_now().isoformat()
        rows = [(source, record_id, aid, now) for record_id, aid in records]
        if not rows:
            return
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO source_records (source, record_id, article_id, stored_at)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )

    def stored_records(self, source: str) -> set[str]:
        """The record ids of an archive marked as stored."""
        rows = self._read().execute(
            "SELECT record_id FROM source_records WHERE source = ?", (source,)
        )
        return {row[0] for row in rows}

    def article_versions(self, article_id: str) -> list[ArticleVersion]:
        """Every stored version of an article, oldest first."""
        rows = self._read().execute(
            "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version", (article_id,)
        )
        out = []
        for row in rows:
            stored_at = _dt(row["stored_at"])
            assert stored_at is not None  # NOT NULL column
            out.append(
                ArticleVersion(
                    version=row["version"],
                    title=row["title"],
                    text=row["text"],
                    text_sha256=row["text_sha256"],
                    raw_sha256=row["raw_sha256"],
                    fetched_at=_dt(row["fetched_at"]),
                    stored_at=stored_at,
                )
            )
        if not out:
            raise StoreError("no such article in the store", subject=article_id)
        return out

    def link_duplicate(self, article_id: str, original_id: str, kind: LinkKind) -> None:
        """Mark an article as a duplicate or rewrite of an original; refuses loops."""
        column = check_link(article_id, original_id, kind)
        with self._write() as conn:
            for aid in (article_id, original_id):
                if conn.execute("SELECT 1 FROM articles WHERE id = ?", (aid,)).fetchone() is None:
                    raise StoreError("no such article in the store", subject=aid)
            # Walk up from the original: reaching the article itself would make a loop.
            current: str | None = original_id
            for _ in range(MAX_LINK_DEPTH):
                row = conn.execute(
                    "SELECT coalesce(duplicate_of, rewrite_of) FROM articles WHERE id = ?",
                    (current,),
                ).fetchone()
                current = None if row is None else row[0]
                if current is None:
                    break
                if current == article_id:
                    raise StoreError(
                        f"linking to {original_id} would make a loop of copies", subject=article_id
                    )
            conn.execute(
                f"UPDATE articles SET {column} = ? WHERE id = ?", (original_id, article_id)
            )

    def iter_outlet_lines(self, outlet: str) -> Iterator[tuple[str, list[str]]]:
        """Each of an outlet's articles (name case-insensitive) with its non-empty lines."""
        cursor = self._read().execute(
            "SELECT a.id, a.text FROM articles a JOIN outlets o ON o.id = a.outlet_id"
            " WHERE o.name = ? COLLATE NOCASE ORDER BY a.seq",
            (outlet,),
        )
        while rows := cursor.fetchmany(STREAM_BATCH):
            for row in rows:
                yield row[0], [line for line in row[1].split("\n") if line.strip()]

    # -- analyses ----------------------------------------------------------------------------

    @staticmethod
    def _delete_analysis(conn: sqlite3.Connection, aid: str) -> None:
        for table in ("analyses", "entities", "quotes", "topics"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))

    def put_analysis(self, article_id: str, analysis: Analysis) -> None:
        """Store (or replace) the analysis of the article's latest version."""
        doc = dumps(analysis_doc(analysis))
        with self._write() as conn:
            row = conn.execute(
                "SELECT a.version, a.text_sha256, n.doc FROM articles a"
                " LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                raise StoreError("no such article in the store", subject=article_id)
            if row["text_sha256"] != content_sha256(analysis.article):
                raise StoreError(
                    "the analysis is of a different text than the article's latest version",
                    subject=article_id,
                    fix="analyse the stored article again",
                )
            if row["doc"] == doc:
                return  # the same analysis again: nothing changes
            self._delete_analysis(conn, article_id)
            conn.execute(
                "INSERT INTO analyses (article_id, version, summary, doc, analysed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (article_id, row["version"], analysis.summary, doc, utc_now().isoformat()),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO entities (article_id, entity_id, key, name, kind,"
                " mentions) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (article_id, e.entity_id, e.key, e.name, e.kind, e.mentions)
                    for e in entity_rows(analysis)
                ],
            )
            conn.executemany(
                'INSERT INTO quotes (article_id, idx, start, "end", text, kind, speaker_name,'
                " speaker_key, normalised, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            conn.executemany(
                "INSERT OR REPLACE INTO topics (article_id, name, score) VALUES (?, ?, ?)",
                [(article_id, t.name, t.score) for t in analysis.topics],
            )
            conn.execute(
                "UPDATE articles SET quotes_text = ? WHERE id = ? AND quotes_text != ?",
                (quotes_text(analysis), article_id, quotes_text(analysis)),
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
                published=_date(row["published"]),
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
                published=_date(row["published"]),
                text=row["text"],
                kind=row["kind"],
                speaker_name=row["speaker_name"],
                speaker_key=row["speaker_key"],
            )
            for row in rows
        ]

    # -- runs and rejections -----------------------------------------------------------------

    def start_run(self, kind: str) -> int:
        """Record the start of a run and return its id."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, utc_now().isoformat())
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record the end of a run with its counts."""
        payload = dumps(check_counts(counts))
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
                (utc_now().isoformat(), payload, run_id),
            )
            if cursor.rowcount == 0:
                raise StoreError("no such run in the store", subject=f"run {run_id}")

    def get_run(self, run_id: int) -> RunRecord:
        """One recorded run."""
        row = self._read().execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError("no such run in the store", subject=f"run {run_id}")
        started_at = _dt(row["started_at"])
        assert started_at is not None  # NOT NULL column
        return RunRecord(
            id=row["id"],
            kind=row["kind"],
            started_at=started_at,
            finished_at=_dt(row["finished_at"]),
            counts=json.loads(row["counts"]),
        )

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        """Record a rejected input; the same rejection twice in one run is kept once."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise StoreError("no such run in the store", subject=f"run {run_id}")
            conn.execute(
                "INSERT OR IGNORE INTO rejections (run_id, stage, code, detail, input,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    rejection.stage,
                    rejection.code,
                    rejection.detail,
                    rejection.input,
                    utc_now().isoformat(),
                ),
            )

    def rejections(self, run_id: int | None = None) -> list[StoredRejection]:
        """Recorded rejections, oldest first, for one run or all."""
        sql = "SELECT * FROM rejections"
        params: tuple[int, ...] = ()
        if run_id is not None:
            sql, params = sql + " WHERE run_id = ?", (run_id,)
        out = []
        for row in self._read().execute(sql + " ORDER BY id", params):
            recorded_at = _dt(row["recorded_at"])
            assert recorded_at is not None  # NOT NULL column
            out.append(
                StoredRejection(
                    run_id=row["run_id"],
                    rejection=Rejection(
                        stage=row["stage"],
                        code=row["code"],
                        detail=row["detail"],
                        input=row["input"],
                    ),
                    recorded_at=recorded_at,
                )
            )
        return out

    def close(self) -> None:
        """Close the writer and every reader connection."""
        with self._lock:
            for conn in [*self._readers, self._writer]:
                conn.close()
            self._readers.clear()

"""Stories in SQLite: members, merges, the engine's state, and the story read API."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from westminster.models.story import Story, StoryMerge, StoryPerson
from westminster.store.base import StoreError, utc_now
from westminster.store.sqlite.connection import SQLiteConnections, required_datetime, to_date
from westminster.store.story_rows import (
    ENGINE_ROW,
    PEOPLE_KINDS,
    STORY_PEOPLE,
    STORY_TOPICS,
    EngineState,
    StoredMember,
    StoryBatch,
    StoryMember,
    StorySplit,
    assemble_story,
    member_from_row,
    member_params,
    utc,
)

_MEMBER_COLUMNS = (
    "article_id, story_id, score, added_at, seen_at, independent, copy_of, created, reason,"
    " evidence, analysed, new_people, new_figures, new_quotes"
)
_KINDS = ", ".join(f"'{kind}'" for kind in PEOPLE_KINDS)


def _when(value: datetime) -> str:
    """A time as stored: ISO 8601 in UTC, so text order is time order."""
    return utc(value).isoformat()


def _resolve(conn: sqlite3.Connection, story_id: str) -> str | None:
    """The live story a story id leads to, or None when the id is unknown."""
    row = conn.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    return str(row[0] or story_id)


def _member(row: sqlite3.Row) -> StoryMember:
    return member_from_row(
        row, required_datetime(row["added_at"]), required_datetime(row["seen_at"])
    )


class SQLiteStories(SQLiteConnections):
    """Which story each article is in, what it added, merges and the engine's saved state."""

    # -- writing ---------------------------------------------------------------------------

    def put_stories(self, batch: StoryBatch) -> None:
        """Record a batch's story members, merges, copies and engine state in one transaction."""
        now = utc_now().isoformat()
        with self._write() as conn:
            # A story split off in this batch is not resolved through an earlier merge.
            reborn = {split.new_id for split in batch.splits}
            for member in batch.members:
                self._put_member(conn, member, now, reborn)
            for i, merge in enumerate(batch.merges):
                for split in batch.splits:
                    if split.after_merges == i:
                        self._split(conn, split, now)
                self._merge(conn, merge)
            for split in batch.splits:
                if split.after_merges >= len(batch.merges):
                    self._split(conn, split, now)
            conn.executemany(
                "UPDATE story_articles SET independent = 0, copy_of = ? WHERE article_id = ?",
                [(original, aid) for aid, original in batch.copies],
            )
            if batch.engine is not None:
                self._put_engine(conn, batch.engine, now)

    def _put_member(
        self, conn: sqlite3.Connection, member: StoryMember, now: str, reborn: set[str]
    ) -> None:
        found = conn.execute("SELECT 1 FROM articles WHERE id = ?", (member.article_id,))
        if found.fetchone() is None:
            raise StoreError("no such article in the store", subject=member.article_id)
        params = member_params(member)
        params.update(
            added_at=_when(member.added_at), seen_at=_when(member.seen_at), created_at=now
        )
        existing = conn.execute(
            "SELECT analysed FROM story_articles WHERE article_id = ?", (member.article_id,)
        ).fetchone()
        if existing is not None:
            # Already in a story: only additions computed without an analysis are replaced.
            if member.analysed and not existing[0]:
                conn.execute(
                    "UPDATE story_articles SET analysed = 1, new_people = :new_people,"
                    " new_figures = :new_figures, new_quotes = :new_quotes"
                    " WHERE article_id = :article_id",
                    params,
                )
            return
        if member.story_id not in reborn:
            params["story_id"] = _resolve(conn, member.story_id) or member.story_id
        conn.execute(
            "INSERT INTO stories (id, first_seen, last_updated, last_added, created_at)"
            " VALUES (:story_id, :seen_at, :seen_at, :added_at, :created_at)"
            " ON CONFLICT (id) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),"
            " last_updated = max(last_updated, excluded.last_updated),"
            " last_added = max(last_added, excluded.last_added)",
            params,
        )
        conn.execute(
            f"INSERT INTO story_articles ({_MEMBER_COLUMNS}) VALUES (:article_id, :story_id,"
            " :score, :added_at, :seen_at, :independent, :copy_of, :created, :reason,"
            " :evidence, :analysed, :new_people, :new_figures, :new_quotes)",
            params,
        )

    def _merge(self, conn: sqlite3.Connection, merge: StoryMerge) -> None:
        merged = _resolve(conn, merge.merged_id)
        into = _resolve(conn, merge.into_id)
        if merged is None or into is None:
            unknown = merge.merged_id if merged is None else merge.into_id
            raise StoreError("cannot merge: no such story", subject=unknown)
        if merged == into:
            return  # merged before: the same batch again changes nothing
        conn.execute(
            "INSERT INTO story_merges (merged_id, into_id, at, score) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (merged_id) DO NOTHING",
            (merged, into, _when(merge.at), float(merge.score)),
        )
        conn.execute(
            "UPDATE stories SET merged_into = :into WHERE id = :merged OR merged_into = :merged",
            {"into": into, "merged": merged},
        )
        conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (into, merged))
        conn.execute(
            "UPDATE stories SET"
            " first_seen = min(first_seen, (SELECT first_seen FROM stories WHERE id = :m)),"
            " last_updated = max(last_updated, (SELECT last_updated FROM stories WHERE id = :m)),"
            " last_added = max(last_added, (SELECT last_added FROM stories WHERE id = :m))"
            " WHERE id = :into",
            {"m": merged, "into": into},
        )

    def _split(self, conn: sqlite3.Connection, split: StorySplit, now: str) -> None:
        old = _resolve(conn, split.story_id) or split.story_id
        marks = ", ".join("?" * len(split.article_ids))
        moving = f"article_id IN ({marks}) AND story_id != ?"
        params = (*split.article_ids, split.new_id)
        (moved,) = conn.execute(
            f"SELECT count(*) FROM story_articles WHERE {moving}", params
        ).fetchone()
        if not moved:
            return  # split before (the same batch again), or its articles were never stored
        # The new id may be a story merged into this one before: it comes back to life. Its
        # times are set from its members below.
        conn.execute(
            "INSERT INTO stories (id, first_seen, last_updated, last_added, created_at)"
            " VALUES (:new, :now, :now, :now, :now)"
            " ON CONFLICT (id) DO UPDATE SET merged_into = NULL",
            {"new": split.new_id, "now": now},
        )
        conn.execute(
            f"UPDATE story_articles SET story_id = ? WHERE {moving}", (split.new_id, *params)
        )
        for story_id in (split.new_id, old):
            conn.execute(
                "UPDATE stories SET"
                " first_seen = coalesce((SELECT min(seen_at) FROM story_articles"
                " WHERE story_id = :s), first_seen),"
                " last_updated = coalesce((SELECT max(seen_at) FROM story_articles"
                " WHERE story_id = :s), last_updated),"
                " last_added = coalesce((SELECT max(added_at) FROM story_articles"
                " WHERE story_id = :s), last_added)"
                " WHERE id = :s",
                {"s": story_id},
            )
        conn.execute(
            "INSERT INTO story_splits (new_id, from_id, at, moved) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (new_id) DO UPDATE SET from_id = excluded.from_id, at = excluded.at,"
            " moved = excluded.moved",
            (split.new_id, old, _when(split.at), moved),
        )

    def _put_engine(self, conn: sqlite3.Connection, state: EngineState, now: str) -> None:
        if state.replace:
            for table in ("story_engine", "story_engine_stories", "story_engine_features"):
                conn.execute(f"DELETE FROM {table}")
        conn.execute(
            "INSERT INTO story_engine (name, state, stored_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
            " stored_at = excluded.stored_at",
            (ENGINE_ROW, bytes(state.header), now),
        )
        conn.executemany(
            "DELETE FROM story_engine_stories WHERE story_id = ?",
            [(story_id,) for story_id in state.dropped],
        )
        conn.executemany(
            "INSERT INTO story_engine_stories (story_id, state) VALUES (?, ?)"
            " ON CONFLICT (story_id) DO UPDATE SET state = excluded.state",
            [(story_id, bytes(data)) for story_id, data in state.stories.items()],
        )
        conn.executemany(
            "INSERT INTO story_engine_features (feature, docs) VALUES (?, ?)"
            " ON CONFLICT (feature) DO UPDATE SET docs = excluded.docs",
            list(state.frequencies.items()),
        )

    # -- what ingestion reads back -----------------------------------------------------------

    def load_story_engine(self) -> EngineState | None:
        """The story engine's whole saved state, or None when none was saved."""
        conn = self._read()
        row = conn.execute(
            "SELECT state FROM story_engine WHERE name = ?", (ENGINE_ROW,)
        ).fetchone()
        if row is None:
            return None
        stories = {
            r[0]: bytes(r[1])
            for r in conn.execute("SELECT story_id, state FROM story_engine_stories")
        }
        features = dict(conn.execute("SELECT feature, docs FROM story_engine_features"))
        return EngineState(bytes(row[0]), stories, (), features)

    def story_article_ids(self, *, analysed: bool | None = None) -> set[str]:
        """Ids of articles in a story (only those recorded with/without an analysis)."""
        sql = "SELECT article_id FROM story_articles"
        params: tuple[Any, ...] = ()
        if analysed is not None:
            sql += " WHERE analysed = ?"
            params = (int(analysed),)
        return {row[0] for row in self._read().execute(sql, params)}

    def story_members(self, story_id: str) -> list[StoryMember]:
        """A story's members in the order they joined (a merged id gives the survivor's)."""
        conn = self._read()
        live = _resolve(conn, story_id)
        if live is None:
            return []
        rows = conn.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM story_articles WHERE story_id = ? ORDER BY seq",
            (live,),
        )
        return [_member(row) for row in rows]

    # -- the read API ------------------------------------------------------------------------

    def stories(
        self,
        *,
        since: datetime | None = None,
        person: str | None = None,
        topic: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Story]:
        """Stories, most recently updated first; `since`: with a development added after it."""
        where = ["s.merged_into IS NULL"]
        params: dict[str, Any] = {"limit": max(0, limit), "offset": max(0, offset)}
        if since is not None:
            where.append("s.last_added > :since")
            params["since"] = _when(since)
        if person is not None:
            where.append(
                "s.id IN (SELECT m.story_id FROM entities e JOIN story_articles m"
                " ON m.article_id = e.article_id"
                " WHERE e.key = :person OR e.name = :person COLLATE NOCASE)"
            )
            params["person"] = person
        if topic is not None:
            where.append(
                "s.id IN (SELECT m.story_id FROM topics t JOIN story_articles m"
                " ON m.article_id = t.article_id WHERE t.name = :topic COLLATE NOCASE)"
            )
            params["topic"] = topic
        conn = self._read()
        rows = conn.execute(
            f"SELECT s.* FROM stories s WHERE {' AND '.join(where)}"
            " ORDER BY s.last_updated DESC, s.id LIMIT :limit OFFSET :offset",
            params,
        ).fetchall()
        return [self._story(conn, row) for row in rows]

    def get_story(self, story_id: str) -> Story:
        """One story; a merged id resolves to the surviving story; unknown ids raise."""
        conn = self._read()
        live = _resolve(conn, story_id)
        if live is None:
            raise StoreError("no such story in the store", subject=story_id)
        row = conn.execute("SELECT * FROM stories WHERE id = ?", (live,)).fetchone()
        return self._story(conn, row)

    def story_of(self, article_id: str) -> str | None:
        """The (surviving) story an article is in, or None."""
        row = (
            self._read()
            .execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def story_merges(self) -> list[StoryMerge]:
        """Every recorded merge, oldest first."""
        rows = self._read().execute(
            "SELECT merged_id, into_id, at, score FROM story_merges ORDER BY at, merged_id"
        )
        return [
            StoryMerge(r["merged_id"], r["into_id"], required_datetime(r["at"]), r["score"])
            for r in rows
        ]

    def _story(self, conn: sqlite3.Connection, row: sqlite3.Row) -> Story:
        story_id = row["id"]
        members = conn.execute(
            f"SELECT {', '.join('m.' + c.strip() for c in _MEMBER_COLUMNS.split(','))},"
            " a.title, a.url, a.published, o.name AS outlet FROM story_articles m"
            " JOIN articles a ON a.id = m.article_id LEFT JOIN outlets o ON o.id = a.outlet_id"
            " WHERE m.story_id = ? ORDER BY m.seq",
            (story_id,),
        ).fetchall()
        people = conn.execute(
            "SELECT e.key, min(e.name) AS name, min(e.kind) AS kind,"
            " count(DISTINCT e.article_id) AS articles, sum(e.mentions) AS mentions"
            " FROM story_articles m"
            " JOIN entities e ON e.article_id = m.article_id"
            f" WHERE m.story_id = ? AND e.kind IN ({_KINDS})"
            " GROUP BY e.key ORDER BY articles DESC, mentions DESC, name LIMIT ?",
            (story_id, STORY_PEOPLE),
        ).fetchall()
        topics = conn.execute(
            "SELECT t.name, count(*) AS n, sum(t.score) AS total FROM story_articles m"
            " JOIN topics t ON t.article_id = m.article_id WHERE m.story_id = ?"
            " GROUP BY t.name ORDER BY n DESC, total DESC, t.name LIMIT ?",
            (story_id, STORY_TOPICS),
        ).fetchall()
        merged = conn.execute(
            "SELECT id FROM stories WHERE merged_into = ? ORDER BY id", (story_id,)
        ).fetchall()
        return assemble_story(
            story_id,
            required_datetime(row["first_seen"]),
            required_datetime(row["last_updated"]),
            _stored_members(members),
            people=[StoryPerson(p["key"], p["name"], p["kind"], p["articles"]) for p in people],
            topics=[t["name"] for t in topics],
            merged_from=[m[0] for m in merged],
        )


def _stored_members(rows: Sequence[sqlite3.Row]) -> list[StoredMember]:
    return [
        StoredMember(_member(r), r["title"], r["outlet"], r["url"], to_date(r["published"]))
        for r in rows
    ]

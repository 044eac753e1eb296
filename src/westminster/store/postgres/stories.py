"""Stories in PostgreSQL: members, merges, the engine's state, and the story read API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from westminster.models.story import Story, StoryMerge, StoryPerson
from westminster.store.base import StoreError, utc_now
from westminster.store.postgres.connection import PostgresConnection
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

_COLUMNS = (
    "article_id",
    "story_id",
    "score",
    "added_at",
    "seen_at",
    "independent",
    "copy_of",
    "created",
    "reason",
    "evidence",
    "analysed",
    "new_people",
    "new_figures",
    "new_quotes",
)
_JSON_COLUMNS = frozenset({"evidence", "new_people", "new_figures", "new_quotes"})
_MEMBER_COLUMNS = ", ".join(_COLUMNS)
_MEMBER_VALUES = ", ".join(
    f"%({c})s::jsonb" if c in _JSON_COLUMNS else f"%({c})s" for c in _COLUMNS
)


def _member(row: dict[str, Any]) -> StoryMember:
    return member_from_row(row, row["added_at"], row["seen_at"])


class PostgresStories(PostgresConnection):
    """Which story each article is in, what it added, merges and the engine's saved state."""

    def _resolve(self, story_id: str) -> str | None:
        """The live story a story id leads to, or None when the id is unknown."""
        row = self._conn.execute(
            "SELECT merged_into FROM stories WHERE id = %s", (story_id,)
        ).fetchone()
        if row is None:
            return None
        return str(row["merged_into"] or story_id)

    # -- writing ---------------------------------------------------------------------------

    def put_stories(self, batch: StoryBatch) -> None:
        """Record a batch's story members, merges, copies and engine state in one transaction."""
        now = utc_now()
        with self._lock, self._conn.transaction():
            # One story writer at a time: members and merges read what they then change.
            self._conn.execute("LOCK TABLE stories IN SHARE ROW EXCLUSIVE MODE")
            # A story split off in this batch is not resolved through an earlier merge.
            reborn = {split.new_id for split in batch.splits}
            for member in batch.members:
                self._put_member(member, now, reborn)
            for i, merge in enumerate(batch.merges):
                for split in batch.splits:
                    if split.after_merges == i:
                        self._split(split, now)
                self._merge(merge)
            for split in batch.splits:
                if split.after_merges >= len(batch.merges):
                    self._split(split, now)
            with self._conn.cursor() as cursor:
                cursor.executemany(
                    "UPDATE story_articles SET independent = false, copy_of = %s"
                    " WHERE article_id = %s",
                    [(original, aid) for aid, original in batch.copies],
                )
            if batch.engine is not None:
                self._put_engine(batch.engine, now)

    def _put_member(self, member: StoryMember, now: datetime, reborn: set[str]) -> None:
        if (
            self._conn.execute(
                "SELECT 1 FROM articles WHERE id = %s", (member.article_id,)
            ).fetchone()
            is None
        ):
            raise StoreError("no such article in the store", subject=member.article_id)
        params = member_params(member)
        params["created_at"] = now
        existing = self._conn.execute(
            "SELECT analysed FROM story_articles WHERE article_id = %s", (member.article_id,)
        ).fetchone()
        if existing is not None:
            # Already in a story: only additions computed without an analysis are replaced.
            if member.analysed and not existing["analysed"]:
                self._conn.execute(
                    "UPDATE story_articles SET analysed = true,"
                    " new_people = %(new_people)s::jsonb, new_figures = %(new_figures)s::jsonb,"
                    " new_quotes = %(new_quotes)s::jsonb WHERE article_id = %(article_id)s",
                    params,
                )
            return
        if member.story_id not in reborn:
            params["story_id"] = self._resolve(member.story_id) or member.story_id
        self._conn.execute(
            "INSERT INTO stories (id, first_seen, last_updated, last_added, created_at)"
            " VALUES (%(story_id)s, %(seen_at)s, %(seen_at)s, %(added_at)s, %(created_at)s)"
            " ON CONFLICT (id) DO UPDATE SET"
            " first_seen = LEAST(stories.first_seen, excluded.first_seen),"
            " last_updated = GREATEST(stories.last_updated, excluded.last_updated),"
            " last_added = GREATEST(stories.last_added, excluded.last_added)",
            params,
        )
        self._conn.execute(
            f"INSERT INTO story_articles ({_MEMBER_COLUMNS}) VALUES ({_MEMBER_VALUES})", params
        )

    def _merge(self, merge: StoryMerge) -> None:
        merged = self._resolve(merge.merged_id)
        into = self._resolve(merge.into_id)
        if merged is None or into is None:
            unknown = merge.merged_id if merged is None else merge.into_id
            raise StoreError("cannot merge: no such story", subject=unknown)
        if merged == into:
            return  # merged before: the same batch again changes nothing
        params = {"merged": merged, "into": into, "at": utc(merge.at), "score": merge.score}
        self._conn.execute(
            "INSERT INTO story_merges (merged_id, into_id, at, score)"
            " VALUES (%(merged)s, %(into)s, %(at)s, %(score)s) ON CONFLICT (merged_id) DO NOTHING",
            params,
        )
        self._conn.execute(
            "UPDATE stories SET merged_into = %(into)s"
            " WHERE id = %(merged)s OR merged_into = %(merged)s",
            params,
        )
        self._conn.execute(
            "UPDATE story_articles SET story_id = %(into)s WHERE story_id = %(merged)s", params
        )
        self._conn.execute(
            "UPDATE stories s SET first_seen = LEAST(s.first_seen, m.first_seen),"
            " last_updated = GREATEST(s.last_updated, m.last_updated),"
            " last_added = GREATEST(s.last_added, m.last_added)"
            " FROM stories m WHERE s.id = %(into)s AND m.id = %(merged)s",
            params,
        )

    def _split(self, split: StorySplit, now: datetime) -> None:
        old = self._resolve(split.story_id) or split.story_id
        params = {
            "new": split.new_id,
            "old": old,
            "ids": list(split.article_ids),
            "now": now,
            "at": utc(split.at),
        }
        found = self._conn.execute(
            "SELECT count(*) AS n FROM story_articles"
            " WHERE article_id = ANY(%(ids)s) AND story_id != %(new)s",
            params,
        ).fetchone()
        moved = int(found["n"]) if found is not None else 0
        if not moved:
            return  # split before (the same batch again), or its articles were never stored
        params["moved"] = moved
        # The new id may be a story merged into this one before: it comes back to life. Its
        # times are set from its members below.
        self._conn.execute(
            "INSERT INTO stories (id, first_seen, last_updated, last_added, created_at)"
            " VALUES (%(new)s, %(now)s, %(now)s, %(now)s, %(now)s)"
            " ON CONFLICT (id) DO UPDATE SET merged_into = NULL",
            params,
        )
        self._conn.execute(
            "UPDATE story_articles SET story_id = %(new)s"
            " WHERE article_id = ANY(%(ids)s) AND story_id != %(new)s",
            params,
        )
        for story_id in (split.new_id, old):
            self._conn.execute(
                "UPDATE stories s SET first_seen = m.first_seen, last_updated = m.last_updated,"
                " last_added = m.last_added FROM (SELECT min(seen_at) AS first_seen,"
                " max(seen_at) AS last_updated, max(added_at) AS last_added FROM story_articles"
                " WHERE story_id = %(s)s) m WHERE s.id = %(s)s AND m.first_seen IS NOT NULL",
                {"s": story_id},
            )
        self._conn.execute(
            "INSERT INTO story_splits (new_id, from_id, at, moved)"
            " VALUES (%(new)s, %(old)s, %(at)s, %(moved)s) ON CONFLICT (new_id) DO UPDATE"
            " SET from_id = excluded.from_id, at = excluded.at, moved = excluded.moved",
            params,
        )

    def _put_engine(self, state: EngineState, now: datetime) -> None:
        if state.replace:
            for table in ("story_engine", "story_engine_stories", "story_engine_features"):
                self._conn.execute(f"DELETE FROM {table}")
        self._conn.execute(
            "INSERT INTO story_engine (name, state, stored_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
            " stored_at = excluded.stored_at",
            (ENGINE_ROW, bytes(state.header), now),
        )
        with self._conn.cursor() as cursor:
            if state.dropped:
                cursor.execute(
                    "DELETE FROM story_engine_stories WHERE story_id = ANY(%s)",
                    (list(state.dropped),),
                )
            cursor.executemany(
                "INSERT INTO story_engine_stories (story_id, state) VALUES (%s, %s)"
                " ON CONFLICT (story_id) DO UPDATE SET state = excluded.state",
                [(story_id, bytes(data)) for story_id, data in state.stories.items()],
            )
            if state.frequencies:
                # One statement for the batch's features: unnest two arrays, upsert them all.
                cursor.execute(
                    "INSERT INTO story_engine_features (feature, docs)"
                    " SELECT * FROM unnest(%s::text[], %s::bigint[])"
                    " ON CONFLICT (feature) DO UPDATE SET docs = excluded.docs",
                    (list(state.frequencies), list(state.frequencies.values())),
                )

    # -- what ingestion reads back -----------------------------------------------------------

    def load_story_engine(self) -> EngineState | None:
        """The story engine's whole saved state, or None when none was saved."""
        with self._lock:
            row = self._conn.execute(
                "SELECT state FROM story_engine WHERE name = %s", (ENGINE_ROW,)
            ).fetchone()
            if row is None:
                return None
            stories = {
                r["story_id"]: bytes(r["state"])
                for r in self._conn.execute("SELECT story_id, state FROM story_engine_stories")
            }
            features = {
                r["feature"]: int(r["docs"])
                for r in self._conn.execute("SELECT feature, docs FROM story_engine_features")
            }
        return EngineState(bytes(row["state"]), stories, (), features)

    def story_article_ids(self, *, analysed: bool | None = None) -> set[str]:
        """Ids of articles in a story (only those recorded with/without an analysis)."""
        with self._lock:
            if analysed is None:
                rows = self._conn.execute("SELECT article_id FROM story_articles").fetchall()
            else:
                rows = self._conn.execute(
                    "SELECT article_id FROM story_articles WHERE analysed = %s", (analysed,)
                ).fetchall()
        return {row["article_id"] for row in rows}

    def story_members(self, story_id: str) -> list[StoryMember]:
        """A story's members in the order they joined (a merged id gives the survivor's)."""
        with self._lock:
            live = self._resolve(story_id)
            if live is None:
                return []
            rows = self._conn.execute(
                f"SELECT {_MEMBER_COLUMNS} FROM story_articles WHERE story_id = %s ORDER BY seq",
                (live,),
            ).fetchall()
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
            where.append("s.last_added > %(since)s")
            params["since"] = utc(since)
        if person is not None:
            where.append(
                "s.id IN (SELECT m.story_id FROM entities e JOIN story_articles m"
                " ON m.article_id = e.article_id"
                " WHERE e.key = %(person)s OR lower(e.name) = lower(%(person)s))"
            )
            params["person"] = person
        if topic is not None:
            where.append(
                "s.id IN (SELECT m.story_id FROM topics t JOIN story_articles m"
                " ON m.article_id = t.article_id WHERE lower(t.name) = lower(%(topic)s))"
            )
            params["topic"] = topic
        with self._lock:
            rows = self._conn.execute(
                f"SELECT s.* FROM stories s WHERE {' AND '.join(where)}"
                " ORDER BY s.last_updated DESC, s.id LIMIT %(limit)s OFFSET %(offset)s",
                params,
            ).fetchall()
            return [self._story(row) for row in rows]

    def get_story(self, story_id: str) -> Story:
        """One story; a merged id resolves to the surviving story; unknown ids raise."""
        with self._lock:
            live = self._resolve(story_id)
            if live is None:
                raise StoreError("no such story in the store", subject=story_id)
            row = self._conn.execute("SELECT * FROM stories WHERE id = %s", (live,)).fetchone()
            assert row is not None  # resolved just above, in the same lock
            return self._story(row)

    def story_of(self, article_id: str) -> str | None:
        """The (surviving) story an article is in, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT story_id FROM story_articles WHERE article_id = %s", (article_id,)
            ).fetchone()
        return None if row is None else str(row["story_id"])

    def story_merges(self) -> list[StoryMerge]:
        """Every recorded merge, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT merged_id, into_id, at, score FROM story_merges ORDER BY at, merged_id"
            ).fetchall()
        return [StoryMerge(r["merged_id"], r["into_id"], r["at"], r["score"]) for r in rows]

    def _story(self, row: dict[str, Any]) -> Story:
        """Assemble one story (the caller holds the lock)."""
        story_id = row["id"]
        members = self._conn.execute(
            f"SELECT {', '.join('m.' + c for c in _COLUMNS)},"
            " a.title, a.url, a.published, o.name AS outlet FROM story_articles m"
            " JOIN articles a ON a.id = m.article_id LEFT JOIN outlets o ON o.id = a.outlet_id"
            " WHERE m.story_id = %s ORDER BY m.seq",
            (story_id,),
        ).fetchall()
        people = self._conn.execute(
            "SELECT e.key, min(e.name) AS name, min(e.kind) AS kind,"
            " count(DISTINCT e.article_id) AS articles, sum(e.mentions) AS mentions"
            " FROM story_articles m"
            " JOIN entities e ON e.article_id = m.article_id"
            " WHERE m.story_id = %s AND e.kind = ANY(%s)"
            " GROUP BY e.key ORDER BY articles DESC, mentions DESC, name LIMIT %s",
            (story_id, list(PEOPLE_KINDS), STORY_PEOPLE),
        ).fetchall()
        topics = self._conn.execute(
            "SELECT t.name, count(*) AS n, sum(t.score) AS total FROM story_articles m"
            " JOIN topics t ON t.article_id = m.article_id WHERE m.story_id = %s"
            " GROUP BY t.name ORDER BY n DESC, total DESC, t.name LIMIT %s",
            (story_id, STORY_TOPICS),
        ).fetchall()
        merged = self._conn.execute(
            "SELECT id FROM stories WHERE merged_into = %s ORDER BY id", (story_id,)
        ).fetchall()
        return assemble_story(
            story_id,
            row["first_seen"],
            row["last_updated"],
            [
                StoredMember(_member(r), r["title"], r["outlet"], r["url"], r["published"])
                for r in members
            ],
            people=[StoryPerson(p["key"], p["name"], p["kind"], p["articles"]) for p in people],
            topics=[t["name"] for t in topics],
            merged_from=[m["id"] for m in merged],
        )

"""URLs of the dashboard's pages, built in one place so templates, feeds and JSON agree."""

from __future__ import annotations

from urllib.parse import quote

# Entity kinds with a page of their own, and the path segment of each (entity keys are
# "kind:slug", e.g. "person:keir-starmer" -> /people/keir-starmer).
ENTITY_PATHS = {"person": "people", "organisation": "organisations"}
KIND_BY_PATH = {segment: kind for kind, segment in ENTITY_PATHS.items()}


def story_url(story_id: str) -> str:
    """The page of one story."""
    return f"/stories/{quote(story_id, safe='')}"


def article_url(article_id: str) -> str:
    """The page of one stored article."""
    return f"/articles/{quote(article_id, safe='')}"


def topic_url(name: str) -> str:
    """The page of one topic."""
    return f"/topics/{quote(name, safe='')}"


def entity_url(key: str | None) -> str | None:
    """The page of a person or organisation by entity key; None for kinds without a page."""
    if not key or ":" not in key:
        return None
    kind, slug = key.split(":", 1)
    segment = ENTITY_PATHS.get(kind)
    if segment is None or not slug:
        return None
    return f"/{segment}/{quote(slug, safe='')}"

"""Quote search: "what has Keir Starmer said about Storm Shadow?" -> a person and some words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from westminster.models.keys import entity_key
from westminster.store import QuoteHit, StoreError
from westminster.web.context import WebContext, get_context
from westminster.web.errors import WebError
from westminster.web.links import entity_url
from westminster.web.pages.params import text_param
from westminster.web.routing import add_page
from westminster.web.storyviews import quote_hit_view
from westminster.web.views import QuoteView

# Questions the box understands; anything else is read as "Person: words" or a bare name.
_QUESTIONS = (
    re.compile(
        r"^(?:what|which\s+\w+)\s+(?:has|have|had|did|does|do)\s+(?P<who>.+?)\s+"
        r"(?:said|say|says|told\s+\w+|claimed|promised|announced)"
        r"(?:\s+(?:about|on|regarding|concerning|of)\s+(?P<what>.+?))?\s*\?*$",
        re.I,
    ),
    re.compile(
        r"^(?:quotes\s+(?:by|from)\s+)?(?P<who>.+?)\s+(?:on|about)\s+(?P<what>.+?)\s*\?*$", re.I
    ),
    re.compile(r"^(?P<who>[^:]+):\s*(?P<what>.*?)\s*$"),
)
# Most quotes shown for one search (newest first).
QUOTE_LIMIT = 100


@dataclass(frozen=True)
class QuotesPage:
    """What was asked, how it was read, and the matching quotes, newest first."""

    ask: str | None
    person: str | None
    q: str | None
    person_key: str | None = None
    person_url: str | None = None
    quotes: tuple[QuoteView, ...] = ()


def parse_question(text: str) -> tuple[str, str | None]:
    """(person, words or None) from a question such as "what has X said about Y?"."""
    cleaned = text.strip()
    for pattern in _QUESTIONS:
        match = pattern.match(cleaned)
        if match:
            who = match.group("who").strip(" ?")
            what = (match.group("what") or "").strip(" ?") or None
            if who:
                return who, what
    return cleaned.strip(" ?"), None


def _hits(ctx: WebContext, person: str, words: str | None) -> tuple[str | None, list[QuoteHit]]:
    """Quotes by a name or key; a name with no quotes is tried as its entity key."""
    tries = [person] if person.startswith("person:") else [person, entity_key("person", person)]
    for candidate in tries:
        try:
            hits = ctx.store.quotes_by(candidate, words)
        except StoreError as exc:
            raise WebError(exc.message, subject="q", status=422, fix="search for words") from None
        if hits:
            return hits[0].speaker_key or None, hits
    return None, []


def find_quotes(ctx: WebContext, ask: str | None, person: str | None, q: str | None) -> QuotesPage:
    """The page for a question or an explicit person and words."""
    if ask and not person:
        person, parsed = parse_question(ask)
        q = q or parsed
    if not person:
        return QuotesPage(ask=ask, person=None, q=q)
    key, hits = _hits(ctx, person, q)
    views = tuple(quote_hit_view(h) for h in hits[:QUOTE_LIMIT])
    return QuotesPage(ask, person, q, key, entity_url(key), views)


def quotes_page(
    request: Request,
    ctx: Annotated[WebContext, Depends(get_context)],
    ask: Annotated[
        str | None,
        Query(description='A question: "what has Keir Starmer said about Storm Shadow?"'),
    ] = None,
    person: Annotated[str | None, Query(description="Speaker: entity key or name")] = None,
    q: Annotated[str | None, Query(description="Words the quote must contain")] = None,
) -> Response:
    """Who said what: quotes by one person, optionally about some words, newest first."""
    page = find_quotes(
        ctx, text_param(ask, "ask"), text_param(person, "person"), text_param(q, "q")
    )
    return ctx.renderer.page(request, "quotes.html", page)


router = APIRouter(tags=["quotes"])
add_page(router, "/quotes", quotes_page, name="quotes", summary="Search quotes", model=QuotesPage)

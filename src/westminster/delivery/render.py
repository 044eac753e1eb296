"""Emails from templates: multipart text + HTML, every scraped string escaped, list headers.

Scraped headlines, summaries, quotes and URLs are untrusted: the HTML templates autoescape
everything, links are only written for http(s) URLs, and header values are stripped of line
breaks so nothing scraped can add a header.
"""

from __future__ import annotations

import hashlib
import secrets
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from westminster.delivery.settings import DeliverySettings
from westminster.models import Briefing, BriefingItem

LIST_NAME = "Westminster Update"

# How much of a story an email shows: enough to judge it, short enough for a phone screen.
QUOTES_PER_STORY = 3
FIGURES_PER_STORY = 4
SOURCES_PER_STORY = 6

# Plain-text line length (RFC 5322 recommends lines of at most 78 characters).
TEXT_WIDTH = 72

# Subject lines past this length are cut by most clients anyway.
SUBJECT_LENGTH = 120


@dataclass(frozen=True)
class Limits:
    """How many quotes, figures and sources each story shows."""

    quotes: int = QUOTES_PER_STORY
    figures: int = FIGURES_PER_STORY
    sources: int = SOURCES_PER_STORY


@dataclass(frozen=True)
class RenderedEmail:
    """An email's subject and its two bodies."""

    subject: str
    text: str
    html: str


def http_url(value: object) -> str:
    """The URL when it is http(s) with a host, else "" (no javascript:, data: or relative)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url


def _wrap(text: str, prefix: str = "") -> str:
    return textwrap.fill(
        " ".join(str(text).split()),
        width=TEXT_WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("westminster.delivery", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["http_url"] = http_url
    env.filters["wrap"] = _wrap
    return env


_ENV = _environment()


def one_line(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """Text fit for a header: one line, spaces collapsed, cut at a word with an ellipsis."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def render(name: str, **context: Any) -> tuple[str, str]:
    """The (text, html) bodies of template pair `name`.txt / `name`.html."""
    text = _ENV.get_template(f"{name}.txt").render(**context)
    html = _ENV.get_template(f"{name}.html").render(**context)
    return text, html


def _subtitle(day: date, count: int) -> str:
    return f"{day:%A} {day.day} {day:%B %Y} · {count} stor{'y' if count == 1 else 'ies'}"


def render_edition(
    briefing: Briefing,
    items: tuple[BriefingItem, ...],
    *,
    email: str,
    unsubscribe_url: str,
    preferences_url: str,
    intro: str = "",
    day: date | None = None,
) -> RenderedEmail:
    """A subscriber's copy of an edition (or alert): their items, their links."""
    subtitle = _subtitle(day or briefing.period_start.date(), len(items))
    lead = items[0].headline if items else ""
    subject = one_line(f"{briefing.title}: {lead}" if lead else briefing.title)
    text, html = render(
        "edition",
        title=one_line(briefing.title, 200),
        subtitle=subtitle,
        preheader=one_line(lead, 150),
        intro=intro,
        items=items,
        limits=Limits(),
        email=email,
        list_name=LIST_NAME,
        unsubscribe_url=unsubscribe_url,
        preferences_url=preferences_url,
    )
    return RenderedEmail(subject, text, html)


class EditionRenderer:
    """One edition for many subscribers: each distinct selection of stories rendered once.

    The subscriber's address and links are rendered as placeholders (with a random part, so
    scraped text cannot contain them) and substituted per subscriber, escaped for HTML.
    """

    # Distinct selections kept; an edition of 10 stories has few that occur often.
    CACHE_SIZE = 512

    def __init__(self, briefing: Briefing, *, intro: str = "", day: date | None = None) -> None:
        self.briefing = briefing
        self.intro = intro
        self.day = day
        nonce = secrets.token_hex(8)
        self._marks = {k: f"%%{nonce}-{k}%%" for k in ("email", "unsubscribe", "preferences")}
        self._cache: dict[tuple[str, ...], RenderedEmail] = {}

    def render(
        self,
        items: tuple[BriefingItem, ...],
        *,
        email: str,
        unsubscribe_url: str,
        preferences_url: str,
    ) -> RenderedEmail:
        """The subscriber's copy: their stories, their address and links."""
        key = tuple(item.story_id for item in items)
        template = self._cache.get(key)
        if template is None:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            template = render_edition(
                self.briefing,
                items,
                email=self._marks["email"],
                unsubscribe_url=self._marks["unsubscribe"],
                preferences_url=self._marks["preferences"],
                intro=self.intro,
                day=self.day,
            )
            self._cache[key] = template
        values = {"email": email, "unsubscribe": unsubscribe_url, "preferences": preferences_url}
        text, html = template.text, template.html
        for name, mark in self._marks.items():
            text = text.replace(mark, values[name])
            html = html.replace(mark, str(escape(values[name])))
        return RenderedEmail(template.subject, text, html)


def message_id(edition_id: str, subscriber_id: int, email: str, domain: str) -> str:
    """The Message-ID of one (edition, subscriber): the same on every attempt and every run."""
    digest = hashlib.sha256(f"{edition_id}\x00{subscriber_id}\x00{email}".encode()).hexdigest()
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in edition_id)
    return f"<{safe}.{subscriber_id}.{digest[:20]}@{domain}>"


def build_message(
    rendered: RenderedEmail,
    *,
    to: str,
    settings: DeliverySettings,
    now: datetime,
    msg_id: str | None = None,
    unsubscribe_url: str | None = None,
    list_id: str | None = None,
) -> EmailMessage:
    """A multipart/alternative message with its headers; list mail gets RFC 8058 headers."""
    sender: Address = settings.sender()
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = one_line(rendered.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = msg_id or make_msgid(domain=sender.domain)
    if unsubscribe_url:
        # RFC 2369 / RFC 8058: one-click unsubscribe by POST to the https URL.
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if list_id:
        message["List-Id"] = f"{LIST_NAME} <{list_id}.{sender.domain}>"
        message["Precedence"] = "bulk"
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    return message

"""Email rendering and story selection: escaping, list headers, Message-IDs, preferences."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from email import message_from_bytes, policy

import pytest

from tests.delivery_support import STORIES, body, daily_briefing, item, settings
from westminster.delivery.edition_codec import briefing_from_json, briefing_to_json
from westminster.delivery.matching import check_queries, select_items, slug
from westminster.delivery.render import (
    EditionRenderer,
    build_message,
    http_url,
    message_id,
    render_edition,
)
from westminster.delivery.wire import raw_message
from westminster.models import Preferences, PreferencesError
from westminster.models.keys import entity_key

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
CONFIG = settings(25)
HEADLINES = [s.headline for s in STORIES]


def _headlines(prefs: Preferences) -> list[str]:
    return [i.headline for i in select_items(STORIES, prefs)]


def test_selection_by_people_topics_and_queries() -> None:
    assert len(_headlines(Preferences())) == 3  # no preferences: the whole edition
    by_name = _headlines(Preferences(people=("Keir Starmer",)))
    assert by_name == ["Starmer and Biden discuss Storm Shadow missiles"]
    assert _headlines(Preferences(people=("person:rachel-reeves",))) == [
        "Reeves sets out autumn budget tax rises"
    ]
    assert _headlines(Preferences(topics=("Health",))) == ["NHS waiting lists fall for third month"]
    assert _headlines(Preferences(queries=('"storm shadow"',))) == by_name
    assert _headlines(Preferences(queries=('"shadow storm"',))) == []  # a phrase keeps its order
    assert _headlines(Preferences(queries=("budget tax",))) == [
        "Reeves sets out autumn budget tax rises"
    ]
    assert _headlines(Preferences(queries=("budget missiles",))) == []  # every word must match
    either = _headlines(Preferences(topics=("health",), people=("Rachel Reeves",)))
    assert len(either) == 2  # any followed person, topic or query brings a story in
    assert _headlines(Preferences(topics=("education",))) == []
    # The briefings' query language: OR, NOT / -word, trailing *.
    assert _headlines(Preferences(queries=("budget OR waiting",))) == HEADLINES[1:]
    assert _headlines(Preferences(queries=("tax -budget",))) == []
    assert _headlines(Preferences(queries=("missil*",))) == HEADLINES[:1]
    assert _headlines(Preferences(queries=("(unclosed",))) == []  # malformed: matches nothing
    with pytest.raises(PreferencesError, match="queries: '\\(unclosed'"):
        check_queries(Preferences(queries=("(unclosed",)))


def test_followed_names_are_spelt_as_entity_keys() -> None:
    for name in ("Keir Starmer", "Siân Berry", "Jürgen Weiß", "Øystein Ås", "Sadiq Khan MP"):
        assert slug(name) == entity_key("person", name).split(":", 1)[1], name


def test_edition_round_trips_through_json() -> None:
    briefing = daily_briefing()
    assert briefing_from_json(briefing_to_json(briefing)) == briefing


def test_scraped_text_is_escaped_and_unsafe_links_dropped() -> None:
    evil = item(
        "s9",
        'Minister <script>alert("x")</script> resigns',
        "He said <b>nothing</b> & left.",
        speaker="<img src=x onerror=alert(1)>",
    )
    evil = replace(
        evil, sources=(replace(evil.sources[0], url="javascript:alert(1)", outlet="Evil<i>"),)
    )
    rendered = render_edition(
        daily_briefing((evil,)),
        (evil,),
        email="ann@example.org",
        unsubscribe_url="https://w.example.org/unsubscribe?token=t",
        preferences_url="https://w.example.org/preferences?token=p",
    )
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert (
        "<b>nothing</b>" not in rendered.html
        and "&lt;b&gt;nothing&lt;/b&gt; &amp;" in rendered.html
    )
    assert "<img" not in rendered.html and "javascript:" not in rendered.html
    assert "Evil&lt;i&gt;" in rendered.html
    # The text part keeps the words as written (it is never interpreted as markup).
    assert 'Minister <script>alert("x")</script> resigns' in rendered.text
    assert http_url("https://example.org/a") == "https://example.org/a"
    assert http_url("data:text/html,hi") == http_url("/relative") == ""


def test_message_headers_for_list_mail() -> None:
    rendered = render_edition(
        daily_briefing(),
        STORIES,
        email="ann@example.org",
        unsubscribe_url="https://w.example.org/unsubscribe?token=abc",
        preferences_url="https://w.example.org/preferences?token=def",
        day=date(2026, 11, 24),
    )
    assert rendered.subject.startswith("Westminster Update: Starmer and Biden")
    assert "Tuesday 24 November 2026" in rendered.html and "3 stories" in rendered.text
    mid = message_id("daily-2026-11-24", 7, "ann@example.org", "example.org")
    assert mid == message_id("daily-2026-11-24", 7, "ann@example.org", "example.org")
    assert mid != message_id("daily-2026-11-25", 7, "ann@example.org", "example.org")
    assert mid.startswith("<daily-2026-11-24.7.") and mid.endswith("@example.org>")
    message = build_message(
        rendered,
        to="ann@example.org",
        settings=CONFIG,
        now=NOW,
        msg_id=mid,
        unsubscribe_url="https://w.example.org/unsubscribe?token=abc",
        list_id="daily",
    )
    assert message["Message-ID"] == mid
    assert message["List-Unsubscribe"] == "<https://w.example.org/unsubscribe?token=abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] == "Westminster Update <daily.example.org>"
    assert message["From"] == "Westminster Update <briefing@example.org>"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    # Long lines of scraped text never make an invalid message.
    wire = message.as_bytes(policy=policy.SMTP)
    assert all(len(line) <= 998 for line in wire.split(b"\r\n"))


def test_text_part_is_wrapped_and_html_uses_tables() -> None:
    rendered = render_edition(
        daily_briefing(),
        STORIES[:1],
        email="ann@example.org",
        unsubscribe_url="https://w.example.org/u",
        preferences_url="https://w.example.org/p",
    )
    lines = [
        line for line in rendered.text.splitlines() if not line.startswith(("Unsub", "Change"))
    ]
    assert max(len(line) for line in lines if "https://" not in line) <= 72
    assert '"We will stand by Ukraine." - Keir Starmer, BBC News' in rendered.text
    assert "£600 million" in rendered.text and "£600 million" in rendered.html
    assert 'role="presentation"' in rendered.html and "<link" not in rendered.html
    assert "<script" not in rendered.html and "style=" in rendered.html
    assert 'href="https://news.example.org/1"' in rendered.html


def test_wire_format_matches_the_standard_library_message() -> None:
    story = replace(
        STORIES[0],
        headline="£600m for Ukraine — “a resolute prime minister”",
        summary=(replace(STORIES[0].summary[0], text=".\nA line starting with a dot " * 20),),
    )
    config = replace(CONFIG, mail_from="Wéstminster Üpdate <briefing@example.org>")
    renderer = EditionRenderer(daily_briefing((story,)))
    rendered = renderer.render(
        (story,),
        email="o'neil&co@example.org",
        unsubscribe_url="https://w.example.org/unsubscribe?token=abc",
        preferences_url="https://w.example.org/preferences?token=def",
    )
    assert "o&#39;neil&amp;co@example.org" in rendered.html  # escaped where substituted
    assert "o'neil&co@example.org" in rendered.text
    kwargs = dict(
        to="o'neil&co@example.org",
        settings=config,
        now=NOW,
        msg_id="<m1@example.org>",
        unsubscribe_url="https://w.example.org/unsubscribe?token=abc",
        list_id="daily",
    )
    raw = raw_message(rendered, **kwargs)  # type: ignore[arg-type]
    parsed = message_from_bytes(raw.data, policy=policy.default)
    reference = build_message(rendered, **kwargs)  # type: ignore[arg-type]
    for name in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe",
                 "List-Unsubscribe-Post", "List-Id"):  # fmt: skip
        assert str(parsed[name]) == str(reference[name]), name
    assert parsed["Subject"] == "Westminster Update: " + story.headline
    assert parsed.get_content_type() == "multipart/alternative"
    # (Parsed from the wire, lines end in CRLF.)
    assert body(parsed, "plain").replace("\r\n", "\n") == rendered.text  # type: ignore[arg-type]
    assert body(parsed, "html").replace("\r\n", "\n") == rendered.html  # type: ignore[arg-type]
    assert raw.data.isascii()  # 7-bit clean: any relay takes it
    # RFC 5322's 78-character advice holds except for the unsubscribe URL (which cannot be
    # folded); every line is within the hard 998.
    long = [line for line in raw.data.split(b"\r\n") if len(line) > 78]
    assert all(line.startswith(b"List-Unsubscribe: <") and len(line) < 998 for line in long)
    # The renderer renders each distinct selection once and reuses it.
    again = renderer.render(
        (story,), email="bob@example.org", unsubscribe_url="u", preferences_url="p"
    )
    assert "bob@example.org" in again.text and "o'neil" not in again.text

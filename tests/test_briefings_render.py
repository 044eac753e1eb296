"""Rendering briefings as HTML, Markdown and text; scraped text stays inert."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest

from tests.briefings_support import DAY, NOW
from westminster.briefings import BriefingError, period_of_days, render
from westminster.briefings.daily import daily_briefing
from westminster.models import (
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingQuote,
    CitedSentence,
    CoveragePoint,
    SourceRef,
)

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PERIOD = period_of_days(DAY, DAY)
GOOD = SourceRef("a", "Starmer meets Biden", "Courier", "https://courier.example/a", DAY)
EVIL = SourceRef("b", f"Evil {PAYLOAD}", f"Outlet {PAYLOAD}", "javascript:alert(1)", DAY)
ITEM = BriefingItem(
    story_id="s1",
    headline=f"Starmer and Biden {PAYLOAD} discuss [missiles](javascript:x)",
    summary=(
        CitedSentence("Sir Keir Starmer met Joe Biden at the White House.", GOOD),
        CitedSentence(f"Putin warned of war {PAYLOAD}.", EVIL),
        CitedSentence("Both leaders want a plan.", GOOD, abstractive=True, also_from=(EVIL,)),
    ),
    quotes=(
        BriefingQuote(
            '"Let me be clear, Ukraine has every right to defend itself,"',
            "direct",
            "Keir Starmer",
            "person:keir-starmer",
            GOOD,
        ),
        BriefingQuote("that the strikes would mean war", "indirect", "Vladimir Putin", "", EVIL),
    ),
    figures=(BriefingFigure("£600 million", "money", 600000000.0, "GBP", GOOD),),
    sources=(GOOD, EVIL),
    outlets=2,
    score=0.71,
    signals=(
        ("coverage", 0.49),
        ("momentum", 0.86),
        ("novelty", 0.99),
        ("political_weight", 0.95),
        ("outlets", 2.0),
    ),
    topics=("defence",),
    new_since_last=True,
)
DAILY = replace(daily_briefing(DAY, PERIOD, [ITEM], NOW))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]
        self.handlers += [k for k, _ in attrs if k.startswith("on")]


def test_html_is_a_standalone_page_with_inert_scraped_text() -> None:
    html = render(DAILY, "html")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<title>Westminster Update — Friday 13 September 2024</title>" in html
    tags = _Tags()
    tags.feed(html)
    assert "script" not in tags.tags and "img" not in tags.tags and tags.handlers == []
    assert "&lt;script&gt;" in html
    assert all(h.startswith(("https://", "#")) for h in tags.hrefs)
    assert "javascript:" not in " ".join(tags.hrefs)
    # Each sentence cites its numbered source; an abstractive one cites all it rests on.
    assert 'met Joe Biden at the White House.<sup>[<a href="#s1-1">1</a>]</sup>' in html
    both = '<sup>[<a href="#s1-1">1</a>]</sup><sup>[<a href="#s1-2">2</a>]</sup>'
    assert f"Both leaders want a plan.{both}" in html
    assert "“Let me be clear, Ukraine has every right to defend itself”" in html
    assert "Vladimir Putin (reported)" in html and "the strikes would mean war" in html
    assert "600,000,000 GBP" in html and "NEW" in html and "coverage 0.49" in html


def test_markdown_escapes_markup_and_keeps_safe_links() -> None:
    md = render(DAILY, "md")
    assert "\\<script\\>" in md and "<script>" not in md
    assert "\\[missiles\\]\\(javascript:x\\)" in md
    assert "[Starmer meets Biden](<https://courier.example/a>)" in md
    assert "](<javascript" not in md
    assert "\\[1\\]" in md and md.startswith("# Westminster Update")


def test_text_is_wrapped_and_lists_sources_with_urls() -> None:
    txt = render(DAILY, "txt")
    assert txt.startswith("WESTMINSTER UPDATE — FRIDAY 13 SEPTEMBER 2024")
    assert all(len(line) <= 78 for line in txt.splitlines() if "://" not in line)
    urls = [line.strip() for line in txt.splitlines() if line.startswith("       ")]
    assert "https://courier.example/a" in urls and not any(u.startswith("javascript") for u in urls)
    assert "[1] Starmer meets Biden — Courier, 13 September 2024" in txt


def test_an_empty_day_says_there_is_nothing() -> None:
    empty = daily_briefing(DAY, PERIOD, [], NOW)
    for fmt in ("html", "md", "txt"):
        assert "Nothing to report: no stories were published on 13 September 2024." in render(
            empty, fmt
        )


def test_insights_sections_render_in_every_format() -> None:
    insights = Briefing(
        kind="insights",
        title="Insights: Keir Starmer, 7–13 September 2024",
        period_start=period_of_days(date(2024, 9, 7), DAY).start,
        period_end=PERIOD.end,
        generated_at=NOW,
        items=(ITEM,),
        subject="person:keir-starmer",
        subject_name="Keir Starmer",
        subject_kind="person",
        quote_history=(replace(ITEM.quotes[0], new_since_last=True),),
        figures=ITEM.figures,
        appeared_with=(("Joe Biden", 3), (f"Evil {PAYLOAD}", 1)),
        coverage=(CoveragePoint(date(2024, 9, 12), 1, 1), CoveragePoint(DAY, 4, 3)),
        new_since=NOW.replace(day=12),
        new_sources=(GOOD,),
    )
    for fmt in ("html", "md", "txt"):
        out = render(insights, fmt)
        for expected in (
            "Joe Biden (3)",
            "1 article since the last briefing",
            "7 September 2024 to 13 September 2024",
        ):
            assert expected in out, (fmt, expected)
        assert "<script>" not in out or fmt == "txt"
    txt = render(insights, "txt")
    assert "2024-09-13   4 " + "#" * 30 in txt and "2024-09-12   1 " + "#" * 8 in txt
    first = render(replace(insights, new_since=None, new_sources=()), "md")
    assert "First briefing on Keir Starmer" in first


def test_unknown_format_is_an_error_naming_it() -> None:
    with pytest.raises(BriefingError, match="unknown format 'pdf'"):
        render(DAILY, "pdf")

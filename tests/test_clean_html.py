"""extract_html, looks_like_html, bare_trafilatura and fragment_text on real and built pages."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from tests.conftest import SHARED_DATA, needs_shared_data
from westminster.clean import (
    bare_trafilatura,
    decode_text,
    extract_html,
    fragment_text,
    looks_like_html,
)
from westminster.errors import ExtractionError

PARAGRAPHS = [
    "Sir Keir Starmer flew to Washington on Thursday for talks with Joe Biden about Ukraine, "
    "where the two leaders were expected to discuss long-range missiles.",
    "The prime minister told reporters on the plane that Russia had started the conflict and "
    "that Ukraine had every right to defend itself against the invasion.",
    "Downing Street said the meeting would focus on strategy rather than on individual "
    "decisions, and that no announcement was expected after the talks.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Starmer flies to Washington | The Westminster Times</title>
<meta property="og:title" content="Starmer flies to Washington">
<meta property="og:site_name" content="The Westminster Times">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-09-13T08:00:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article>
<h1>Starmer flies to Washington</h1>
<p>{PARAGRAPHS[0]}</p>
<p>Subscribe To Our Free Westminster Update Email</p>
<p>{PARAGRAPHS[1]}</p>
<p>Advertisement</p>
<p>{PARAGRAPHS[2]}</p>
</article>
<footer>Copyright The Westminster Times</footer>
</body></html>"""


def test_extract_html_metadata_and_clean_body() -> None:
    article = extract_html(PAGE, source="page.html", url="https://www.example.co.uk/a/1")
    assert article.title == "Starmer flies to Washington"
    assert article.author == "Jane Reporter"
    assert article.published == date(2024, 9, 13)
    assert article.published_source == "page"
    assert article.outlet == "The Westminster Times"
    assert article.paragraphs == PARAGRAPHS
    assert [(r.text, r.reason) for r in article.removed] == [
        ("Starmer flies to Washington", "headline repeated in the body"),
        ("Subscribe To Our Free Westminster Update Email", "subscription call to action"),
        ("Advertisement", "advertisement label"),
    ]


def test_outlet_falls_back_to_url_host() -> None:
    page = PAGE.replace('<meta property="og:site_name" content="The Westminster Times">', "")
    page = page.replace(" | The Westminster Times", "")
    article = extract_html(page, source="p", url="https://www.example.co.uk/a/1")
    assert article.outlet == "example.co.uk"


def test_page_without_article_text_names_source() -> None:
    nav = "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body>"
    with pytest.raises(ExtractionError, match=r"nav\.html.*no article text found"):
        extract_html(nav, source="nav.html")


def test_bare_trafilatura_keeps_the_promo_lines() -> None:
    text = bare_trafilatura(PAGE)
    assert PARAGRAPHS[0] in text and "Subscribe To Our Free Westminster Update Email" in text
    assert bare_trafilatura("<html><body></body></html>") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PAGE, True),
        ("\ufeff  <html><body><p>x</p></body></html>", True),
        ("<!-- saved page --><!doctype html><p>x", True),
        ("<p>One.</p><p>Two.</p><div>Three.</div>", True),
        ("Headline\nThe <p> element starts a paragraph, the minister's aide explained.", False),
        ("Starmer defies Putin\nSir Keir Starmer boldly faced...", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_fragment_text_separates_blocks_and_drops_scripts() -> None:
    text = fragment_text(
        "<div><p>First para.</p><p>Second <b>bold</b> para.</p>"
        "<script>var x = 1;</script><ul><li>One</li><li>Two</li></ul></div>"
    )
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines == ["First para.", "Second bold para.", "One", "Two"]


@needs_shared_data
def test_real_bbc_page() -> None:
    source = SHARED_DATA / "readability-testpages" / "pages" / "bbc-1" / "source.html.gz"
    html = decode_text(gzip.decompress(source.read_bytes()), source="bbc-1")
    article = extract_html(html, source="bbc-1", url="https://www.bbc.co.uk/news/x")
    assert article.title
    assert len(article.paragraphs) > 5
    assert article.outlet

"""HTML pages to articles: trafilatura finds text and metadata, then in-body boilerplate goes."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document

from westminster.clean.boilerplate import remove_boilerplate
from westminster.clean.outlet_filter import OutletLineFilter
from westminster.errors import ExtractionError
from westminster.models import Article, RemovedLine

# How much of the start of a text is looked at to decide whether it is HTML: a page declares
# itself (doctype, <html>, <head>) at the top, after at most a long comment or XML prolog.
HTML_SNIFF_CHARS = 4096

_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml)\b", re.I | re.S
)
# A text that does not start like a page but is built of block tags is still an HTML fragment.
_BLOCK_TAG = re.compile(r"<(?:p|div|article|section|h[1-6]|ul|ol|li|table|br)\b[^>]*>", re.I)
# At least this many block tags in the sniffed start make a fragment HTML; a plain text that
# quotes a tag or two ("the <p> element") stays plain text.
MIN_BLOCK_TAGS = 3

_SPACES = re.compile(r"\s+")

# Block elements that end a line when an HTML fragment is flattened to text.
_BLOCK_ELEMENTS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre",
    "section", "article", "figcaption", "dt", "dd", "table", "ul", "ol",
)  # fmt: skip


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML page or fragment rather than plain text."""
    head = text[:HTML_SNIFF_CHARS].lstrip("\ufeff")
    if _HTML_START.match(head):
        return True
    return len(_BLOCK_TAG.findall(head)) >= MIN_BLOCK_TAGS


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def _published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _same_text(a: str, b: str) -> bool:
    return _SPACES.sub(" ", a).strip().casefold() == _SPACES.sub(" ", b).strip().casefold()


def _drop_repeated_headline(body: str, title: str) -> tuple[str, tuple[RemovedLine, ...]]:
    """The page's <h1> often opens the extracted body; the headline already is the title."""
    first, _, rest = body.partition("\n")
    if title and _same_text(first, title):
        return rest.lstrip("\n"), (RemovedLine(first.strip(), "headline repeated in the body"),)
    return body, ()


def _no_article(source: str) -> ExtractionError:
    return ExtractionError(
        "no article text found",
        subject=source,
        fix="the page may be an index, a login wall or built by JavaScript; "
        "give the article's own page or its text",
    )


def extract_html(
    html: str,
    *,
    source: str,
    url: str | None = None,
    outlet_filter: OutletLineFilter | None = None,
) -> Article:
    """Extract title, body, author, date and outlet from a page; ExtractionError if no text."""
    # Reader comments are not the article: leave them out (trafilatura keeps them by default).
    # The date comes from htmldate, which trafilatura runs on the parsed tree with its
    # original-date preference, so the page is parsed once.
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if not isinstance(document, Document):
        raise _no_article(source)
    title = (document.title or "").strip()
    body, headline = _drop_repeated_headline((document.text or "").strip(), title)
    outlet = (document.sitename or "").strip() or _host(url) or _host(document.url)
    text, removed = remove_boilerplate(body, outlet=outlet, outlet_filter=outlet_filter)
    # nothing beyond the headline (a navigation page's lone "Home" link) is no article
    if not text.strip():
        raise _no_article(source)
    published = _published(document.date)
    return Article(
        title=title,
        text=text,
        published=published,
        published_source="page" if published else "",
        outlet=outlet,
        author=(document.author or "").strip() or None,
        url=url,
        removed=headline + removed,
    )


def bare_trafilatura(html: str) -> str:
    """Plain trafilatura.extract with default settings: the evaluation's baseline."""
    return trafilatura.extract(html) or ""


def fragment_text(html: str) -> str:
    """Flatten an HTML fragment (e.g. a reference extraction) to text, one block per line."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:
        return ""
    for element in root.iter(*_BLOCK_ELEMENTS):
        element.tail = "\n" + (element.tail or "")
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    return str(root.text_content())

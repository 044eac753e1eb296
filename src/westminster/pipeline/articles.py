"""Turn a RawPage into a cleaned Article: decode, extract or split, apply the user's overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from westminster.clean import decode_text, extract_html, looks_like_html, split_plain_text
from westminster.clean.outlet_filter import OutletLineFilter
from westminster.models import Article, RawPage


@dataclass(frozen=True)
class ArticleOptions:
    """How to read inputs: --raw, --published, --outlet, and the learned outlet filter."""

    raw: bool = False
    published: date | None = None
    outlet: str | None = None
    today: date | None = None  # the fallback publication date (None: the real today)
    fill_published: bool = True  # analyse needs a date to resolve offices; extract does not
    outlet_filter: OutletLineFilter | None = None


def is_html(page: RawPage, text: str) -> bool:
    """HTML by declared type, else by content."""
    if page.content_type in ("text/html", "application/xhtml+xml"):
        return True
    if page.content_type == "text/plain":
        return False
    return looks_like_html(text)


def to_article(page: RawPage, options: ArticleOptions, *, hints: bool = False) -> Article:
    """Decode and clean one page; raises InputError or ExtractionError naming the source.

    `hints`: fill what the page did not say from what its feed, sitemap or record said.
    """
    text = decode_text(page.content, source=page.source, declared=page.encoding)
    if is_html(page, text) and not options.raw:
        article = extract_html(
            text, source=page.source, url=page.url, outlet_filter=options.outlet_filter
        )
    else:
        article = split_plain_text(
            text,
            source=page.source,
            raw=options.raw,
            outlet=options.outlet,
            outlet_filter=options.outlet_filter,
            title=page.title_hint,
        )
    article = replace(article, path=page.path, url=page.url)
    if hints:
        article = with_hints(article, page)
    if options.outlet:
        article = replace(article, outlet=options.outlet)
    if options.published is not None:
        article = replace(article, published=options.published, published_source="option")
    elif article.published is None and options.fill_published:
        article = replace(
            article, published=options.today or date.today(), published_source="today"
        )
    return article


def with_hints(article: Article, page: RawPage) -> Article:
    """Fill what the page itself did not say from what the feed, sitemap or record said."""
    changes: dict[str, object] = {}
    if not article.title.strip() and page.title_hint:
        changes["title"] = page.title_hint
    if article.published is None and page.published_hint is not None:
        changes.update(published=page.published_hint.date(), published_source="feed")
    if not article.author and page.author_hint:
        changes["author"] = page.author_hint
    if not article.outlet and page.outlet_hint:
        changes["outlet"] = page.outlet_hint
    return replace(article, **changes) if changes else article  # type: ignore[arg-type]

"""The one Source protocol (fundus' habit): every source yields RawPage or Rejection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from westminster.errors import InputError
from westminster.models import RawPage, Rejection

# Content types that can hold an article; anything else is recorded as a rejection. "" means
# "not declared": the cleaner sniffs it.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})


class Source(Protocol):
    """Something that yields raw pages (and a Rejection for each item it cannot read)."""

    name: str

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """Every page of the source, in a stable order; failures as Rejections, never raised."""
        ...


def page_or_rejection(page: RawPage | Rejection, stage: str) -> RawPage | Rejection:
    """Pass a page on, or a Rejection when its content type cannot be an article."""
    if isinstance(page, Rejection) or page.status == 304 or page.content_type in PAGE_TYPES:
        return page
    detail = f"is {page.content_type}, not an HTML or text page; skipped"
    return Rejection(stage, InputError.code, detail, page.url or page.source)

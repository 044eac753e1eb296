"""Plain-text articles: first non-empty line is the headline, the rest the body."""

from __future__ import annotations

import re

from westminster.clean.boilerplate import remove_boilerplate
from westminster.clean.outlet_filter import OutletLineFilter
from westminster.errors import ExtractionError
from westminster.models import Article

# A Markdown headline ("# Title") loses its marker; the text after it is the headline.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def normalise_newlines(text: str) -> str:
    """Windows and old-Mac line endings to "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_plain_text(
    text: str,
    *,
    source: str,
    raw: bool = False,
    outlet: str | None = None,
    outlet_filter: OutletLineFilter | None = None,
    title: str | None = None,
) -> Article:
    """Headline plus cleaned body; with raw=True the text is kept exactly and the title is "".

    `outlet` (optional) names the outlet so `outlet_filter`'s learned lines can be applied.
    `title`, when the source already knows the headline (a JSON Lines record, a feed entry),
    makes the whole text the body instead of taking its first line as the headline.
    """
    text = normalise_newlines(text)
    if raw:
        if not text.strip():
            raise ExtractionError("no article text found", subject=source)
        return Article(title="", text=text)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ExtractionError("no article text found", subject=source)
    if title is not None:
        body = text.strip("\n")
    else:
        title = _MARKDOWN_HEADING.sub("", lines[first].strip())
        body = "\n".join(lines[first + 1 :]).strip("\n")
    if not body.strip():
        raise ExtractionError(
            "no article text found: only a headline",
            subject=source,
            fix="the first line is read as the headline; use --raw to analyse it as body text",
        )
    # learned lines need the outlet's name: a text file only has one when the caller gives it
    body, removed = remove_boilerplate(body, outlet=outlet, outlet_filter=outlet_filter)
    return Article(title=title, text=body, outlet=outlet, removed=removed)

"""Per-outlet learned boilerplate: lines that recur across many articles of one outlet.

Ingestion feeds it every article's lines (`observe`), the store keeps it (`to_dict`/`from_dict`),
and cleaning asks it about each line (`is_boilerplate`). A line counts once per article, and an
article counts once however often it is observed, so re-running an ingest changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from westminster.errors import DataError

# Learn nothing about an outlet until this many of its articles have been seen: with fewer, a
# line shared by two articles on the same story (a quote, a place name) would look like
# boilerplate. Ten articles is about one day of a small outlet's politics output.
MIN_ARTICLES = 10

# A normalised line is boilerplate when it appears in at least this share of the outlet's
# articles. Sign-off and promotion lines appear in nearly every article; story-level repeats
# (the same quote across a running story) stay well under half.
MIN_FRACTION = 0.5

# Lines longer than this (characters, after normalising) are not tracked: boilerplate is short,
# and leaving long paragraphs out keeps the table small.
MAX_TRACKED_CHARS = 300

# Every this many articles of an outlet, lines seen only once are forgotten so the table does
# not grow with every unique paragraph. A line that truly recurs in half the articles is seen
# again well before the next pruning.
PRUNE_EVERY = 200

FORMAT_VERSION = 1

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def normalise_line(line: str) -> str:
    """Case-fold, collapse whitespace and mask digits, so dated variants count as one line."""
    return _SPACES.sub(" ", _DIGITS.sub("0", line.casefold())).strip()


def _outlet_key(outlet: str) -> str:
    return _SPACES.sub(" ", outlet.casefold()).strip()


@dataclass
class _OutletStats:
    """What has been seen for one outlet: the article ids and per-line article counts."""

    articles: set[str] = field(default_factory=set)
    lines: dict[str, int] = field(default_factory=dict)


class OutletLineFilter:
    """Learns, per outlet, which lines recur across its articles and flags them as boilerplate."""

    def __init__(
        self, *, min_articles: int = MIN_ARTICLES, min_fraction: float = MIN_FRACTION
    ) -> None:
        if min_articles < 1 or not 0.0 < min_fraction <= 1.0:
            raise ValueError("min_articles must be >= 1 and min_fraction in (0, 1]")
        self.min_articles = min_articles
        self.min_fraction = min_fraction
        self._outlets: dict[str, _OutletStats] = {}

    def observe(self, outlet: str, article_id: str, lines: Iterable[str]) -> None:
        """Count an article's lines for its outlet; observing the same article again is a no-op."""
        stats = self._outlets.setdefault(_outlet_key(outlet), _OutletStats())
        if article_id in stats.articles:
            return
        stats.articles.add(article_id)
        distinct = {normalise_line(line) for line in lines}
        for key in distinct:
            if key and len(key) <= MAX_TRACKED_CHARS:
                stats.lines[key] = stats.lines.get(key, 0) + 1
        if len(stats.articles) % PRUNE_EVERY == 0:
            stats.lines = {key: n for key, n in stats.lines.items() if n > 1}

    def _threshold(self, stats: _OutletStats) -> float | None:
        """Article count a line needs for this outlet, or None while too few were seen."""
        if len(stats.articles) < self.min_articles:
            return None
        return self.min_fraction * len(stats.articles)

    def is_boilerplate(self, outlet: str, line: str) -> bool:
        """True when this line recurs in enough of the outlet's articles to be boilerplate."""
        stats = self._outlets.get(_outlet_key(outlet))
        if stats is None:
            return False
        threshold = self._threshold(stats)
        if threshold is None:
            return False
        return stats.lines.get(normalise_line(line), 0) >= threshold

    def learned(self, outlet: str) -> list[str]:
        """The normalised lines currently flagged for an outlet, most frequent first."""
        stats = self._outlets.get(_outlet_key(outlet))
        if stats is None:
            return []
        threshold = self._threshold(stats)
        if threshold is None:
            return []
        hits = [(n, key) for key, n in stats.lines.items() if n >= threshold]
        return [key for _, key in sorted(hits, key=lambda hit: (-hit[0], hit[1]))]

    def articles_seen(self, outlet: str) -> int:
        """How many distinct articles of this outlet have been observed."""
        stats = self._outlets.get(_outlet_key(outlet))
        return len(stats.articles) if stats else 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot for the store."""
        return {
            "version": FORMAT_VERSION,
            "min_articles": self.min_articles,
            "min_fraction": self.min_fraction,
            "outlets": {
                name: {
                    "articles": sorted(stats.articles),
                    "lines": dict(sorted(stats.lines.items())),
                }
                for name, stats in sorted(self._outlets.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutletLineFilter:
        """Rebuild from `to_dict` output; DataError if the snapshot is malformed."""
        try:
            if data.get("version") != FORMAT_VERSION:
                raise ValueError(f"unknown version {data.get('version')!r}")
            made = cls(
                min_articles=int(data["min_articles"]), min_fraction=float(data["min_fraction"])
            )
            for name, entry in dict(data["outlets"]).items():
                articles = {str(a) for a in entry["articles"]}
                lines = {str(k): int(n) for k, n in dict(entry["lines"]).items()}
                if any(n < 1 or n > len(articles) for n in lines.values()):
                    raise ValueError(f"outlet {name!r}: a line count exceeds its article count")
                made._outlets[_outlet_key(str(name))] = _OutletStats(articles, lines)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(
                f"malformed outlet filter snapshot: {exc}",
                subject="outlet line filter",
                fix="delete the stored snapshot; it is rebuilt from newly ingested articles",
            ) from None
        return made

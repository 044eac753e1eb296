"""Re-clean stored articles with what the outlet filter has learned since they were stored."""

from __future__ import annotations

from dataclasses import replace

from westminster.clean.outlet_filter import OutletLineFilter
from westminster.models import Article, RemovedLine
from westminster.store import Store


def learned_reason(outlet: str) -> str:
    """The reason shown for a line the outlet filter removed (as cleaning words it)."""
    return f"learned boilerplate for outlet {outlet}"


def strip_learned(article: Article, outlet_filter: OutletLineFilter) -> Article | None:
    """The article without the lines its outlet's filter now flags, or None if none are."""
    outlet = article.outlet
    if not outlet or not outlet_filter.learned(outlet):
        return None
    kept: list[str] = []
    dropped: list[RemovedLine] = []
    for line in article.text.split("\n"):
        if line.strip() and outlet_filter.is_boilerplate(outlet, line.strip()):
            dropped.append(RemovedLine(line.strip(), learned_reason(outlet)))
        else:
            kept.append(line)
    if not dropped or not any(line.strip() for line in kept):
        return None  # nothing learned applies, or the article would be left with no text
    return replace(
        article, text="\n".join(kept).strip("\n"), removed=article.removed + tuple(dropped)
    )


def reclean(store: Store, outlet_filter: OutletLineFilter) -> int:
    """Store a new version of every article that still holds learned boilerplate; the count."""
    changed = 0
    # Listed first: the loop writes new versions while it walks the articles.
    for stored in list(store.iter_articles()):
        cleaner = strip_learned(stored.article, outlet_filter)
        if cleaner is None:
            continue
        store.put_article(cleaner, raw_sha256=stored.raw_sha256, fetched_at=stored.fetched_at)
        changed += 1
    return changed

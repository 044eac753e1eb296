"""Canonical entity keys ("person:keir-starmer"): one spelling for analysis, store, web and mail."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII slug for keys: "Volodymyr Zelensky" -> "volodymyr-zelensky".

    ASCII after NFKD first, then lower case: casefolding first would spell "Weiß" "weiss"
    where every stored key says "wei".
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def entity_key(kind: str, name: str) -> str:
    """Cross-article key: "person:keir-starmer"."""
    return f"{kind}:{slugify(name)}"

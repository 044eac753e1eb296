"""User search text to full-text queries: words and "quoted phrases", all of which must match."""

from __future__ import annotations

import re

from westminster.store.base import StoreError

# Marks around matched words in snippets, the same for both backends; renderers escape the
# snippet text first and then turn the marks into highlighting.
SNIPPET_START = "["
SNIPPET_END = "]"
# Words of context in a snippet (FTS5 counts tokens; PostgreSQL's MaxWords counts words).
SNIPPET_WORDS = 24

_TERMS = re.compile(r'"([^"]*)"|(\w+)')
_WORD = re.compile(r"\w+")


def query_terms(query: str) -> list[str]:
    """Words and phrases of a query, each phrase reduced to its words; an empty query is refused."""
    terms: list[str] = []
    for phrase, word in _TERMS.findall(query):
        words = _WORD.findall(phrase or word)
        if words:
            terms.append(" ".join(words))
    if not terms:
        raise StoreError("the search query has no words", subject=repr(query))
    return terms


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression: every term quoted (so no word is read as an operator), ANDed."""
    return " ".join(f'"{term}"' for term in query_terms(query))

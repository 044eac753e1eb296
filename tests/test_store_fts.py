"""Search text to full-text queries: words and phrases, never operators."""

from __future__ import annotations

import pytest

from westminster.store import StoreError
from westminster.store.fts import fts5_query, query_terms


def test_words_and_phrases() -> None:
    assert query_terms('Storm Shadow "prime minister"') == ["Storm", "Shadow", "prime minister"]
    assert query_terms('"tuition-fees" vote') == ["tuition fees", "vote"]


def test_operators_are_plain_words() -> None:
    # FTS5 would read NOT, OR, NEAR, * and column filters as syntax; quoting makes them words.
    assert fts5_query("Labour OR NOT title:Tories*") == '"Labour" "OR" "NOT" "title" "Tories"'


def test_empty_query_is_refused() -> None:
    with pytest.raises(StoreError, match="no words"):
        query_terms('"" -- !')

"""Search over headline, text and quotes: words someone is quoted saying count for more."""

from __future__ import annotations

from tests.test_store_backends import make_analysis, make_article
from westminster.store import Store


def test_a_word_in_a_quote_ranks_above_the_same_word_in_the_body(store: Store) -> None:
    said = make_article(
        title="Council meeting",
        text="Sir Keir spoke first.\nThe railway will reopen next spring, he said.\nEnd.",
        url="https://example.org/quoted",
    )
    reported = make_article(
        title="Council meeting",
        text="Sir Keir spoke first.\nNext spring, the railway will reopen, it says.\nEnd.",
        url="https://example.org/reported",
    )
    quoted_id = store.put_article(said).article_id
    store.put_analysis(quoted_id, make_analysis(said))  # the second line is Sir Keir's quote
    reported_id = store.put_article(reported).article_id
    hits = store.search("railway")
    assert [h.id for h in hits] == [quoted_id, reported_id]
    assert hits[0].rank > hits[1].rank

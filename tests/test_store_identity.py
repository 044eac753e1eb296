"""Article ids: the same page gets the same id however it is reached; changes are detected."""

from __future__ import annotations

from westminster.models import Article
from westminster.store.identity import article_id, canonical_url, content_sha256


def test_canonical_url_drops_what_does_not_name_the_page() -> None:
    assert (
        canonical_url("HTTPS://Example.ORG:443/news/story/?utm_source=rss&b=2&a=1#comments")
        == "https://example.org/news/story?a=1&b=2"
    )
    assert canonical_url("http://example.org:8080") == "http://example.org:8080/"
    assert canonical_url("https://x.test/a?fbclid=1") == canonical_url("https://x.test/a")
    assert canonical_url("https://x.test/a?id=1") != canonical_url("https://x.test/a?id=2")


def test_article_id_prefers_url_then_path_then_text() -> None:
    article = Article(title="T", text="Body text.", url="https://x.test/a", path="/p/a.txt")
    same_url = Article(title="Other", text="Other body.", url="https://x.test/a/#top")
    assert article_id(article) == article_id(same_url)
    by_path = Article(title="T", text="Body text.", path="/p/a.txt")
    by_text = Article(title="T", text="Body text.")
    spaced = Article(title="t", text="Body   TEXT.")
    assert len({article_id(article), article_id(by_path), article_id(by_text)}) == 3
    assert article_id(by_text) == article_id(spaced)
    assert all(len(article_id(a)) == 64 for a in (article, by_path, by_text))


def test_content_hash_sees_any_change_in_title_or_text() -> None:
    article = Article(title="T", text="Body text.", url="https://x.test/a")
    assert content_sha256(article) == content_sha256(Article(title="T", text="Body text."))
    assert content_sha256(article) != content_sha256(Article(title="T2", text="Body text."))
    assert content_sha256(article) != content_sha256(Article(title="T", text="Body text. "))

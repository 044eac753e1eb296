"""The store's behaviour, the same suite run against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from types import ModuleType

import pytest

from westminster.models import (
    Analysis,
    Article,
    Entity,
    Evidence,
    Figure,
    Mention,
    Quote,
    QuoteSpeaker,
    Rejection,
    RemovedLine,
    Span,
    Topic,
    Unresolved,
)
from westminster.store import Store, StoreError, open_store


def _span(text: str, part: str, start_at: int = 0) -> tuple[int, int]:
    start = text.index(part, start_at)
    return start, start + len(part)


def make_article(
    title: str = "Starmer and Biden discuss Storm Shadow missiles",
    text: str = (
        "Sir Keir Starmer met Joe Biden in Washington.\n"
        "The prime minister said Britain would give £600 million to Ukraine this year.\n"
        "Subscribe To Our Free Westminster Update Email"
    ),
    **fields: object,
) -> Article:
    """A small article; keyword fields override its metadata."""
    base = Article(
        title=title,
        text=text,
        published=date(2024, 9, 13),
        outlet="Westminster Insider",
        author="A Reporter",
        url="https://example.org/news/storm-shadow",
        removed=(RemovedLine("Advertisement", "boilerplate"),),
        published_source="page",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def make_analysis(article: Article, *, speaker: str = "Keir Starmer") -> Analysis:
    """An analysis built by hand (no spaCy): two people, a quote, a figure, topics."""
    text = article.text
    first = text.split(" ", 1)[0]
    s0, s1 = _span(text, first)
    b0, b1 = _span(text, "Washington") if "Washington" in text else (0, 1)
    key = "person:" + speaker.lower().replace(" ", "-")
    speaker_entity = Entity(
        id="e1",
        name=speaker,
        kind="person",
        aliases=(text[s0:s1],),
        mentions=(
            Mention(s0, s1, text[s0:s1]),
            Mention(s0, s1, text[s0:s1], evidence=Evidence("office-holder-on-date", "PM")),
        ),
        key=key,
        offices=("uk-prime-minister",),
    )
    place = Entity(id="e2", name="Washington", kind="place", mentions=(Mention(b0, b1, "x"),))
    second = text.split("\n")[1] if "\n" in text else text
    q0, q1 = _span(text, second)
    quote = Quote(
        start=q0,
        end=q1,
        text=second,
        kind="indirect",
        speaker=QuoteSpeaker(s0, s1, text[s0:s1], name=speaker, entity_id="e1"),
        cue=Span(q0, q0 + 3, text[q0 : q0 + 3]),
        normalised=second.lower(),
        fingerprint="f" + str(len(second)),
    )
    figure = Figure(start=q0, end=q0 + 4, text="£600", kind="money", value=6e8, unit="GBP")
    return Analysis(
        article=article,
        entities=(speaker_entity, place),
        quotes=(quote,),
        figures=(figure,),
        topics=(Topic("defence", 0.8123456789, ("missiles",)), Topic("foreign affairs", 0.25)),
        keyphrases=("Storm Shadow", "Ukraine"),
        summary="Starmer met Biden.",
        unresolved=(Unresolved(0, 3, "The", "no antecedent", ("e1", "e2")),),
    )


def test_migrate_is_idempotent_and_recorded(store_url: str) -> None:
    first = open_store(store_url, migrate=False)
    applied = first.migrate()
    assert applied and applied == sorted(applied) and applied[0] == 1
    assert first.migrate() == []
    first.close()
    again = open_store(store_url)  # opening migrates; nothing is left to apply
    assert again.migrate() == []
    assert again.applied_migrations() == applied  # type: ignore[attr-defined]
    again.close()


def test_put_get_round_trip_with_analysis(store: Store) -> None:
    article = make_article()
    fetched = datetime(2024, 9, 13, 8, 30, tzinfo=UTC)
    put = store.put_article(article, raw_sha256="ab" * 32, fetched_at=fetched)
    assert put.status == "new" and put.version == 1 and len(put.article_id) == 64
    analysis = make_analysis(article)
    store.put_analysis(put.article_id, analysis)

    got = store.get_article(put.article_id)
    assert got.article == article
    assert got.analysis == analysis
    assert got.raw_sha256 == "ab" * 32 and got.fetched_at == fetched
    assert got.version == 1 and got.duplicate_of is None and got.rewrite_of is None


def test_same_text_again_changes_nothing(store: Store) -> None:
    article = make_article()
    first = store.put_article(article)
    store.put_analysis(first.article_id, make_analysis(article))
    before = store.get_article(first.article_id)
    # The same page again, reached through a tracking link, with another fetch time.
    again = store.put_article(
        replace(article, url=f"{article.url}?utm_source=feed"), fetched_at=datetime.now(UTC)
    )
    store.put_analysis(first.article_id, make_analysis(article))
    assert again.article_id == first.article_id
    assert again.status == "unchanged" and again.version == 1
    assert store.get_article(first.article_id) == before
    assert len(store.article_versions(first.article_id)) == 1


def test_changed_text_makes_a_new_version(store: Store) -> None:
    article = make_article()
    put = store.put_article(article)
    store.put_analysis(put.article_id, make_analysis(article))
    changed = replace(article, text=article.text.replace("£600 million", "£650 million"))
    second = store.put_article(changed, raw_sha256="cd" * 32)
    assert second.article_id == put.article_id
    assert (second.status, second.version) == ("updated", 2)
    got = store.get_article(put.article_id)
    assert got.article.text == changed.text and got.version == 2
    assert got.analysis is None  # the old analysis described the old text
    versions = store.article_versions(put.article_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].text == article.text and versions[1].text == changed.text
    assert versions[1].raw_sha256 == "cd" * 32
    # An analysis of the old text is refused for the new version.
    with pytest.raises(StoreError, match="different text"):
        store.put_analysis(put.article_id, make_analysis(article))


def test_ids_come_from_url_else_path_else_text(store: Store) -> None:
    by_url = store.put_article(make_article())
    by_path = store.put_article(make_article(url=None, path="/data/a.txt"))
    by_text = store.put_article(make_article(url=None, path=None))
    same_text = store.put_article(
        make_article(url=None, path=None, text=make_article().text.replace(" ", "  "))
    )
    assert len({by_url.article_id, by_path.article_id, by_text.article_id}) == 3
    assert same_text.article_id == by_text.article_id  # whitespace is normalised for the id
    assert same_text.status == "updated"  # but the stored text did change


def test_unknown_article_is_a_clear_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no such article") as caught:
        store.get_article("nope")
    assert caught.value.code == "W500" and "nope" in str(caught.value)
    with pytest.raises(StoreError, match="no such article"):
        store.put_analysis("nope", make_analysis(make_article()))


def _corpus(store: Store) -> dict[str, str]:
    """Four articles over two outlets and two months; returns ids by a short name."""
    ids = {}
    headline = make_article()  # Storm Shadow in the headline
    ids["headline"] = store.put_article(headline).article_id
    store.put_analysis(ids["headline"], make_analysis(headline))
    body = make_article(
        title="Ukraine talks continue",
        text="Joe Biden spoke at length.\nOfficials said Storm Shadow was not discussed.",
        outlet="BBC",
        published=date(2024, 9, 20),
        url="https://bbc.example/ukraine",
    )
    ids["body"] = store.put_article(body).article_id
    store.put_analysis(ids["body"], make_analysis(body, speaker="Joe Biden"))
    budget = make_article(
        title="Reeves sets out the budget",
        text="Rachel Reeves raised taxes by £40 billion.\nShe said it was the right choice.",
        outlet="BBC",
        published=date(2024, 10, 30),
        url="https://bbc.example/budget",
    )
    ids["budget"] = store.put_article(budget).article_id
    analysis = make_analysis(budget, speaker="Rachel Reeves")
    store.put_analysis(ids["budget"], replace(analysis, topics=(Topic("economy", 0.9),)))
    ids["undated"] = store.put_article(
        make_article(title="Missiles", text="Storm Shadow missiles.", published=None, url="u:4")
    ).article_id
    return ids


def test_search_ranks_headline_matches_first(store: Store) -> None:
    ids = _corpus(store)
    hits = store.search("storm shadow")
    assert {h.id for h in hits} == {ids["headline"], ids["body"], ids["undated"]}
    order = [h.id for h in hits]
    assert order.index(ids["headline"]) < order.index(ids["body"])  # the headline counts most
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    top = next(h for h in hits if h.id == ids["headline"])
    assert top.outlet == "Westminster Insider" and top.published == date(2024, 9, 13)
    body = next(h for h in hits if h.id == ids["body"])
    assert "[Storm]" in body.snippet or "[Storm Shadow]" in body.snippet
    # Stemming: "missile" finds "missiles"; every word must match; a phrase keeps its order.
    assert {h.id for h in store.search("missile")} == {ids["headline"], ids["undated"]}
    assert store.search("storm budget") == []
    assert store.search('"shadow storm"') == []
    assert len(store.search("storm shadow", limit=1)) == 1


def test_search_filters(store: Store) -> None:
    ids = _corpus(store)

    def found(**filters: object) -> set[str]:
        return {h.id for h in store.search("said", **filters)}  # type: ignore[arg-type]

    assert found() == {ids["headline"], ids["body"], ids["budget"]}
    assert found(outlet="bbc") == {ids["body"], ids["budget"]}
    assert found(since=date(2024, 9, 14)) == {ids["body"], ids["budget"]}
    assert found(until=date(2024, 9, 20)) == {ids["headline"], ids["body"]}
    assert found(since=date(2024, 9, 14), until=date(2024, 9, 30)) == {ids["body"]}
    assert found(person="person:rachel-reeves") == {ids["budget"]}
    assert found(person="joe biden") == {ids["body"]}
    assert found(topic="Defence") == {ids["headline"], ids["body"]}
    assert found(topic="economy", outlet="BBC") == {ids["budget"]}
    assert found(topic="economy", outlet="Westminster Insider") == set()
    with pytest.raises(StoreError, match="no words"):
        store.search(" !? ")


def _search_module(store: Store) -> ModuleType:
    """The backend module whose SEARCH_CANDIDATES caps the store's search."""
    return sys.modules[type(store).search.__module__]


def test_search_ranks_only_the_newest_matches_of_a_common_query(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The oldest article is the best match (the word in its headline); the newer two mention it
    # in passing. With room for every match it comes first; with a cap of two candidates only
    # the two most recently stored matches are ranked (the documented trade-off for queries
    # matching a large share of the store).
    texts = [("Budget day", "The budget."), ("Markets", "A budget note."), ("Ports", "Budget.")]
    ids = [
        store.put_article(make_article(title=t, text=x, url=f"u:{i}")).article_id
        for i, (t, x) in enumerate(texts)
    ]
    backend = _search_module(store)
    monkeypatch.setattr(backend, "SEARCH_CANDIDATES", len(ids))
    assert store.search("budget")[0].id == ids[0]
    monkeypatch.setattr(backend, "SEARCH_CANDIDATES", 2)
    assert {h.id for h in store.search("budget")} == {ids[1], ids[2]}
    # The cap counts matches left after the filters, not all matches.
    store.put_article(make_article(title="Budget", text="Budget.", url="u:9", outlet="BBC"))
    assert {h.id for h in store.search("budget", outlet="Westminster Insider")} == {
        ids[1],
        ids[2],
    }


def test_search_finds_an_old_phrase_past_newer_word_matches(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the oldest article holds the phrase; the newer one has both words apart. A full set
    # of candidates without the phrase must not hide it.
    old = store.put_article(make_article(title="Storm Shadow", text="Storm Shadow.", url="u:1"))
    store.put_article(make_article(title="Shadow", text="A storm.", url="u:2"))
    monkeypatch.setattr(_search_module(store), "SEARCH_CANDIDATES", 1)
    assert [h.id for h in store.search('"storm shadow"')] == [old.article_id]


def test_quotes_by_speaker_and_words(store: Store) -> None:
    ids = _corpus(store)
    by_key = store.quotes_by("person:keir-starmer")
    assert [q.article_id for q in by_key] == [ids["headline"]]
    assert by_key[0].speaker_name == "Keir Starmer" and "£600 million" in by_key[0].text
    assert by_key[0].kind == "indirect" and by_key[0].outlet == "Westminster Insider"
    assert [q.article_id for q in store.quotes_by("rachel reeves")] == [ids["budget"]]
    assert [q.article_id for q in store.quotes_by("Joe Biden", "storm")] == [ids["body"]]
    assert store.quotes_by("Joe Biden", "budget") == []
    assert store.quotes_by("nobody") == []


def test_links_between_copies(store: Store) -> None:
    ids = _corpus(store)
    store.link_duplicate(ids["undated"], ids["headline"], "duplicate")
    store.link_duplicate(ids["body"], ids["headline"], "rewrite")
    store.link_duplicate(ids["body"], ids["headline"], "rewrite")  # again: no change
    assert store.get_article(ids["undated"]).duplicate_of == ids["headline"]
    body = store.get_article(ids["body"])
    assert body.rewrite_of == ids["headline"] and body.duplicate_of is None
    with pytest.raises(StoreError, match="loop"):
        store.link_duplicate(ids["headline"], ids["undated"], "duplicate")
    with pytest.raises(StoreError, match="itself"):
        store.link_duplicate(ids["budget"], ids["budget"], "duplicate")
    with pytest.raises(StoreError, match="link kind"):
        store.link_duplicate(ids["budget"], ids["body"], "copy")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no such article"):
        store.link_duplicate(ids["budget"], "missing", "duplicate")


def test_runs_and_rejections_are_recorded(store: Store) -> None:
    run = store.start_run("ingest")
    other = store.start_run("ingest")
    assert run != other
    assert store.get_run(run).finished_at is None
    bad = Rejection(stage="fetch", code="W110", detail="HTTP 404", input="https://x.test/a")
    store.record_rejection(run, bad)
    store.record_rejection(run, bad)  # the same rejection in the same run is kept once
    store.record_rejection(other, bad)
    store.finish_run(run, {"new": 3, "rejected": 1})
    record = store.get_run(run)
    assert record.kind == "ingest" and dict(record.counts) == {"new": 3, "rejected": 1}
    assert record.finished_at is not None and record.finished_at >= record.started_at
    assert [r.rejection for r in store.rejections(run)] == [bad]
    assert len(store.rejections()) == 2
    with pytest.raises(StoreError, match="no such run"):
        store.record_rejection(999_999, bad)
    with pytest.raises(StoreError, match="no such run"):
        store.finish_run(999_999, {})
    with pytest.raises(StoreError, match="not an integer"):
        store.finish_run(run, {"new": "3"})  # type: ignore[dict-item]


def test_outlet_lines_for_the_boilerplate_filter(store: Store) -> None:
    ids = _corpus(store)
    lines = dict(store.iter_outlet_lines("bbc"))
    assert set(lines) == {ids["body"], ids["budget"]}
    assert lines[ids["budget"]] == [
        "Rachel Reeves raised taxes by £40 billion.",
        "She said it was the right choice.",
    ]
    assert list(store.iter_outlet_lines("Nobody")) == []


def test_iter_articles_in_stored_order_with_links_and_analysis(store: Store) -> None:
    first = make_article()
    second = make_article(url="https://example.org/news/copy", title="A copy")
    third = make_article(url="https://example.org/news/third", title="Third", text="Other text.")
    ids = [store.put_article(a).article_id for a in (first, second, third)]
    store.put_analysis(ids[0], make_analysis(first))
    store.link_duplicate(ids[1], ids[0], "duplicate")
    listed = list(store.iter_articles())
    assert [s.id for s in listed] == ids
    assert listed[0].analysis is not None and listed[0].analysis.article == first
    assert listed[1].duplicate_of == ids[0] and listed[1].analysis is None
    assert listed[2].article == third
    assert listed[0] == store.get_article(ids[0])


def test_archive_records_marked_as_stored(store: Store) -> None:
    aid = store.put_article(make_article()).article_id
    assert store.stored_records("/data/a.warc.gz") == set()
    store.mark_records("/data/a.warc.gz", [("<urn:uuid:1>", aid), ("<urn:uuid:2>", aid)])
    store.mark_records("/data/a.warc.gz", [("<urn:uuid:1>", aid)])  # again: no change
    store.mark_records("/data/a.warc.gz", [])
    assert store.stored_records("/data/a.warc.gz") == {"<urn:uuid:1>", "<urn:uuid:2>"}
    assert store.stored_records("/data/b.warc.gz") == set()


def test_fetch_validators_are_remembered_and_replaced(store: Store) -> None:
    url = "https://example.org/news/storm-shadow"
    assert store.get_validators(url) is None
    store.put_validators(url, '"v1"', "Fri, 13 Sep 2024 10:00:00 GMT")
    assert store.get_validators(url) == ('"v1"', "Fri, 13 Sep 2024 10:00:00 GMT")
    store.put_validators(url, None, "Sat, 14 Sep 2024 08:00:00 GMT")  # a later 200 replaces
    assert store.get_validators(url) == (None, "Sat, 14 Sep 2024 08:00:00 GMT")
    store.put_validators("https://example.org/other", '"w"', None)
    assert store.get_validators("https://example.org/other") == ('"w"', None)
    assert store.get_validators(url) == (None, "Sat, 14 Sep 2024 08:00:00 GMT")


def test_dedupe_states_are_kept_replaced_and_listed_in_article_order(store: Store) -> None:
    ids = [
        store.put_article(
            make_article(url=f"https://example.org/news/{n}", title=f"T{n}")
        ).article_id
        for n in range(3)
    ]
    assert list(store.iter_dedupe_states()) == []
    store.put_dedupe_state(ids[2], b"\x00third")
    store.put_dedupe_state(ids[0], b"first\xff")
    store.put_dedupe_state(ids[0], b"first again")  # replaced, not doubled
    # In the articles' stored order (that of iter_articles), whatever the order written.
    assert list(store.iter_dedupe_states()) == [(ids[0], b"first again"), (ids[2], b"\x00third")]
    with pytest.raises(StoreError, match="no such article"):
        store.put_dedupe_state("no-such-id", b"x")

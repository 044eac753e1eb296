"""DuplicateIndex: exact copies, near copies, rewrites, originals by date, bounded lookups."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SEED
from westminster.dedupe import DuplicateIndex
from westminster.dedupe.index import POSTINGS_PER_KEY
from westminster.errors import DataError, InputError
from westminster.models import Analysis, Article, Entity, Figure

PROMO = re.compile(r"^(Get Expert Analysis|Subscribe) ")


def _seed() -> Article:
    title, _, body = Path(SEED).read_text(encoding="utf-8").partition("\n")
    lines = [line for line in body.splitlines() if line.strip() and not PROMO.match(line)]
    return Article(title=title, text="\n".join(lines), published=date(2024, 9, 13))


# A hand-written rewrite of the seed's opening, as another outlet would paraphrase it: same
# people, same figure (155 miles), sentences recast in other words and order.
REWRITE = Article(
    title="Putin warns of war with Nato as Starmer flies to meet Biden",
    text="\n".join(
        [
            "Vladimir Putin has warned that Russia would be at war with Nato if the West lets "
            "Ukraine fire long-range Storm Shadow missiles, as Sir Keir Starmer flew to "
            "Washington DC for talks with Joe Biden.",
            "The prime minister and the US president are believed to be close to letting Kyiv "
            "use the Western missiles in a fresh offensive against Russia.",
            "Speaking to Russian state television, Mr Putin said the question was whether Nato "
            "countries were directly taking part in the military conflict.",
            "On the plane, Sir Keir told reporters that Russia started the conflict, was acting "
            "illegally and that Ukraine naturally had the right to defend itself.",
            "Foreign Secretary David Lammy and US Secretary of State Antony Blinken travelled to "
            "Kyiv this week and met President Volodymyr Zelensky about permission to use the "
            "missiles, which can travel up to 155 miles, against Mr Putin's forces.",
        ]
    ),
    published=date(2024, 9, 14),
)


def _other(n: int) -> Article:
    # Unrelated filler stories: distinct words so that nothing links them.
    words = " ".join(f"w{n}x{i}" for i in range(40))
    return Article(
        title=f"Story {n}", text=f"Council {n} reported {words}.", published=date(2024, 9, 1)
    )


def test_exact_copy_is_a_duplicate_of_the_first_and_readding_changes_nothing() -> None:
    index = DuplicateIndex()
    seed = _seed()
    assert index.add("a", seed).kind == "new"
    verdict = index.add("b", replace(seed, outlet="Other", text=seed.text.replace("\u201c", '"')))
    assert (verdict.kind, verdict.of, verdict.score) == ("duplicate", "a", 1.0)
    assert index.add("b", seed) == verdict  # the same id again: same verdict, nothing added
    assert len(index) == 2


def test_syndicated_copy_with_new_headline_and_dropped_paragraph_is_near_duplicate() -> None:
    index = DuplicateIndex()
    seed = _seed()
    index.add("a", seed)
    paragraphs = seed.paragraphs
    copy = replace(
        seed,
        title="UPDATE 1-Starmer in Washington",
        text="\n".join([*paragraphs[:3], *paragraphs[4:], "Copyright PA. All rights reserved."]),
    )
    verdict = index.add("b", copy)
    assert verdict.kind == "near_duplicate" and verdict.of == "a"
    assert 0.5 <= verdict.score < 1.0


def test_paraphrased_rewrite_is_a_rewrite_pointing_at_the_original() -> None:
    index = DuplicateIndex()
    for n in range(5):
        index.add(f"filler{n}", _other(n))
    seed = _seed()
    index.add("original", seed)
    verdict = index.add("rewrite", REWRITE)
    assert verdict.kind == "rewrite" and verdict.of == "original"
    assert "blinken" in verdict.evidence and "sentence similarity" in verdict.evidence
    assert index.add("unrelated", _other(99)).kind == "new"


def test_analysis_keys_confirm_a_rewrite_when_both_sides_are_analysed() -> None:
    seed = _seed()
    rewrite = REWRITE
    people = (
        Entity("e1", "Keir Starmer", "person", key="person:keir-starmer"),
        Entity("e2", "Vladimir Putin", "person", key="person:vladimir-putin"),
    )
    money = (Figure(0, 0, "155 miles", kind="quantity", value=155.0, unit="mile"),)
    index = DuplicateIndex()
    index.add("original", seed, Analysis(seed, entities=people, figures=money))
    verdict = index.add("rewrite", rewrite, Analysis(rewrite, entities=people, figures=money))
    assert verdict.kind == "rewrite" and "keir-starmer" in verdict.evidence


def test_an_earlier_published_late_arrival_becomes_the_original() -> None:
    index = DuplicateIndex()
    seed = _seed()
    index.add("later", seed)
    index.add("copy", replace(seed, published=date(2024, 9, 15)))
    earlier = replace(seed, title="Starmer to Washington", published=date(2024, 9, 12))
    verdict = index.add("earliest", earlier)
    assert verdict.kind == "new" and verdict.of is None
    assert dict(verdict.displaced) == {"later": "near_duplicate", "copy": "duplicate"}
    assert index.original("later") == index.original("copy") == "earliest"
    assert index.add("copy", seed).of == "earliest"  # the stored verdict was relinked


def test_empty_article_is_an_input_error_naming_it() -> None:
    with pytest.raises(InputError, match="empty-1"):
        DuplicateIndex().add("empty-1", Article(title="T", text="  \n"))


def test_posting_lists_are_bounded_whatever_the_archive_size() -> None:
    index = DuplicateIndex()
    shared = "Westminster"  # one name in every article: its posting list must stay capped
    for n in range(POSTINGS_PER_KEY + 50):
        words = " ".join(f"w{n}x{i}" for i in range(12))
        index.add(str(n), Article(title=f"T{n}", text=f"Today in {shared} {words}."))
    assert max(len(p) for p in index._postings.values()) == POSTINGS_PER_KEY


# A second, shorter paraphrase of the same story, with most sentences from REWRITE reworded.
REWORDED = Article(
    title="Starmer in Washington as Putin threatens Nato over Storm Shadow",
    text="\n".join(
        [
            "Sir Keir Starmer flew to Washington DC for talks with Joe Biden after Vladimir "
            "Putin warned Russia would be at war with Nato if Ukraine fired Storm Shadow "
            "missiles deep into Russia.",
            "The prime minister and the US president are thought to be close to letting Kyiv "
            "use the Western missiles against Russia.",
            "David Lammy and Antony Blinken were in Kyiv this week, where they met President "
            "Volodymyr Zelensky about the missiles, which can travel up to 155 miles.",
        ]
    ),
    published=date(2024, 9, 17),
)


def _history() -> list[tuple[str, Article, Analysis | None]]:
    """Articles whose verdicts cover every kind, a displaced group and an analysed pair."""
    seed = _seed()
    people = (Entity("e1", "Keir Starmer", "person", key="person:keir-starmer"),)
    copy = replace(seed, outlet="Other", published=date(2024, 9, 15))
    near = replace(seed, title="UPDATE 1-Starmer", text="\n".join(seed.paragraphs[1:]))
    return [
        *((f"filler{n}", _other(n), None) for n in range(4)),
        ("seed", seed, Analysis(seed, entities=people)),
        ("copy", copy, None),
        ("near", near, None),
        ("rewrite", REWRITE, Analysis(REWRITE, entities=people)),
        ("earliest", replace(seed, title="Starmer flies out", published=date(2024, 9, 12)), None),
    ]


def test_restored_index_gives_the_verdicts_of_a_full_rebuild(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = DuplicateIndex()
    verdicts = built.add_many(_history())
    assert {v.kind for v in verdicts} >= {"new", "duplicate", "near_duplicate", "rewrite"}
    assert verdicts[-1].displaced  # the late, earlier-published article took over the group
    states = [(aid, built.export_entry(aid)) for aid, _, _ in _history()]

    # Restoring reads no text: the feature extractor is not called at all.
    def no_text(*_: object) -> None:
        raise AssertionError("restore recomputed text features")

    with monkeypatch.context() as patched:
        patched.setattr("westminster.dedupe.index.build_features", no_text)
        restored = DuplicateIndex()
        assert [restored.restore_entry(aid, state) for aid, state in states] == verdicts
    assert len(restored) == len(built)
    assert all(restored.original(aid) == built.original(aid) for aid, _ in states)

    seed = _seed()
    later = [
        ("again", replace(seed, outlet="Third", published=date(2024, 9, 16)), None),
        ("near2", replace(seed, text="\n".join(seed.paragraphs[:-1])), None),
        ("rewrite2", REWORDED, None),
        ("first-ever", replace(seed, title="Starmer plans", published=date(2024, 9, 10)), None),
        ("unrelated", _other(42), None),
    ]
    after_build = built.add_many(later)
    assert after_build == restored.add_many(later)
    assert {v.kind for v in after_build} >= {"duplicate", "near_duplicate", "rewrite", "new"}


def test_export_needs_an_indexed_article_and_restore_refuses_bad_states() -> None:
    built = DuplicateIndex()
    built.add_many(_history())
    with pytest.raises(InputError, match="not-there"):
        built.export_entry("not-there")
    fresh = DuplicateIndex()
    with pytest.raises(DataError, match="copy: its original seed is not in the duplicate index"):
        fresh.restore_entry("copy", built.export_entry("copy"))
    with pytest.raises(DataError, match="filler0: state has 128 MinHash values, the index 64"):
        DuplicateIndex(num_perm=64).restore_entry("filler0", built.export_entry("filler0"))
    assert len(fresh) == 0  # a refused state leaves nothing half added
    assert fresh.restore_entry("seed", built.export_entry("seed")).kind == "new"

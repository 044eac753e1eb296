"""dedupe.features: what is kept of an article, with and without an analysis."""

from __future__ import annotations

from westminster.dedupe.features import ENTITY, FIGURE, NAME, NUMBER, build_features
from westminster.models import Analysis, Article, Entity, Figure

ARTICLE = Article(
    title="Starmer meets Biden",
    text="The prime minister met Joe Biden in Washington. They discussed £600 million of aid.\n"
    "Short line.",
)


def test_text_only_features_have_names_numbers_and_long_sentences() -> None:
    features = build_features(ARTICLE)
    assert not features.analysed
    assert {NAME + "biden", NAME + "washington", NUMBER + "6e+08"} <= features.keys
    assert not features.keys_with(ENTITY)
    assert len(features.sentences) == 2  # "Short line." is under the minimum sentence length
    assert "joe biden in" in features.shingles


def test_analysis_adds_entity_keys_and_figure_keys_but_not_dates() -> None:
    analysis = Analysis(
        ARTICLE,
        entities=(Entity("e1", "Joe Biden", "person", key="person:joe-biden"),),
        figures=(
            Figure(0, 0, "£600 million", kind="money", value=6e8, unit="GBP"),
            Figure(0, 0, "13 September", kind="date", value="2024-09-13"),
        ),
    )
    features = build_features(ARTICLE, analysis)
    assert features.analysed
    assert features.keys_with(ENTITY) == {ENTITY + "person:joe-biden"}
    assert features.keys_with(FIGURE) == {FIGURE + "money:6e+08:GBP"}
    assert features.exact == build_features(ARTICLE).exact

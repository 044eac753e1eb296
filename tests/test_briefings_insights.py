"""Insights on one subject: quote history, figures beside the subject, company, coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.briefings_support import NOW
from westminster.briefings import Subject, SubjectArticle, insights_briefing, period_of_days
from westminster.briefings.insights import topic_quotes
from westminster.models import (
    Analysis,
    Article,
    BriefingQuote,
    Entity,
    Figure,
    Mention,
    Quote,
    QuoteSpeaker,
    SourceRef,
    Topic,
)

PERIOD = period_of_days(date(2024, 9, 10), date(2024, 9, 13))
STARMER = Subject("person", "person:keir-starmer", "Keir Starmer")
LAST = datetime(2024, 9, 12, 12, 0, tzinfo=UTC)


def _entity(eid: str, name: str, text: str, kind: str = "person") -> Entity:
    start = text.index(name.split()[-1])
    mention = Mention(start, start + len(name.split()[-1]), name.split()[-1])
    return Entity(eid, name, kind, (name,), (mention,), f"{kind}:{name.lower().replace(' ', '-')}")


def make(
    aid: str,
    day: date,
    outlet: str,
    paragraphs: list[str],
    names: list[tuple[str, str]],
    *,
    independent: bool = True,
    first_seen: datetime = NOW,
) -> SubjectArticle:
    """An analysed article: the named entities, and every £ amount as a money figure."""
    text = "\n".join(paragraphs)
    article = Article(f"About {aid}", text, day, outlet, url=f"https://n.example/{aid}")
    entities = tuple(_entity(f"e{i}", n, text, k) for i, (n, k) in enumerate(names))
    figures = []
    at = text.find("£")
    while at >= 0:
        end = text.index(" ", at + 1) if " " in text[at + 1 :] else len(text)
        figures.append(
            Figure(at, end, text[at:end], "money", float(text[at + 1 : end].rstrip("m")), "GBP")
        )
        at = text.find("£", end)
    speaker_at = text.find("said")
    quotes = ()
    if speaker_at >= 0 and entities:
        speaker = QuoteSpeaker(0, 4, "Keir", name=entities[0].name, entity_id=entities[0].id)
        quotes = (Quote(0, speaker_at, text[:speaker_at], "direct", speaker),)
    analysis = Analysis(article, entities, quotes, tuple(figures), (Topic("defence", 0.9),))
    ref = SourceRef(aid, article.title, outlet, article.url, day)
    return SubjectArticle(ref, analysis, independent, first_seen)


ARTICLES = [
    make(
        "a1",
        date(2024, 9, 13),
        "Courier",
        [
            "Keir Starmer met Joe Biden and pledged £600m to Ukraine at Nato.",
            "Elsewhere, £5m went to roads.",
        ],
        [("Keir Starmer", "person"), ("Joe Biden", "person"), ("Nato", "organisation")],
    ),
    make(
        "a2",
        date(2024, 9, 13),
        "Herald",
        ["Keir Starmer spoke to Joe Biden.", "Nato was mentioned."],
        [("Keir Starmer", "person"), ("Joe Biden", "person")],
        first_seen=datetime(2024, 9, 12, 8, 0, tzinfo=UTC),
    ),
    make(
        "a3",
        date(2024, 9, 11),
        "Ledger",
        ["Keir Starmer and David Lammy flew to Washington with £600m in aid."],
        [("Keir Starmer", "person"), ("David Lammy", "person")],
    ),
    make(
        "copy",
        date(2024, 9, 13),
        "Wire",
        ["Keir Starmer met Joe Biden and pledged £600m to Ukraine. Copyright Wire Ltd"],
        [("Keir Starmer", "person"), ("Wire Ltd", "organisation")],
        independent=False,
    ),
]


def quote(text: str, aid: str, day: date) -> BriefingQuote:
    ref = SourceRef(aid, f"About {aid}", "Courier", None, day)
    return BriefingQuote(text, "direct", "Keir Starmer", "person:keir-starmer", ref)


def test_insights_assembles_the_subjects_record() -> None:
    quotes = [
        quote("We stand with Ukraine.", "a3", date(2024, 9, 11)),
        quote("Russia started this war.", "a1", date(2024, 9, 13)),
        quote("we STAND with Ukraine", "a2", date(2024, 9, 13)),  # the same words again
        quote("A quote from before the period.", "a0", date(2024, 9, 1)),
    ]
    b = insights_briefing(STARMER, PERIOD, ARTICLES, quotes, [], generated_at=NOW, new_since=LAST)
    assert b.kind == "insights" and b.subject == "person:keir-starmer"
    assert b.title == "Insights: Keir Starmer, 10–13 September 2024"
    assert [x.text for x in b.quote_history] == [
        "Russia started this war.",
        "we STAND with Ukraine",
    ]
    assert [x.new_since_last for x in b.quote_history] == [True, False]  # a2 stored before LAST
    # Figures beside the subject (same paragraph), once per value; copies do not count.
    assert [(f.text, f.source.article_id) for f in b.figures] == [("£600m", "a1")]
    assert b.appeared_with == (("Joe Biden", 2), ("David Lammy", 1), ("Nato", 1))
    assert [(p.day.day, p.articles, p.outlets) for p in b.coverage] == [
        (10, 0, 0),
        (11, 1, 1),
        (12, 0, 0),
        (13, 3, 2),
    ]
    assert [r.article_id for r in b.new_sources] == ["a1", "a3", "copy"]
    assert b.new_since == LAST and b.subject_kind == "person"


def test_first_insights_has_no_new_since() -> None:
    b = insights_briefing(STARMER, PERIOD, ARTICLES, [], [], generated_at=NOW, new_since=None)
    assert b.new_since is None and b.new_sources == ()
    assert b.quote_history == ()


def test_topic_insights_count_every_figure_and_speaker() -> None:
    defence = Subject("topic", "defence", "defence")
    b = insights_briefing(
        defence, PERIOD, ARTICLES, topic_quotes(ARTICLES), [], generated_at=NOW, new_since=None
    )
    assert {f.text for f in b.figures} == {"£600m", "£5m"}
    assert {name for name, _ in b.appeared_with} >= {"Keir Starmer", "Joe Biden"}
    assert all(q.speaker == "Keir Starmer" for q in b.quote_history)
    assert b.title == "Insights: defence, 10–13 September 2024"

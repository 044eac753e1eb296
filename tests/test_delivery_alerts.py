"""Alerts for immediate subscribers from stored articles and analyses: each (subscriber,
article) alerted once, copies left out (both backends, a real aiosmtpd server)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from typer.testing import CliRunner

from tests.delivery_support import Handler, body, env, settings, smtp_server
from westminster.cli.app import app
from westminster.delivery.alerts import alert_edition_id, send_alerts
from westminster.delivery.mailer import SMTPMailer
from westminster.models import Analysis, Article, Entity, Mention, Preferences, Topic
from westminster.store import Store, open_store

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _store_article(
    store: Store, n: int, title: str, people: tuple[tuple[str, str], ...], topic: str
) -> str:
    text = f"{title}. " + " ".join(name for name, _ in people) + " spoke on Tuesday."
    article = Article(
        title=title,
        text=text,
        published=date(2026, 11, 24),
        outlet="BBC News",
        url=f"https://news.example.org/{n}",
    )
    aid = store.put_article(article).article_id
    entities = tuple(
        Entity(
            id=f"e{i}",
            name=name,
            kind="person",
            key=key,
            aliases=("Sir Keir",) if key == "person:keir-starmer" else (),
            mentions=(Mention(text.index(name), text.index(name) + len(name), name),),
        )
        for i, (name, key) in enumerate(people, 1)
    )
    analysis = Analysis(
        article=article,
        entities=entities,
        topics=(Topic(topic, 0.9),),
        summary=f"{title}, the report said.",
    )
    store.put_analysis(aid, analysis)
    return aid


def test_alerts_match_people_topics_and_queries_once(store: Store) -> None:
    starmer = (("Keir Starmer", "person:keir-starmer"),)
    a1 = _store_article(store, 1, "Starmer approves Storm Shadow strikes", starmer, "defence")
    a2 = _store_article(
        store, 2, "Reeves plans budget", (("Rachel Reeves", "person:rachel-reeves"),), "economy"
    )
    copy = _store_article(store, 3, "Starmer approves Storm Shadow strike plan", starmer, "defence")
    store.link_duplicate(copy, a1, "duplicate")
    for email, prefs in (
        ("ann@example.org", Preferences(people=("Keir Starmer",), frequency="immediate")),
        ("bob@example.org", Preferences(topics=("economy",), frequency="immediate")),
        ("dan@example.org", Preferences(queries=('"storm shadow"',), frequency="immediate")),
        ("cat@example.org", Preferences(people=("Keir Starmer",))),  # daily: no alerts
        ("eve@example.org", Preferences(topics=("health",), frequency="immediate")),
        # Matched through the analysis: an alias the article used for the person.
        ("fay@example.org", Preferences(people=("Sir Keir",), frequency="immediate")),
    ):
        store.put_subscriber(email, prefs, status="active", now=NOW)
    with smtp_server() as (handler, port):
        config = settings(port)
        with SMTPMailer(config) as mailer:
            report = send_alerts(store, [a1, a2, copy], mailer=mailer, settings=config, now=NOW)
        assert report.edition == alert_edition_id([copy, a2, a1])
        assert report.sent == 4
        assert sorted(r for m in handler.messages for r in m.rcpt_tos) == [
            "ann@example.org", "bob@example.org", "dan@example.org", "fay@example.org",
        ]  # fmt: skip
        ann = body(handler.to("ann@example.org")[0].message, "plain")
        assert "Starmer approves Storm Shadow strikes" in ann
        assert "strike plan" not in ann and "Reeves" not in ann  # the copy is left out
        assert "Reeves plans budget" in body(handler.to("bob@example.org")[0].message, "plain")
        assert handler.to("ann@example.org")[0].message["List-Unsubscribe"]

        # The same articles again, with one new one: only the new one is alerted.
        a4 = _store_article(store, 4, "Starmer meets Macron", starmer, "foreign affairs")
        with SMTPMailer(config) as mailer:
            again = send_alerts(store, [a1, a2, a4], mailer=mailer, settings=config, now=NOW)
            repeat = send_alerts(store, [a1, a2, a4], mailer=mailer, settings=config, now=NOW)
        assert again.sent == 2 and repeat.sent == 0  # ann and fay
        latest = handler.to("ann@example.org")
        assert len(latest) == 2
        text = body(latest[1].message, "plain")
        assert "Starmer meets Macron" in text and "Storm Shadow" not in text
        assert len(handler.messages) == 6


def test_deferred_alert_is_sent_by_the_next_call(store: Store) -> None:
    starmer = (("Keir Starmer", "person:keir-starmer"),)
    a1 = _store_article(store, 1, "Starmer approves Storm Shadow strikes", starmer, "defence")
    a2 = _store_article(store, 2, "Starmer meets Macron", starmer, "foreign affairs")
    prefs = Preferences(people=("Keir Starmer",), frequency="immediate")
    store.put_subscriber("ann@example.org", prefs, status="active", now=NOW)
    handler = Handler(replies={"ann@example.org": ["451 4.7.1 greylisted", ""]})
    with smtp_server(handler) as (_, port):
        config = settings(port, smtp_attempts=1)
        with SMTPMailer(config) as mailer:
            first = send_alerts(store, [a1], mailer=mailer, settings=config, now=NOW)
            assert (first.sent, first.deferred) == (0, 1)
            second = send_alerts(store, [a2], mailer=mailer, settings=config, now=NOW)
        assert second.sent == 2  # the deferred alert, then the new one
        texts = [body(m.message, "plain") for m in handler.to("ann@example.org")]
        assert ["Storm Shadow" in t for t in texts] == [True, False]
        assert ["Macron" in t for t in texts] == [False, True]


def test_watch_alerts_after_each_pass(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "storm.txt").write_text(
        "Storm Shadow missiles cleared for use\n\nThe prime minister said the Storm Shadow "
        "decision was made with allies.\n",
        encoding="utf-8",
    )
    (folder / "budget.txt").write_text(
        "Budget date set\n\nThe chancellor will deliver the budget in March.\n", encoding="utf-8"
    )
    toml = tmp_path / "westminster.toml"
    toml.write_text(f'[[sources]]\nurl = "{folder}"\n', encoding="utf-8")
    store = open_store(store_url)
    prefs = Preferences(queries=('"storm shadow"',), frequency="immediate")
    store.put_subscriber("ann@example.org", prefs, status="active", now=NOW)
    store.close()
    with smtp_server() as (handler, port):
        environment = {**env(port, store_url), "WESTMINSTER_CONFIG": str(toml)}
        for _ in range(2):  # the second pass finds nothing new: no second alert
            result = CliRunner().invoke(app, ["watch", "--once", "--no-analyse"], env=environment)
            assert result.exit_code == 0, result.output
        (mail,) = handler.messages
    assert mail.rcpt_tos == ["ann@example.org"]
    assert "Storm Shadow missiles cleared for use" in body(mail.message, "plain")
    assert "Budget date set" not in body(mail.message, "plain")

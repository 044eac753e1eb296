"""`westminster subscribers add|list|remove|import` on both backends, mail caught by aiosmtpd."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path

from typer.testing import CliRunner

from tests.delivery_support import env, smtp_server
from westminster.cli.app import app
from westminster.models import Preferences
from westminster.store import Store

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

CSV = '''email,topics,people,queries,frequency,send_time,timezone
ann@example.org,defence;economy,Keir Starmer,"""storm shadow""",daily,07:30,Europe/London
bob@example.org,,,,weekly,,
not-an-address,,,,,,
cat@example.org,,,,hourly,,
dan@example.org,,,,daily,08:00,Mars/Base
ANN@example.org,,,,,,
gone@example.org,,,,,,
'''


def _run(args: list[str], port: int, store_url: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["subscribers", *args], env=env(port, store_url))
    return result.exit_code, result.stdout, result.stderr


def test_add_list_remove(store: Store, store_url: str) -> None:
    with smtp_server() as (handler, port):
        code, _, err = _run(
            ["add", "ann@example.org", "--topic", "defence", "--person", "Keir Starmer",
             "--send-time", "06:45", "--timezone", "Europe/Paris", "--confirmed"],
            port, store_url,
        )  # fmt: skip
        assert code == 0 and "added: ann@example.org" in err
        code, _, err = _run(["add", "Bob@Example.org"], port, store_url)
        assert code == 0 and "invited: bob@example.org (confirmation sent)" in err
        assert [m.rcpt_tos for m in handler.messages] == [["bob@example.org"]]  # double opt-in
        bad_zone = ["add", "eve@example.org", "--timezone", "Nowhere/City"]
        code, _, err = _run(bad_zone, port, store_url)
        assert code == 1 and "timezone: 'Nowhere/City' is not an IANA time zone" in err
        code, out, _ = _run(["list", "--json"], port, store_url)
        rows = [json.loads(line) for line in out.splitlines()]
        assert [(r["email"], r["status"]) for r in rows] == [
            ("ann@example.org", "active"), ("bob@example.org", "pending"),
        ]  # fmt: skip
        assert rows[0]["preferences"]["send_time"] == "06:45"
        assert rows[0]["preferences"]["timezone"] == "Europe/Paris"
        code, out, _ = _run(["list", "--status", "active"], port, store_url)
        assert "ann@example.org" in out and "bob@example.org" not in out
        assert "defence, Keir" in out and "06:45" in out
        code, _, err = _run(["remove", "bob@example.org", "nobody@example.org"], port, store_url)
        assert code == 1 and "removed: bob@example.org" in err
        assert "nobody@example.org: no such subscriber" in err
    assert [s.email for s in store.subscribers()] == ["ann@example.org"]


def test_remove_finds_an_address_in_its_stored_form(store: Store, store_url: str) -> None:
    with smtp_server() as (_handler, port):
        code, _, err = _run(["add", "Ann@Bücher.example", "--confirmed"], port, store_url)
        assert code == 0 and "added: ann@xn--bcher-kva.example" in err
        code, _, err = _run(["remove", " ANN@bücher.example"], port, store_url)
        assert code == 0 and "removed: ann@xn--bcher-kva.example" in err
    assert store.subscribers() == []


def test_import_records_bad_rows_and_imports_the_rest(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    gone, _ = store.put_subscriber("gone@example.org", Preferences(), status="active", now=NOW)
    store.update_subscriber(gone.id, now=NOW, status="unsubscribed")
    path = tmp_path / "subscribers.csv"
    path.write_text(CSV, encoding="utf-8")
    with smtp_server() as (handler, port):
        code, _, err = _run(["import", str(path), "--confirmed"], port, store_url)
        assert code == 1  # some rows failed; the others were imported
        lines = err.strip().splitlines()
        assert lines[-1] == "added 2, invited 0, updated 0, unchanged 0, skipped 1, failed 4"
        assert f"error: {path}:4: not-an-address: [W810]" in err
        assert f"error: {path}:5: cat@example.org: frequency: 'hourly'" in err
        assert f"error: {path}:6: dan@example.org: timezone: 'Mars/Base'" in err
        assert f"error: {path}:7: ANN@example.org: [W810] ann@example.org: repeats line 2" in err
        assert f"skipped: {path}:8: gone@example.org: unsubscribed" in err
        assert handler.messages == []  # --confirmed sends nothing
        ann = store.get_subscriber("ann@example.org")
        assert ann is not None and ann.status == "active"
        assert ann.preferences == Preferences(
            topics=("defence", "economy"), people=("Keir Starmer",),
            queries=('"storm shadow"',), send_time=time(7, 30),
        )  # fmt: skip
        bob = store.get_subscriber("bob@example.org")
        assert bob is not None and bob.preferences.frequency == "weekly"
        # The same file again changes nothing.
        code, _, err = _run(["import", str(path), "--confirmed"], port, store_url)
        assert err.strip().splitlines()[-1].startswith("added 0, invited 0, updated 0, unchanged 2")
        # Without --confirmed, new addresses get the double opt-in mail.
        extra = tmp_path / "more.csv"
        extra.write_text("email\nnew@example.org\n", encoding="utf-8")
        code, _, err = _run(["import", str(extra)], port, store_url)
        assert code == 0 and err.strip().endswith("skipped 0, failed 0")
        assert [m.rcpt_tos for m in handler.messages] == [["new@example.org"]]
    assert store.get_subscriber("gone@example.org").status == "unsubscribed"  # type: ignore[union-attr]


def test_import_refuses_a_file_without_an_email_column(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("address,topics\nann@example.org,defence\n", encoding="utf-8")
    code, _, err = _run(["import", str(path), "--confirmed"], 1, store_url)
    assert code == 1 and "has no email column" in err
    path.write_text("email,colour\nann@example.org,blue\n", encoding="utf-8")
    code, _, err = _run(["import", str(path), "--confirmed"], 1, store_url)
    assert code == 1 and "unknown CSV column 'colour'" in err
    code, _, err = _run(["import", str(tmp_path / "missing.csv")], 1, store_url)
    assert code == 1 and "cannot be read" in err

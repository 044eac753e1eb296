"""`westminster cluster`: JSON Lines in, {id, story} lines out, bad lines reported and skipped."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from westminster.cli.cluster_cmd import command

A = "Keir Starmer met Joe Biden in Washington to discuss Storm Shadow missiles for Ukraine."
B = "Starmer and Biden discussed Storm Shadow missiles for Ukraine at the White House."
C = "The Supreme Court ruled the Rwanda deportation scheme unlawful on Wednesday."


def _run(tmp_path: Path, lines: list[str], *args: str) -> tuple[int, str, str]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = typer.Typer()
    app.command()(command)
    result = CliRunner().invoke(app, [str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def _line(id_: str, text: str, published: str | None) -> str:
    return json.dumps({"id": id_, "title": text[:30], "text": text, "published": published})


def test_clusters_in_published_order_with_undated_last(tmp_path: Path) -> None:
    lines = [
        _line("late", B, "2024-09-14"),
        _line("undated", C, None),
        _line("early", A, "2024-09-13T08:00:00Z"),
    ]
    code, out, _ = _run(tmp_path, lines, "--jsonl")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0
    assert [r["id"] for r in rows] == ["early", "late", "undated"]
    assert rows[0]["story"] == rows[1]["story"] != rows[2]["story"]


def test_bad_lines_are_named_and_the_rest_go_on(tmp_path: Path) -> None:
    lines = [
        _line("ok", A, "2024-09-13"),
        "{not json",
        json.dumps({"id": "x", "text": "no title"}),
        _line("baddate", A, "yesterday"),
        json.dumps({"id": "empty", "title": "", "text": "", "published": "2024-09-13"}),
    ]
    code, out, err = _run(tmp_path, lines)
    assert code == 1
    assert "line 2" in err and "line 3" in err and '"title"' in err and "line 4" in err
    assert [row.split("\t")[0] for row in out.splitlines()] == ["ok", "empty"]
    assert out.splitlines()[1].endswith("\tempty")  # the recorded reason
    assert "2 of 5 inputs processed, 3 failed" in err


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(command)
    result = CliRunner().invoke(app, [str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2 and "cannot read" in result.stderr

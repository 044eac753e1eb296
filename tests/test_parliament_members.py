"""The Members API client and `westminster offices refresh`, against a real local HTTP server."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from westminster.cli.app import app
from westminster.errors import FetchError
from westminster.ingest.parliament_members import (
    GOVERNMENT_POSTS_PATH,
    OPPOSITION_POSTS_PATH,
    clean_display_name,
    fetch_uk_holdings,
    offices_for_post,
)
from westminster.knowledge.offices import REFRESHED_HOLDERS_FILE, load_office_table

FIXTURES = Path(__file__).parent / "fixtures" / "parliament"
runner = CliRunner()

Routes = dict[str, tuple[int, bytes]]


def fixture_routes(government: str = "government_posts.json") -> Routes:
    return {
        GOVERNMENT_POSTS_PATH: (200, (FIXTURES / government).read_bytes()),
        OPPOSITION_POSTS_PATH: (200, (FIXTURES / "opposition_posts.json").read_bytes()),
    }


@contextmanager
def serve(routes: Routes) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering the given paths; yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = routes.get(self.path.split("?")[0], (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def refresh(api: str, data_dir: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["offices", "refresh", "--api", api, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout, result.stderr


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize(
    ("post_name", "offices"),
    [
        (
            "Prime Minister, First Lord of the Treasury, Minister for the Civil Service and "
            "Minister for the Union",
            ("uk-prime-minister",),
        ),
        (
            "Deputy Prime Minister and Lord Chancellor and Secretary of State for Justice",
            ("uk-justice-secretary", "uk-deputy-prime-minister"),
        ),
        (
            "Lord President of the Council and Leader of the House of Commons",
            ("uk-leader-commons",),
        ),
        ("Parliamentary Secretary to the Treasury (Chief Whip)", ("uk-chief-whip",)),
        (
            "Secretary of State for Environment, Food and Rural Affairs",
            ("uk-environment-secretary",),
        ),
        ("Secretary of State for Work and Pensions", ("uk-work-pensions-secretary",)),
        ("Shadow Chancellor of the Exchequer", ()),
        ("Deputy Leader of the Opposition", ()),
        ("Captain of the Honourable Corps of Gentlemen-at-Arms (Lords Chief Whip)", ()),
        ("Minister of State (Minister for Security)", ()),
    ],
)
def test_post_names_map_to_offices_by_whole_titles(
    post_name: str, offices: tuple[str, ...]
) -> None:
    assert offices_for_post(post_name) == offices


def test_display_names_lose_honorifics_but_peers_keep_their_title() -> None:
    assert clean_display_name("Rt Hon Sir Keir Starmer KCB KC MP") == "Keir Starmer"
    assert clean_display_name("Mrs  Kemi Badenoch") == "Kemi Badenoch"
    assert clean_display_name("Baroness Smith of Basildon") == "Baroness Smith of Basildon"


def test_client_reads_both_endpoints_into_holdings() -> None:
    with serve(fixture_routes()) as base, httpx.Client(timeout=5) as client:
        fetched = fetch_uk_holdings(client, base)
    by_office = {h.office_id: h for h in fetched.holdings}
    assert by_office["uk-chancellor"].person == "Morgan Example"
    assert by_office["uk-chancellor"].start == date(2026, 11, 20)
    assert by_office["uk-chancellor"].end is None
    assert by_office["uk-deputy-prime-minister"].parliament_id == 206
    assert by_office["uk-justice-secretary"].person == "David Lammy"
    assert by_office["uk-leader-opposition"].person == "Kemi Badenoch"
    assert fetched.posts_seen == 7
    assert "Shadow Chancellor of the Exchequer" in fetched.unmapped_posts
    assert "Minister of State (Minister for Security)" in fetched.unmapped_posts


def test_client_rejects_a_response_in_another_shape() -> None:
    with (
        serve(fixture_routes("government_posts_wrong_shape.json")) as base,
        httpx.Client(timeout=5) as client,
        pytest.raises(FetchError, match="expected a JSON array of posts"),
    ):
        fetch_uk_holdings(client, base)


def test_refresh_writes_the_uk_part_and_the_table_overlays_it(tmp_path: Path) -> None:
    with serve(fixture_routes()) as base:
        code, out, err = refresh(base, tmp_path)
    assert code == 0, err
    assert "Morgan Example" in out and "added" in out
    assert "Rachel Reeves" in out and "ended" in out
    assert (tmp_path / REFRESHED_HOLDERS_FILE).exists()

    table = load_office_table(tmp_path)
    assert table.version.endswith("+refreshed")
    assert [h.person for h in table.holders_on("uk-chancellor", date(2026, 11, 19))] == [
        "Rachel Reeves"
    ]
    assert [h.person for h in table.holders_on("uk-chancellor", date(2026, 11, 21))] == [
        "Morgan Example"
    ]
    # History before the refresh stays; the bundled rows of other offices are untouched.
    assert [h.person for h in table.holders_on("uk-chancellor", date(2010, 5, 12))] == [
        "George Osborne"
    ]
    assert table.overlaps() == []
    # A peer's API name ("Baroness Smith of Basildon") is matched to our row by its first day.
    (lords,) = table.holders_on("uk-leader-lords", date(2025, 1, 1))
    assert (lords.person, lords.parliament_id) == ("Angela Smith", 3796)
    (pm,) = table.holders_on("uk-prime-minister", date(2026, 11, 21))
    assert pm.person == "Keir Starmer"


def test_refresh_twice_changes_nothing(tmp_path: Path) -> None:
    with serve(fixture_routes()) as base:
        assert refresh(base, tmp_path)[0] == 0
        first = (tmp_path / REFRESHED_HOLDERS_FILE).read_text(encoding="utf-8")
        code, out, _ = refresh(base, tmp_path)
    assert code == 0
    assert "No changes" in out
    second = (tmp_path / REFRESHED_HOLDERS_FILE).read_text(encoding="utf-8")
    assert [line for line in first.splitlines() if not line.startswith("#")] == [
        line for line in second.splitlines() if not line.startswith("#")
    ]


def test_unreachable_api_gives_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = refresh(f"http://127.0.0.1:{port}", tmp_path)
    assert code == 1
    (line,) = error_lines(err)
    assert "cannot reach the Members API" in line and f"127.0.0.1:{port}" in line
    assert "Traceback" not in err
    assert not (tmp_path / REFRESHED_HOLDERS_FILE).exists()


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ((FIXTURES / "government_posts_wrong_shape.json").read_bytes(), 200, "JSON array"),
        (b"<html><body>Service Unavailable</body></html>", 200, "not JSON"),
        (
            b'[{"value": {"id": 190, "name": "Chancellor of the Exchequer", "postHolders": '
            b'[{"member": {"value": {"id": 1}}, "startDate": "2024-07-05T00:00:00"}]}}]',
            200,
            "nameDisplayAs",
        ),
        (b"{}", 503, "HTTP 503"),
    ],
)
def test_malformed_response_gives_one_clear_line(
    tmp_path: Path, body: bytes, status: int, message: str
) -> None:
    routes = fixture_routes()
    routes[GOVERNMENT_POSTS_PATH] = (status, body)
    with serve(routes) as base:
        code, _, err = refresh(base, tmp_path)
    assert code == 1
    (line,) = error_lines(err)
    assert message in line and GOVERNMENT_POSTS_PATH in line
    assert not (tmp_path / REFRESHED_HOLDERS_FILE).exists()

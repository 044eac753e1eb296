"""Bad inputs: one clear line naming the input and the problem, a non-zero exit, the rest go on."""

from __future__ import annotations

import gzip
import http.server
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SEED, SHARED_DATA, needs_shared_data
from westminster.cli.app import app

runner = CliRunner()


def run_extract(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["extract", "--jsonl", *args])
    return result.exit_code, result.stdout, result.stderr


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def test_missing_path_names_the_input(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    code, _, err = run_extract(str(missing))
    assert code == 1
    (line,) = error_lines(err)
    assert str(missing) in line and "no such file" in line


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run_extract(str(empty))
    assert code == 1
    (line,) = error_lines(err)
    assert "empty.txt" in line and "empty" in line.split(":", 2)[2]


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20)
    code, _, err = run_extract(str(binary))
    assert code == 1
    (line,) = error_lines(err)
    assert "photo.jpg" in line and "binary" in line


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(
        "Budget row\nThe chancellor pledged £5 million for Zoë's café.\n".encode("latin-1")
    )
    code, out, err = run_extract(str(latin))
    assert code == 0, err
    assert "£5 million" in out and "Zoë's café" in out


def test_oversized_page_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>word </p>" * (10_000_000 // 12) + b"</body></html>")
    code, _, err = run_extract(str(big))
    assert code == 1
    (line,) = error_lines(err)
    assert "big.html" in line and "limit" in line


def test_page_with_no_article(tmp_path: Path) -> None:
    page = tmp_path / "nav.html"
    page.write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    code, _, err = run_extract(str(page))
    assert code == 1
    (line,) = error_lines(err)
    assert "nav.html" in line and "no article" in line


def test_directory_is_refused(tmp_path: Path) -> None:
    code, _, err = run_extract(str(tmp_path))
    assert code == 1
    assert "directory" in error_lines(err)[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_url() -> None:
    url = f"http://127.0.0.1:{closed_port()}/story"
    code, _, err = run_extract(url)
    assert code == 1
    (line,) = error_lines(err)
    assert url in line and "unreachable" in line


@pytest.fixture()
def page_server(tmp_path: Path) -> Iterator[str]:
    """A real local HTTP server serving tmp_path."""
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_404_is_a_clear_error(page_server: str) -> None:
    code, _, err = run_extract(f"{page_server}/missing.html")
    assert code == 1
    assert "HTTP 404" in error_lines(err)[0]


@needs_shared_data
def test_real_page_over_http(page_server: str, tmp_path: Path) -> None:
    source = SHARED_DATA / "readability-testpages" / "pages" / "bbc-1" / "source.html.gz"
    (tmp_path / "bbc.html").write_bytes(gzip.decompress(source.read_bytes()))
    code, out, err = run_extract(f"{page_server}/bbc.html")
    assert code == 0, err
    assert '"url": "' in out and len(out) > 1000


def test_many_inputs_go_on_and_end_with_a_count(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run_extract(str(SEED), str(tmp_path / "missing.txt"), str(empty), str(SEED))
    assert code == 1
    assert len([line for line in out.splitlines() if line.strip()]) == 2
    assert len(error_lines(err)) == 2
    assert "2 of 4 inputs processed, 2 failed" in err


def test_console_script_exit_code_and_stderr(tmp_path: Path) -> None:
    """The installed entry point, as a user runs it: no traceback, one line, exit 1."""
    proc = subprocess.run(
        [sys.executable, "-m", "westminster", "extract", str(tmp_path / "absent.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert error_lines(proc.stderr) == [f"error: {tmp_path / 'absent.txt'}: no such file [W100]"]

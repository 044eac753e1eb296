"""`westminster serve`: the password hash helper, and the server answering on loopback."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.delivery_support import free_port
from tests.web_support import example_db
from westminster.cli.app import app
from westminster.web.auth import verify_password

WESTMINSTER = Path(sys.executable).with_name("westminster")


def test_hash_password_prints_a_usable_hash() -> None:
    result = CliRunner().invoke(app, ["serve", "--hash-password"], input="s3cret pass\n")
    assert result.exit_code == 0, result.output
    encoded = result.stdout.strip()
    assert encoded.startswith("pbkdf2_sha256$") and verify_password("s3cret pass", encoded)
    empty = CliRunner().invoke(app, ["serve", "--hash-password"], input="\n")
    assert empty.exit_code == 2


def get(port: int, path: str) -> tuple[int, Any]:
    """Status and decoded JSON of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def test_serve_answers_on_loopback(tmp_path: Path, analyzer: Any) -> None:
    db = example_db(analyzer, tmp_path)
    port = free_port()
    env = {**os.environ, "WESTMINSTER_CONFIG": os.devnull, "WESTMINSTER_ADMIN_PASSWORD_HASH": ""}
    server = subprocess.Popen(
        [str(WESTMINSTER), "serve", "--db", str(db), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = get(port, "/stories.json")
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert status == 200 and len(page["stories"]) >= 3
        status, person = get(port, "/people/keir-starmer.json")
        assert status == 200 and person["offices"]
        status, error = get(port, "/admin.json")
        assert status == 403 and error["code"] == "W720"
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert f"serving {db} on http://127.0.0.1:{port}/" in err
    assert "the admin area is off" in err

"""A throwaway PostgreSQL server for the test session, from Debian's postgresql packages.

initdb a temporary data folder, start the server on a free 127.0.0.1 port with its socket in
that folder, create a database, and stop and remove it all at exit. initdb refuses to run as
root, so under root every server command runs as the `postgres` system user (created by the
Debian package) through runuser, with the folder handed to that user.

Set WESTMINSTER_TEST_POSTGRES_URL to use an existing server instead.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from westminster.store import Store, open_store

ENV_URL = "WESTMINSTER_TEST_POSTGRES_URL"
SYSTEM_USER = "postgres"
DATABASE = "westminster_test"
# Seconds pg_ctl waits for the server to accept connections (a cold start on a busy 2-core CI
# machine takes a few seconds).
START_TIMEOUT_S = 60


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH."""

    def version(path: str) -> int:
        name = Path(path).parent.name
        return int(name) if name.isdigit() else 0

    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One temporary server; `url` is set once `start` has returned."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="westminster-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = ""
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                raise RuntimeError(
                    f"running as root, and initdb refuses root, but there is no {SYSTEM_USER!r}"
                    " user to run the server as (install Debian's postgresql package)"
                ) from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as_user = ["runuser", "-u", SYSTEM_USER, "--"]

    def _run(self, *args: str) -> None:
        command = [*self._as_user, str(self.bin_dir / args[0]), *args[1:]]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{tail}"
            )

    def start(self) -> str:
        """initdb, start and create the test database; return its URL."""
        # trust auth: the server listens on loopback only and lives for one test session.
        self._run(
            "initdb", "-D", str(self.data), "-U", SYSTEM_USER, "--auth=trust",
            "--encoding=UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        # Durability is pointless for a throwaway server; turning it off keeps tests fast.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
            "-w", "-t", str(START_TIMEOUT_S), "start",
        )  # fmt: skip
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SYSTEM_USER, DATABASE)
        self.url = f"postgresql://{SYSTEM_USER}@127.0.0.1:{self.port}/{DATABASE}"
        return self.url

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


_SERVER: PostgresServer | None = None


def session_url() -> str | None:
    """A URL for the session's server (started once, stopped at exit); None without binaries."""
    global _SERVER
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    if _SERVER is None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            return None
        server = PostgresServer(bin_dir)
        try:
            server.start()
        except BaseException:
            server.stop()
            raise
        atexit.register(server.stop)
        _SERVER = server
    return _SERVER.url


SKIP_REASON = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on"
    " PATH; install them with `apt-get install -y postgresql`"
)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The session server's URL; skips (with the apt command) when PostgreSQL is not installed."""
    url = session_url()
    if url is None:
        pytest.skip(SKIP_REASON)
    return url


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A URL whose search_path is a new empty schema, dropped afterwards (one per test)."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty store of each backend (one test per backend)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        with fresh_schema(request.getfixturevalue("postgres_url")) as url:
            yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, migrated, empty store of each backend."""
    opened = open_store(store_url)
    yield opened
    opened.close()

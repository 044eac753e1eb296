"""`westminster serve`: the web dashboard and HTTP API over the store (uvicorn)."""

from __future__ import annotations

import getpass
import logging
import sys
from dataclasses import replace
from typing import Annotated

import typer
from rich.console import Console

from westminster.cli.ingest_cmd import Db, load_config, open_configured_store
from westminster.web import create_app
from westminster.web.auth import check_hash_format, hash_password

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _print_hash() -> None:
    """Read a password (prompted on a terminal, else one line of stdin) and print its hash."""
    if sys.stdin.isatty():
        password = getpass.getpass("Admin password: ")
        if getpass.getpass("Again: ") != password:
            stderr.print("error: the two passwords differ", markup=False)
            raise typer.Exit(code=2)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        stderr.print("error: the password is empty", markup=False)
        raise typer.Exit(code=2)
    typer.echo(hash_password(password))


def serve(
    host: Annotated[
        str | None,
        typer.Option("--host", help="Address to listen on. Default: $WESTMINSTER_WEB_HOST."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            min=0,
            max=65535,
            help="Port (0: any free one). Default: $WESTMINSTER_WEB_PORT.",
        ),
    ] = None,
    db: Db = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Public address put in emailed links (confirm, unsubscribe). "
            "Default: $WESTMINSTER_BASE_URL.",
        ),
    ] = None,
    hash_password_flag: Annotated[
        bool,
        typer.Option(
            "--hash-password",
            help="Print the hash of an admin password (asked for, or read from stdin) for "
            "WESTMINSTER_ADMIN_PASSWORD_HASH, then exit.",
        ),
    ] = False,
) -> None:
    """Serve the dashboard and its JSON API: today's stories, stories, people, search, quotes.

    Every page is also JSON (add .json or send Accept: application/json); /api lists the
    operations and /openapi.json describes them. The admin area (/admin) needs
    WESTMINSTER_ADMIN_PASSWORD_HASH.

    Example: westminster serve --db news.db --port 8080
    """
    if hash_password_flag:
        _print_hash()
        return
    import uvicorn

    config = load_config()
    if db is not None:
        config = replace(config, db=db)
    host = host or config.web_host
    port = config.web_port if port is None else port
    store = open_configured_store(config, None)
    app = create_app(config, store=store, base_url=base_url)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not config.admin_password_hash:
        stderr.print(
            "note: the admin area is off (set WESTMINSTER_ADMIN_PASSWORD_HASH; "
            "westminster serve --hash-password prints one)",
            markup=False,
        )
    elif (problem := check_hash_format(config.admin_password_hash)) is not None:
        # A malformed hash switches the admin area off just as a missing one does: say so.
        stderr.print(
            f"note: the admin area is off: WESTMINSTER_ADMIN_PASSWORD_HASH is malformed "
            f"({problem})",
            markup=False,
        )
    stderr.print(f"serving {config.db} on http://{host}:{port}/ (Ctrl-C stops)", markup=False)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
    finally:
        store.close()

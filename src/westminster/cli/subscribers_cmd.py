"""`westminster subscribers add|list|remove|import`: the subscriber list, by an administrator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO, cast

import typer
from rich.console import Console
from rich.table import Table

from westminster.cli.ingest_cmd import SETUP_ERROR_EXIT, Db, load_config, open_configured_store
from westminster.cli.output import stderr, write_json
from westminster.config import Config, ConfigError
from westminster.delivery.addresses import normalise_email
from westminster.delivery.admin import CSV_HELP, Admission, ImportReport, admit, import_rows
from westminster.delivery.errors import AddressError
from westminster.delivery.mailer import SMTPMailer
from westminster.delivery.settings import DeliverySettings
from westminster.errors import WestminsterError
from westminster.models import (
    Frequency,
    Preferences,
    PreferencesError,
    Subscriber,
)
from westminster.models.subscriber import (
    DEFAULT_TIMEZONE,
    FREQUENCIES,
    STATUSES,
    parse_send_time,
    preferences_to_dict,
)
from westminster.store import Store

app = typer.Typer(
    help="The subscriber list: add addresses (with double opt-in unless --confirmed), list, "
    "remove and import them from CSV. People subscribe themselves on the web site.",
    no_args_is_help=True,
)
stdout = Console(highlight=False, soft_wrap=True)

Confirmed = Annotated[
    bool,
    typer.Option(
        "--confirmed",
        help="The addresses were confirmed elsewhere: make them active now, send no email. "
        "Without it each new address gets the double opt-in email.",
    ),
]


def _error_line(exc: WestminsterError) -> str:
    subject = f"{exc.subject}: " if exc.subject else ""
    fix = f" ({exc.fix})" if exc.fix else ""
    return f"error: {subject}{exc.message} [{exc.code}]{fix}"


@contextmanager
def cli_errors(code: int = 1) -> Iterator[None]:
    """Bad input or settings: one error line on stderr, then exit."""
    try:
        yield
    except ConfigError as exc:
        stderr.print(f"error: settings: {exc}", markup=False)
        raise typer.Exit(code=SETUP_ERROR_EXIT) from None
    except PreferencesError as exc:
        stderr.print(f"error: {exc}", markup=False)
        raise typer.Exit(code=code) from None
    except WestminsterError as exc:
        stderr.print(_error_line(exc), markup=False)
        raise typer.Exit(code=code) from None


def delivery_settings(config: Config) -> DeliverySettings:
    """The delivery settings (exits 2 when one is bad)."""
    with cli_errors(SETUP_ERROR_EXIT):
        return DeliverySettings.from_config(config)


def _print_admission(done: Admission) -> None:
    detail = f" ({done.detail})" if done.detail else ""
    stderr.print(f"{done.status}: {done.email}{detail}", markup=False)


def add(
    email: Annotated[str, typer.Argument(help="The email address.")],
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="A topic to follow (repeat for more).")
    ] = None,
    person: Annotated[
        list[str] | None,
        typer.Option("--person", help='A person to follow: name or key, e.g. "Keir Starmer".'),
    ] = None,
    query: Annotated[
        list[str] | None,
        typer.Option("--query", help='A keyword query: words and "quoted phrases".'),
    ] = None,
    frequency: Annotated[
        str, typer.Option("--frequency", help="immediate, daily or weekly.")
    ] = "daily",
    send_time: Annotated[
        str, typer.Option("--send-time", metavar="HH:MM", help="Local time the email is due.")
    ] = "07:00",
    timezone: Annotated[
        str, typer.Option("--timezone", help="IANA time zone of --send-time.")
    ] = DEFAULT_TIMEZONE,
    confirmed: Confirmed = False,
    db: Db = None,
) -> None:
    """Add one subscriber. No topic, person or query: the whole edition.

    An address that unsubscribed (or bounced) is left alone: only its owner can subscribe
    again. Example: westminster subscribers add ann@example.org --topic defence --confirmed
    """
    with cli_errors():
        preferences = Preferences(
            topics=tuple(topic or ()),
            people=tuple(person or ()),
            queries=tuple(query or ()),
            frequency=cast(Frequency, frequency.strip().lower()),
            send_time=parse_send_time(send_time),
            timezone=timezone,
        )
    config = load_config()
    settings = delivery_settings(config)
    store = open_configured_store(config, db)
    try:
        with cli_errors(), _mailer(settings, confirmed) as mailer:
            done = admit(
                store, email, preferences, confirmed=confirmed, mailer=mailer, settings=settings
            )
    finally:
        store.close()
    _print_admission(done)


@contextmanager
def _mailer(settings: DeliverySettings, confirmed: bool) -> Iterator[SMTPMailer | None]:
    if confirmed:
        yield None
        return
    with SMTPMailer(settings) as mailer:
        yield mailer


def _row(s: Subscriber) -> dict[str, object]:
    return {
        "id": s.id,
        "email": s.email,
        "status": s.status,
        "preferences": preferences_to_dict(s.preferences),
        "created_at": s.created_at.isoformat(),
        "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
        "paused_reason": s.paused_reason,
    }


def _follows(s: Subscriber) -> str:
    p = s.preferences
    parts = [*p.topics, *p.people, *(f'"{q}"' if " " in q else q for q in p.queries)]
    return ", ".join(parts) if parts else "everything"


def list_(
    status: Annotated[
        str | None, typer.Option("--status", help="pending, active, paused or unsubscribed.")
    ] = None,
    frequency: Annotated[
        str | None, typer.Option("--frequency", help="immediate, daily or weekly.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="One JSON object per subscriber.")] = False,
    db: Db = None,
) -> None:
    """List subscribers with their status and what they follow."""
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"{status!r} is not a status", param_hint="--status")
    if frequency is not None and frequency not in FREQUENCIES:
        raise typer.BadParameter(f"{frequency!r} is not a frequency", param_hint="--frequency")
    config = load_config()
    store = open_configured_store(config, db)
    try:
        rows = store.subscribers(status=status, frequency=frequency)
    finally:
        store.close()
    if json_:
        for s in rows:
            write_json(_row(s), lines=True)
        return
    if not rows:
        stdout.print("no subscribers", markup=False)
        return
    table = Table()
    for name in ("Email", "Status", "Frequency", "When", "Follows"):
        table.add_column(name)
    for s in rows:
        p = s.preferences
        status_text = s.status + (f" ({s.paused_reason})" if s.paused_reason else "")
        when = f"{p.send_time:%H:%M} {p.timezone}" if p.frequency != "immediate" else "-"
        table.add_row(s.email, status_text, p.frequency, when, _follows(s))
    stdout.print(table)


def _lookup_key(email: str) -> str:
    """The stored form of an address (as sign-up stores it), or the text as given lower-cased."""
    try:
        return normalise_email(email)
    except AddressError:
        return email.strip().lower()


def remove(
    emails: Annotated[list[str], typer.Argument(help="Addresses to remove.")],
    db: Db = None,
) -> None:
    """Delete subscribers and their delivery records (to stop mail but keep the record of the
    opt-out, let them unsubscribe instead)."""
    config = load_config()
    store = open_configured_store(config, db)
    missing = 0
    try:
        for email in emails:
            found = store.get_subscriber(_lookup_key(email))
            if found is None or not store.delete_subscriber(found.id):
                stderr.print(f"error: {email}: no such subscriber", markup=False)
                missing += 1
            else:
                stderr.print(f"removed: {found.email}", markup=False)
    finally:
        store.close()
    if missing:
        raise typer.Exit(code=1)


def import_(
    csv_file: Annotated[Path, typer.Argument(help="CSV file, or - for standard input.")],
    confirmed: Confirmed = False,
    db: Db = None,
) -> None:
    """Import subscribers from a CSV file; bad rows are reported and the rest imported.

    Re-importing the same file changes nothing. Ends with: added N, invited N, updated N,
    unchanged N, skipped N, failed N (exit 1 when a row failed).
    """
    source = str(csv_file)
    config = load_config()
    settings = delivery_settings(config)
    store = open_configured_store(config, db)
    try:
        with cli_errors(), _mailer(settings, confirmed) as mailer:
            if source == "-":
                report = _import(store, sys.stdin, source, confirmed, mailer, settings)
            else:
                try:
                    handle = csv_file.open(encoding="utf-8-sig", newline="")
                except OSError as exc:
                    stderr.print(f"error: {source}: cannot be read ({exc.strerror})", markup=False)
                    raise typer.Exit(code=1) from None
                with handle:
                    report = _import(store, handle, source, confirmed, mailer, settings)
    finally:
        store.close()
    for line, email, why in report.skipped:
        stderr.print(f"skipped: {source}:{line}: {email}: {why}", markup=False)
    for line, raw, error in report.failed:
        stderr.print(f"error: {source}:{line}: {raw or '(no email)'}: {error}", markup=False)
    stderr.print(report.line(), markup=False)
    if report.failed:
        raise typer.Exit(code=1)


def _import(
    store: Store,
    lines: TextIO,
    source: str,
    confirmed: bool,
    mailer: SMTPMailer | None,
    settings: DeliverySettings,
) -> ImportReport:
    return import_rows(
        store,
        lines,
        source=source,
        confirmed=confirmed,
        mailer=mailer,
        settings=settings,
    )


import_.__doc__ = (import_.__doc__ or "") + "\n\n" + CSV_HELP

app.command("add")(add)
app.command("list")(list_)
app.command("remove")(remove)
app.command("import")(import_)

"""`westminster offices`: who held which office on a given day, and refreshing the UK part."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from westminster.cli.output import stderr
from westminster.config import Config
from westminster.errors import WestminsterError
from westminster.ingest.parliament_members import fetch_uk_holdings, make_client
from westminster.knowledge.gazetteer import GazetteerEntry, load_gazetteer, normalise_surface
from westminster.knowledge.offices import (
    REFRESHED_HOLDERS_FILE,
    Holding,
    HoldingChange,
    Office,
    OfficeTable,
    load_office_table,
    merge_holdings,
    read_refreshed,
    write_holdings,
)

app = typer.Typer(
    help="Office holders by date: who was 'the prime minister', 'the chancellor' or 'the "
    "president' on a given day. The table is bundled and versioned; `refresh` updates its UK "
    "part from the UK Parliament Members API.",
    no_args_is_help=True,
)
stdout = Console(highlight=False, soft_wrap=True)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the refreshed table is written and read "
        "(default: $WESTMINSTER_DATA_DIR, else ~/.local/share/westminster).",
        show_default=False,
    ),
]


def _fail(exc: WestminsterError) -> typer.Exit:
    """One plain error line on stderr, then exit 1."""
    subject = f"{exc.subject}: " if exc.subject else ""
    fix = f" ({exc.fix})" if exc.fix else ""
    stderr.print(f"error: {subject}{exc.message} [{exc.code}]{fix}", markup=False)
    return typer.Exit(code=1)


def _load(data_dir: Path | None) -> OfficeTable:
    try:
        return load_office_table(data_dir or Config.from_env().data_dir)
    except WestminsterError as exc:
        raise _fail(exc) from None


def _parse_day(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _span(h: Holding) -> str:
    return f"{h.start.isoformat()} to {h.end.isoformat()}" if h.end else f"since {h.start}"


def _institution(query: str) -> GazetteerEntry | None:
    """The gazetteer institution a query names ("Downing Street", "No 10"), else None.

    Case is ignored here, unlike in running text: a typed "downing street" is no pronoun.
    """
    gazetteer = load_gazetteer()
    entry = gazetteer.lookup(query)
    if entry is not None and entry.office_of:
        return entry
    folded = normalise_surface(query).casefold()
    for candidate in gazetteer.institutions():
        if any(normalise_surface(s).casefold() == folded for s in candidate.surfaces()):
            return candidate
    return None


def _candidates(table: OfficeTable, query: str) -> tuple[list[Office], GazetteerEntry | None]:
    """The offices a query names (office id, role phrase or institution), and that institution."""
    if query in table.offices:
        return [table.offices[query]], None
    offices = table.offices_for_role(query)
    if offices:
        return offices, None
    entry = _institution(query)
    office = table.offices.get(entry.office_of) if entry is not None else None
    return ([office], entry) if office is not None else ([], None)


@app.command("show")
def show(
    role_or_office: Annotated[
        str,
        typer.Argument(
            help="An office id (uk-chancellor), a role phrase ('prime minister', 'the German "
            "chancellor') or an institution ('Downing Street'). Ambiguous phrases list every "
            "office they can name.",
            show_default=False,
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option("--on", help="The day, YYYY-MM-DD (default: today).", show_default=False),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Who held an office on a day: `westminster offices show "prime minister" --on 2024-09-13`."""
    day = _parse_day(on)
    table = _load(data_dir)
    offices, institution = _candidates(table, role_or_office)
    if not offices:
        institutions = {s.lower() for e in load_gazetteer().institutions() for s in e.surfaces()}
        known = sorted(table.role_phrases() | set(table.offices) | institutions)
        close = difflib.get_close_matches(role_or_office.lower(), known, n=3)
        hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else None
        stderr.print(
            f"error: {role_or_office}: no office, role phrase or institution of that name"
            + (f" ({hint})" if hint else " (see `westminster offices list`)"),
            markup=False,
        )
        raise typer.Exit(code=1)
    if len(offices) > 1:
        stdout.print(
            f"{role_or_office!r} can name {len(offices)} offices; context decides:", markup=False
        )
    for office in offices:
        holders = table.holders_on(office.id, day)
        who = "; ".join(f"{h.person} ({_span(h)})" for h in holders) or "vacant"
        stdout.print(f"{office.id} [{office.title}] on {day}: {who}", markup=False)
    if institution is not None:
        stdout.print(
            f"({role_or_office!r} is {institution.name}, an institution standing for the office)",
            markup=False,
        )


@app.command("list")
def list_offices(
    country: Annotated[
        str | None,
        typer.Option("--country", help="Only offices of this country code (GB, US, EU, ...)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Every office with its holder count and today's holder, and the table version."""
    table = _load(data_dir)
    today = date.today()
    grid = Table("office", "title", "holders", "holder today", box=None, pad_edge=False)
    shown = [o for o in table.offices.values() if country is None or o.country == country.upper()]
    for office in shown:
        now = ", ".join(h.person for h in table.holders_on(office.id, today)) or "vacant"
        grid.add_row(office.id, office.title, str(len(table.holdings_of(office.id))), now)
    stdout.print(grid)
    stdout.print(
        f"{len(shown)} offices, {sum(len(table.holdings_of(o.id)) for o in shown)} holdings; "
        f"table version {table.version}"
    )


def _print_changes(changes: tuple[HoldingChange, ...]) -> None:
    if not changes:
        stdout.print("No changes: the table already matches the Members API.")
        return
    colour = {"added": "green", "ended": "yellow", "updated": "cyan", "removed": "red"}
    for change in sorted(changes, key=lambda c: (c.holding.office_id, c.holding.start)):
        h = change.holding
        what = _what(change)
        stdout.print(
            f"{escape(h.office_id)}: [{colour[change.kind]}]{change.kind}[/] {escape(h.person)} "
            f"({_span(h)})" + (f": {escape(what)}" if what else "")
        )


def _what(change: HoldingChange) -> str:
    """The fields an update changed, e.g. "parliament id 206"."""
    before, after = change.before, change.holding
    if change.kind != "updated" or before is None:
        return ""
    parts = []
    if before.start != after.start:
        parts.append(f"start {before.start} -> {after.start}")
    if before.end != after.end:
        parts.append(f"end {before.end or 'open'} -> {after.end or 'open'}")
    if before.parliament_id != after.parliament_id:
        parts.append(f"parliament id {after.parliament_id}")
    return ", ".join(parts)


@app.command("refresh")
def refresh(
    api: Annotated[
        str | None,
        typer.Option(
            "--api",
            help="Base URL of the Members API "
            "(default: $WESTMINSTER_PARLIAMENT_API, else https://members-api.parliament.uk).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Update the UK offices from the UK Parliament Members API (government and opposition posts).

    Reads GET /api/Posts/GovernmentPosts and /api/Posts/OppositionPosts and maps post names to
    office ids.

    Merges the holders into the history and writes DATA_DIR/office_holders.refreshed.csv,
    which overrides the bundled rows of those offices.

    Prints the holdings added, ended or corrected. Running it twice changes nothing.
    """
    config = Config.from_env()
    base = (api or config.parliament_api).rstrip("/")
    directory = data_dir or config.data_dir
    table = _load(directory)
    try:
        with make_client() as client:
            fetched = fetch_uk_holdings(client, base)
    except WestminsterError as exc:
        raise _fail(exc) from None
    merged = merge_holdings(table, fetched.holdings)
    # Keep offices refreshed earlier but absent from this answer, so nothing accepted is lost.
    offices = set(merged.office_ids) | {h.office_id for h in read_refreshed(directory)}
    updated = table.with_holdings_replaced(set(merged.office_ids), merged.holdings)
    rows = [h for h in updated.holdings if h.office_id in offices]
    target = directory / REFRESHED_HOLDERS_FILE
    write_holdings(
        target,
        sorted(rows, key=lambda h: (h.office_id, h.start)),
        comment=f"Refreshed from {base} on {date.today()} over table version {table.version}.\n"
        "Overrides the bundled rows of the offices listed here (see westminster offices).",
    )
    _print_changes(merged.changes)
    stdout.print(
        f"{fetched.posts_seen} posts read, {len(merged.office_ids)} offices matched, "
        f"{len(fetched.unmapped_posts)} posts outside the table; wrote {len(rows)} holdings "
        f"to {target}",
        markup=False,
    )

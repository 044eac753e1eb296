"""Adding subscribers as an administrator: one address, or a CSV file of them.

An administrator may add addresses already confirmed elsewhere (`confirmed=True`) or send
each the double opt-in email. Either way an address that unsubscribed, or was paused after a
permanent delivery failure, is left alone: only its owner can subscribe it again. Importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, cast

from westminster.delivery.addresses import normalise_email
from westminster.delivery.errors import AddressError
from westminster.delivery.mailer import Mailer, MailFailure
from westminster.delivery.matching import check_queries
from westminster.delivery.settings import DeliverySettings
from westminster.delivery.subscriptions import request_confirmation
from westminster.models import (
    Frequency,
    Preferences,
    PreferencesError,
    Subscriber,
    SubscriberStatus,
)
from westminster.models.subscriber import DEFAULT_TIMEZONE, parse_send_time
from westminster.store import Store

AdmitStatus = Literal["added", "invited", "updated", "unchanged", "skipped"]

# The CSV columns (header row required; only `email` must be present).
CSV_COLUMNS = ("email", "topics", "people", "queries", "frequency", "send_time", "timezone")
# Separator of several values in one cell: "defence; economy".
LIST_SEPARATOR = ";"

CSV_HELP = (
    "CSV with a header row. Columns: email (required); topics, people, queries (several "
    f"values separated by '{LIST_SEPARATOR}'); frequency (immediate, daily or weekly; default "
    "daily); send_time (HH:MM, default 07:00); timezone (IANA name, default "
    f"{DEFAULT_TIMEZONE}). Example row: "
    '"ann@example.org","defence;economy","Keir Starmer","""storm shadow""",daily,07:30,'
    "Europe/London"
)


@dataclass(frozen=True)
class Admission:
    """What adding one address did."""

    status: AdmitStatus
    email: str
    detail: str = ""
    subscriber: Subscriber | None = None


@dataclass
class ImportReport:
    """What an import did, row by row: counts and the rows refused with their reasons."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("added", "invited", "updated", "unchanged"), 0)
    )
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, email, why)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, input, error)

    def line(self) -> str:
        """One closing line."""
        counts = ", ".join(f"{name} {value}" for name, value in self.counts.items())
        return f"{counts}, skipped {len(self.skipped)}, failed {len(self.failed)}"


def admit(
    store: Store,
    email: str,
    preferences: Preferences,
    *,
    confirmed: bool,
    mailer: Mailer | None,
    settings: DeliverySettings,
    now: datetime | None = None,
) -> Admission:
    """Add one address as active (`confirmed`) or pending with a confirmation email."""
    now = now or datetime.now(UTC)
    address = normalise_email(email)
    check_queries(preferences)
    if not confirmed:
        settings.require_secret()
        settings.sender()
    existing = store.get_subscriber(address)
    if existing is None:
        status: SubscriberStatus = "active" if confirmed else "pending"
        subscriber, _ = store.put_subscriber(address, preferences, status=status, now=now)
        if confirmed:
            return Admission("added", address, subscriber=subscriber)
        try:
            return _invite(store, subscriber, preferences, mailer, settings, now)
        except MailFailure:
            # Not left pending without a mail: a rerun then adds and invites it again.
            store.delete_subscriber(subscriber.id)
            raise
    if existing.status in ("unsubscribed", "paused"):
        why = existing.status + (f" ({existing.paused_reason})" if existing.paused_reason else "")
        return Admission(
            "skipped", address, f"{why}: only its owner can subscribe it again", existing
        )
    same = existing.preferences == preferences
    if existing.status == "active":
        if same:
            return Admission("unchanged", address, subscriber=existing)
        updated = store.update_subscriber(existing.id, now=now, preferences=preferences)
        return Admission("updated", address, subscriber=updated)
    # Pending.
    if confirmed:
        activated = store.update_subscriber(
            existing.id, now=now, status="active", preferences=preferences
        )
        return Admission("updated", address, "confirmed", activated)
    if same:
        return Admission("unchanged", address, "confirmation already sent", existing)
    return _invite(store, existing, preferences, mailer, settings, now)


def _invite(
    store: Store,
    subscriber: Subscriber,
    preferences: Preferences,
    mailer: Mailer | None,
    settings: DeliverySettings,
    now: datetime,
) -> Admission:
    if mailer is None:
        raise AddressError("no mailer to send the confirmation with", subject=subscriber.email)
    pending = request_confirmation(
        store, subscriber, preferences, mailer=mailer, settings=settings, now=now
    )
    return Admission("invited", subscriber.email, "confirmation sent", pending)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split(LIST_SEPARATOR) if v.strip())


def row_preferences(row: dict[str, str | None]) -> Preferences:
    """A CSV row's preferences; PreferencesError names the bad field."""
    send_time = (row.get("send_time") or "").strip()
    return Preferences(
        topics=_split(row.get("topics")),
        people=_split(row.get("people")),
        queries=_split(row.get("queries")),
        frequency=cast(Frequency, (row.get("frequency") or "daily").strip().lower()),
        send_time=parse_send_time(send_time) if send_time else Preferences().send_time,
        timezone=(row.get("timezone") or DEFAULT_TIMEZONE).strip(),
    )


def check_header(fields: Iterable[str] | None, source: str) -> None:
    """Refuse a CSV whose header lacks `email` or names unknown columns."""
    names = [f.strip().lower() for f in fields or []]
    if "email" not in names:
        raise AddressError(
            "the CSV has no email column (the first row must name the columns)",
            subject=source,
            fix="columns: " + ", ".join(CSV_COLUMNS),
        )
    unknown = [n for n in names if n not in CSV_COLUMNS]
    if unknown:
        raise AddressError(
            f"unknown CSV column {unknown[0]!r}",
            subject=source,
            fix="columns: " + ", ".join(CSV_COLUMNS),
        )


def import_rows(
    store: Store,
    lines: Iterable[str],
    *,
    source: str,
    confirmed: bool,
    mailer: Mailer | None,
    settings: DeliverySettings,
    now: datetime | None = None,
) -> ImportReport:
    """Import CSV lines; each bad row is recorded with its line number and the rest go in."""
    reader = csv.DictReader(lines)
    check_header(reader.fieldnames, source)
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    report = ImportReport()
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        raw = (row.get("email") or "").strip()
        try:
            if None in row:
                raise AddressError("the row has more cells than the header", subject=raw)
            address = normalise_email(raw)
            if address in seen:
                raise AddressError(f"repeats line {seen[address]}", subject=address)
            seen[address] = line
            done = admit(
                store,
                address,
                row_preferences(row),
                confirmed=confirmed,
                mailer=mailer,
                settings=settings,
                now=now,
            )
        except (AddressError, MailFailure, PreferencesError) as exc:
            message = str(exc) if isinstance(exc, PreferencesError) else exc.render()
            report.failed.append((line, raw, message))
            continue
        if done.status == "skipped":
            report.skipped.append((line, done.email, done.detail))
        else:
            report.counts[done.status] += 1
    return report

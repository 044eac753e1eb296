"""`westminster send`: deliver an edition to every subscriber whose send time has come."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, cast
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from westminster.cli.ingest_cmd import INTERRUPTED_EXIT, Db, load_config, open_configured_store
from westminster.cli.output import stderr
from westminster.cli.subscribers_cmd import cli_errors, delivery_settings
from westminster.config import Config
from westminster.delivery.alerts import send_alerts
from westminster.delivery.editions import EDITION_KINDS, latest_complete
from westminster.delivery.mailer import SMTPMailer
from westminster.delivery.outbox import SendReport, plan_edition, send_edition
from westminster.delivery.settings import DeliverySettings
from westminster.errors import WestminsterError
from westminster.models import Article
from westminster.store import PutResult, Store

stdout = Console(highlight=False, soft_wrap=True)

# Editions are days of UK politics: "yesterday" is the date in London, whoever runs the sender.
EDITION_ZONE = ZoneInfo("Europe/London")


def _when(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a time like 2026-11-24T07:30+00:00", param_hint="--now"
        ) from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _day(value: str | None, kind: str, now: datetime) -> date:
    if value is None:
        return latest_complete(kind, now, EDITION_ZONE)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date in YYYY-MM-DD form", param_hint="--date"
        ) from None


def send(
    edition: Annotated[
        str, typer.Option("--edition", help="daily (to daily subscribers) or weekly.")
    ] = "daily",
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The news day the edition covers (weekly: any day of its week). Default: "
            "yesterday in London (weekly: last week).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print who would get which stories; send nothing.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            metavar="ISO-TIME",
            help="Decide who is due as if it were this time (default: the real time).",
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Send an edition to each subscriber of its frequency whose local send time has passed.

    The daily edition of a day goes out the next morning, at each subscriber's send time in
    their time zone; the weekly edition of a week on the Monday after.

    Run it often (e.g. every 15 minutes from cron): each run sends to those whose time has
    come and who have not had the edition; a killed run is finished by the next without
    sending anyone a second copy. Ends with: sent N, skipped N (nothing matched), failed N
    (address paused), deferred N (retried next run), waiting N (send time not yet come).

    Example: westminster send --edition daily --dry-run
    """
    if edition not in EDITION_KINDS:
        raise typer.BadParameter(
            f"{edition!r} is not one of {', '.join(EDITION_KINDS)}", param_hint="--edition"
        )
    moment = _when(now)
    edition_day = _day(day, edition, moment)
    config = load_config()
    settings = delivery_settings(config)
    store = open_configured_store(config, db)
    try:
        if dry_run:
            with cli_errors():
                name, plan, waiting = plan_edition(store, edition, edition_day, now=moment)
            for planned in plan:
                if not planned.items:
                    stdout.print(f"{planned.subscriber.email}: nothing matches (skipped)")
                    continue
                heads = "; ".join(item.headline for item in planned.items)
                count = len(planned.items)
                stdout.print(
                    f"{planned.subscriber.email}: {count} stor{'y' if count == 1 else 'ies'}: "
                    f"{heads}",
                    markup=False,
                )
            stderr.print(
                f"{name}: would send {sum(1 for p in plan if p.items)}, skip "
                f"{sum(1 for p in plan if not p.items)}, waiting {waiting} (dry run: nothing sent)",
                markup=False,
            )
            return
        report = SendReport("")
        try:
            with cli_errors(), SMTPMailer(settings) as mailer:
                report = send_edition(
                    store, edition, edition_day, mailer=mailer, settings=settings, now=moment
                )
        except KeyboardInterrupt:
            stderr.print("interrupted: the next run finishes the edition", markup=False)
            raise typer.Exit(code=INTERRUPTED_EXIT) from None
    finally:
        store.close()
    for email, reason in report.failures:
        stderr.print(f"not sent: {email}: {reason}", markup=False)
    stderr.print(report.line(), markup=False)


class NewArticles:
    """A store wrapper that notes the ids of articles stored as new (for `watch`'s alerts)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.ids: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def put_article(self, article: Article, **kwargs: Any) -> PutResult:
        """Store the article and remember its id when it is new."""
        result = self._store.put_article(article, **kwargs)
        if result.status == "new":
            self.ids.append(result.article_id)
        return result

    def drain(self) -> list[str]:
        """The ids noted since the last call."""
        ids, self.ids = self.ids, []
        return ids


class WatchAlerts:
    """After each `watch` pass, alert immediate subscribers to the pass's new articles."""

    def __init__(self, store: Store, config: Config) -> None:
        self.recorder = NewArticles(store)
        self.store = store
        self._settings: DeliverySettings | None = None
        self._problem = ""
        try:
            settings = DeliverySettings.from_config(config)
            settings.require_secret()
            settings.sender()
            self._settings = settings
        except WestminsterError as exc:
            self._problem = exc.render()
        self._warned = False

    @property
    def wrapped(self) -> Store:
        """The store for the ingester to write through."""
        return cast(Store, self.recorder)

    def after_pass(self) -> str | None:
        """Send the pass's alerts; a line saying what was sent (None when nothing to say)."""
        ids = self.recorder.drain()
        if self._settings is None:
            if not self._warned and self.store.subscribers(status="active", frequency="immediate"):
                self._warned = True
                return f"alerts off: {self._problem}"
            return None
        try:
            with SMTPMailer(self._settings) as mailer:
                report = send_alerts(self.store, ids, mailer=mailer, settings=self._settings)
        except WestminsterError as exc:
            return f"error: alerts: {exc.render()}"
        if not (report.sent or report.failed or report.deferred):
            return None
        return f"alerts: sent {report.sent}, failed {report.failed}, deferred {report.deferred}"

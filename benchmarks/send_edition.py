"""Build and send a daily edition to N subscribers (default 10,000) through a local SMTP server.

Usage: .venv/bin/python benchmarks/send_edition.py [--subscribers N] [--db URL --date D]

The SMTP server is aiosmtpd on 127.0.0.1 in a process of its own (it counts what it accepts). The
subscribers get a mix of preferences: a third follow everything, the others a topic, a person
or a keyword query (some match nothing and are skipped). With --db the edition is built by the
pipeline's `build_daily` from that store's stories (its subscribers are left alone: the
benchmark's are added to a copy-free fresh SQLite store only without --db); without it, from
ten stories made of real BBC politics headlines in ../shared/data when present, else
synthetic ones. Prints the build time, the send time and messages per second.
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import socket
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from westminster.delivery.editions import Builder, default_builder
from westminster.delivery.mailer import SMTPMailer
from westminster.delivery.outbox import send_edition
from westminster.delivery.settings import DeliverySettings
from westminster.models import Briefing, BriefingItem, CitedSentence, Preferences, SourceRef
from westminster.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "data" / "bbc-politics" / "articles"
TOPICS = ("defence", "economy", "health", "education", "immigration")
PEOPLE = ("person:keir-starmer", "person:rachel-reeves", "person:wes-streeting")
DAY = date(2026, 11, 24)


class Counter:
    """An aiosmtpd handler that counts accepted messages and their bytes."""

    def __init__(self, messages: Any, size: Any) -> None:
        self.messages = messages
        self.size = size

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.messages.get_lock():
            self.messages.value += 1
            self.size.value += len(envelope.content)
        return "250 OK"


def serve(port: int, messages: Any, size: Any, ready: Any, stop: Any) -> None:
    """Run the SMTP server in its own process (as a real relay is) until `stop` is set."""
    controller = Controller(Counter(messages, size), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def _stories() -> list[tuple[str, str]]:
    files = sorted(BBC.glob("*.txt"))[:10] if BBC.is_dir() else []
    out = []
    for f in files:
        head, _, body = f.read_text(encoding="utf-8", errors="replace").strip().partition("\n")
        out.append((head.strip(), " ".join(body.split()[:60])))
    while len(out) < 10:
        n = len(out)
        out.append((f"Story {n} about {TOPICS[n % 5]}", f"Ministers discussed {TOPICS[n % 5]}."))
    return out


def synthetic_builder() -> Builder:
    """Ten stories, each with a topic and a person, cited to one source."""

    def build(store: Store, day: date, now: datetime) -> Briefing:
        items = []
        for n, (head, lead) in enumerate(_stories()):
            ref = SourceRef(f"a{n}", head, "BBC News", f"https://news.example.org/{n}", day)
            items.append(
                BriefingItem(
                    story_id=f"s{n}",
                    headline=head,
                    summary=(CitedSentence(lead, ref),),
                    sources=(ref,),
                    outlets=3,
                    people=(PEOPLE[n % 3],),
                    topics=(TOPICS[n % 5],),
                )
            )
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return Briefing("daily", "Westminster Update", start, start, now, items=tuple(items))

    return build


def add_subscribers(store: Store, n: int) -> None:
    """N active daily subscribers with a mix of preferences."""
    when = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(n):
        kind = i % 6
        if kind < 2:
            prefs = Preferences()
        elif kind == 2:
            prefs = Preferences(topics=(TOPICS[i % 5],))
        elif kind == 3:
            prefs = Preferences(people=(PEOPLE[i % 3],))
        elif kind == 4:
            prefs = Preferences(queries=("budget",))
        else:
            prefs = Preferences(topics=("agriculture",))  # matches nothing: skipped
        store.put_subscriber(f"reader{i:05d}@example.org", prefs, status="active", now=when)


def main() -> None:
    """Run the benchmark once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--db", help="a store with stories: build the edition with build_daily")
    parser.add_argument("--date", type=date.fromisoformat, default=DAY)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or Path(tmp) / "bench.db")
        if args.db:
            build = default_builder("daily")
        else:
            build = synthetic_builder()
            started = time.perf_counter()
            add_subscribers(store, args.subscribers)
            print(f"subscribers: {args.subscribers} added in {time.perf_counter() - started:.1f} s")
        timings: dict[str, float] = {}

        def timed_build(store: Store, day: date, now: datetime) -> Briefing:
            begun = time.perf_counter()
            briefing = build(store, day, now)
            timings["build"] = time.perf_counter() - begun
            return briefing

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        messages, size = mp.Value("q", 0), mp.Value("q", 0)
        ready, stop = mp.Event(), mp.Event()
        server = mp.Process(target=serve, args=(port, messages, size, ready, stop))
        server.start()
        if not ready.wait(30):
            raise SystemExit("the SMTP server did not start")
        settings = DeliverySettings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            mail_from="Westminster Update <briefing@example.org>",
            base_url="https://westminster.example.org",
            secret_key="benchmark-key",
        )
        now = datetime.combine(args.date, datetime.max.time(), tzinfo=UTC)
        try:
            begun = time.perf_counter()
            with SMTPMailer(settings) as mailer:
                report = send_edition(
                    store, "daily", args.date, mailer=mailer, settings=settings, now=now,
                    build=timed_build,
                )  # fmt: skip
            total = time.perf_counter() - begun
        finally:
            stop.set()
            server.join()
            store.close()
    build_s = timings.get("build", 0.0)
    send_s = total - build_s
    print(report.line())
    print(
        f"build {build_s:.2f} s; send {send_s:.1f} s for {report.sent} messages "
        f"({report.sent / send_s:.0f} messages/s, {report.skipped} skipped); "
        f"total {total:.1f} s; server received {messages.value} messages, "
        f"{size.value / max(messages.value, 1) / 1024:.1f} KiB each"
    )


if __name__ == "__main__":
    main()

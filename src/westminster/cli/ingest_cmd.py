"""`westminster ingest` and `westminster watch`: sources into the store, with progress."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from westminster.config import Config, ConfigError
from westminster.errors import WestminsterError
from westminster.ingest.fetcher import Fetcher
from westminster.models import Analysis, Article, Rejection
from westminster.nlp.analyzer import Analyzer
from westminster.pipeline.ingest import IngestCounts, Ingester, IngestOptions, fetch_settings
from westminster.pipeline.reclean import BatchAnalyser
from westminster.pipeline.reclean import reclean as reclean_store
from westminster.pipeline.watch import PassReport, Schedule
from westminster.pipeline.watch import watch as watch_sources
from westminster.store import Store, open_store

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

# Setup problems (bad settings, a store that cannot be opened, no sources) exit like a usage
# error; rejected pages do not change the exit code: they are recorded and counted.
SETUP_ERROR_EXIT = 2
INTERRUPTED_EXIT = 130  # the shell's code for a process stopped by Ctrl-C (128 + SIGINT)
DESCRIPTION_WIDTH = 40

Db = Annotated[
    str | None,
    typer.Option("--db", help="Store: SQLite path or postgresql:// URL. Default: $WESTMINSTER_DB."),
]
NoAnalyse = Annotated[
    bool, typer.Option("--no-analyse", help="Store and dedupe only; analyse later.")
]
AllowLoopback = Annotated[
    bool,
    typer.Option("--allow-loopback", help="Fetch URLs on 127.0.0.1 / ::1 (local testing)."),
]
Processes = Annotated[
    int,
    typer.Option(
        "--processes",
        "-p",
        min=1,
        help="Analyse on N worker processes (each loads the model once) while this one "
        "reads, cleans and stores; the stored results are the same for any N.",
    ),
]


class RichProgress:
    """One progress line per source: records seen, new and rejected so far, time taken."""

    def __init__(self, console: Console) -> None:
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} records, {task.fields[new]} new,"),
            TextColumn("{task.fields[rejected]} rejected"),
            TimeElapsedColumn(),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {}

    def source_started(self, spec: str) -> None:
        """Add a bar for the source."""
        name = spec if len(spec) <= DESCRIPTION_WIDTH else "…" + spec[-DESCRIPTION_WIDTH + 1 :]
        self._tasks[spec] = self.bars.add_task(name, total=None, new=0, rejected=0)

    def item_done(self, spec: str, outcome: str) -> None:
        """Advance the source's bar."""
        task = self._tasks.get(spec)
        if task is None:
            return
        fields = self.bars.tasks[self._index(task)].fields
        update = {k: fields[k] + 1 for k in ("new", "rejected") if k == outcome}
        self.bars.update(task, advance=1, **update)

    def source_finished(self, spec: str) -> None:
        """Mark the source's bar complete."""
        task = self._tasks.get(spec)
        if task is not None:
            done = self.bars.tasks[self._index(task)].completed
            self.bars.update(task, total=max(done, 1), completed=done)

    def _index(self, task: TaskID) -> int:
        return next(i for i, t in enumerate(self.bars.tasks) if t.id == task)


@contextmanager
def setup_errors() -> Iterator[None]:
    """Bad settings or an unopenable store: one error line and exit code 2."""
    try:
        yield
    except ConfigError as exc:
        stderr.print(f"error: settings: {exc}", markup=False)
        raise typer.Exit(code=SETUP_ERROR_EXIT) from None
    except WestminsterError as exc:
        stderr.print(f"error: {exc.render()}", markup=False)
        raise typer.Exit(code=SETUP_ERROR_EXIT) from None


def load_config() -> Config:
    """The run's settings (exits 2 with a clear line when they are bad)."""
    with setup_errors():
        return Config.from_env()


def open_configured_store(config: Config, db: str | None) -> Store:
    """The store named by --db or the settings (exits 2 when it cannot be opened)."""
    with setup_errors():
        return open_store(db or config.db)


def _ingester(
    store: Store, fetcher: Fetcher, config: Config, *, no_analyse: bool, processes: int = 1
) -> Ingester:
    options = IngestOptions(analyse=not no_analyse, processes=processes, model=config.spacy_model)
    return Ingester(
        store,
        fetcher,
        options,
        analyzer=lambda: Analyzer(config.spacy_model),
        max_bytes=config.max_input_bytes,
    )


def _batch_analyser(config: Config) -> BatchAnalyser:
    """Analyse batches with one Analyzer, its model loaded on the first batch."""
    loaded: list[Analyzer] = []

    def analyse(articles: Sequence[Article]) -> list[Analysis | Rejection]:
        if not loaded:
            loaded.append(Analyzer(config.spacy_model))
        return loaded[0].analyse_batch(articles)

    return analyse


def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Feeds (RSS/Atom, file or URL), OPML lists, sitemaps, web pages, folders of "
            ".txt/.md/.html, .jsonl files, WARC/ARC archives.",
            show_default=False,
        ),
    ],
    db: Db = None,
    no_analyse: NoAnalyse = False,
    allow_loopback: AllowLoopback = False,
    reclean: Annotated[
        bool,
        typer.Option(
            "--reclean",
            help="Afterwards, remove newly learned boilerplate lines from articles stored "
            "before they were learned (a new version of each article changed).",
        ),
    ] = False,
    processes: Processes = 1,
) -> None:
    """Ingest sources into the store: clean, dedupe, analyse, and record every rejection.

    Safe to repeat (unchanged pages change nothing) and to kill: a rerun resumes an archive
    where it stopped. Ends with: new N, updated N, unchanged N, duplicate N, rewrite N,
    rejected N.

    Example: westminster ingest crawl.warc.gz https://example.org/politics/rss --db news.db
    """
    config = load_config()
    store = open_configured_store(config, db)
    counts = IngestCounts()
    try:
        with Fetcher(fetch_settings(config, allow_loopback=allow_loopback)) as fetcher:
            ingester = _ingester(store, fetcher, config, no_analyse=no_analyse, processes=processes)
            progress = RichProgress(stderr)
            try:
                with progress.bars:
                    ingester.run(sources, progress)
            finally:
                counts = ingester.counts
            if reclean:
                analyse = None if no_analyse else _batch_analyser(config)
                changed = reclean_store(store, ingester.outlet_filter, analyse=analyse)
                stderr.print(f"re-cleaned {changed} stored articles", markup=False)
    except KeyboardInterrupt:
        stderr.print(f"interrupted: {counts.line()}", markup=False)
        raise typer.Exit(code=INTERRUPTED_EXIT) from None
    finally:
        store.close()
    stderr.print(counts.line(), markup=False)


def watch(
    once: Annotated[
        bool, typer.Option("--once", help="Poll every source once, then stop.")
    ] = False,
    interval: Annotated[
        float | None,
        typer.Option(
            "--interval",
            min=1.0,
            metavar="SECONDS",
            help="Poll every source this often, whatever the settings file says.",
        ),
    ] = None,
    db: Db = None,
    no_analyse: NoAnalyse = False,
    allow_loopback: AllowLoopback = False,
    processes: Processes = 1,
) -> None:
    """Poll the sources in westminster.toml (url and interval of each) and ingest them.

    Each source is ingested when its interval has passed; Ctrl-C stops cleanly between pages.
    With -p N, each pass analyses on N worker processes, started and stopped by the pass.
    After each pass, subscribers who asked for immediate alerts are emailed the new articles
    that match what they follow (when mail_from and secret_key are set).
    """
    config = load_config()
    sources = config.sources
    if not sources:
        where = config.config_file or "westminster.toml"
        stderr.print(
            f'error: no sources to watch: add [[sources]] url = "..." to {where}', markup=False
        )
        raise typer.Exit(code=SETUP_ERROR_EXIT)
    if interval is not None:
        sources = tuple(replace(s, interval_s=interval) for s in sources)
    store = open_configured_store(config, db)
    # Imported here: send_cmd imports this module.
    from westminster.cli.send_cmd import WatchAlerts

    alerts = WatchAlerts(store, config)

    def report(done: PassReport) -> None:
        stderr.print(f"run {done.run_id}: {done.counts.line()}", markup=False)
        line = alerts.after_pass()
        if line:
            stderr.print(line, markup=False)

    try:
        with Fetcher(fetch_settings(config, allow_loopback=allow_loopback)) as fetcher:
            ingester = _ingester(
                alerts.wrapped, fetcher, config, no_analyse=no_analyse, processes=processes
            )
            watch_sources(ingester, Schedule(sources), once=once, on_pass=report)
    except KeyboardInterrupt:
        stderr.print("stopped", markup=False)
    finally:
        store.close()

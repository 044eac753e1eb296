"""Run inputs through read -> clean -> analyse, recording a Rejection for each bad item."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from westminster.config import Config
from westminster.errors import WestminsterError
from westminster.ingest.fetch import fetch_url, make_client
from westminster.ingest.local import read_path, read_stream
from westminster.models import Analysis, Article, RawPage, Rejection
from westminster.pipeline.articles import ArticleOptions, to_article

ProgressHook = Callable[[int], None]


@dataclass
class RunReport:
    """What a run did: counts and the rejected inputs, in input order."""

    processed: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many inputs were rejected."""
        return len(self.rejections)


def is_url(spec: str) -> bool:
    """True for http(s) URLs."""
    return spec.startswith(("http://", "https://"))


def read_inputs(specs: Sequence[str], config: Config) -> Iterator[RawPage | Rejection]:
    """Yield a RawPage per input, or a Rejection naming it; URLs share one client."""
    client = make_client() if any(is_url(s) for s in specs) else None
    try:
        for spec in specs:
            try:
                if spec == "-":
                    yield read_stream(max_bytes=config.max_input_bytes)
                elif is_url(spec):
                    assert client is not None
                    yield fetch_url(spec, client=client, max_bytes=config.max_input_bytes)
                else:
                    yield read_path(spec, max_bytes=config.max_input_bytes)
            except WestminsterError as exc:
                yield Rejection(stage="read", code=exc.code, detail=exc.message, input=spec)
    finally:
        if client is not None:
            client.close()


def clean_inputs(
    pages: Iterable[RawPage | Rejection], options: ArticleOptions
) -> Iterator[Article | Rejection]:
    """Turn pages into articles; a page that fails becomes a Rejection and the run goes on."""
    for page in pages:
        if isinstance(page, Rejection):
            yield page
            continue
        try:
            yield to_article(page, options)
        except WestminsterError as exc:
            yield Rejection(stage="extract", code=exc.code, detail=exc.message, input=page.source)


def source_of(article: Article) -> str:
    """The path or URL an article came from."""
    return article.url or article.path or "-"


def split_items(
    items: Iterable[Article | Rejection],
    report: RunReport,
    on_rejection: Callable[[Rejection], None],
) -> Iterator[Article]:
    """Pass articles on; record and report rejections as they come."""
    for item in items:
        if isinstance(item, Rejection):
            report.rejections.append(item)
            on_rejection(item)
        else:
            yield item


AnalyseMany = Callable[[Iterable[Article]], Iterator[Analysis]]

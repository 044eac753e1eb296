"""JSON Lines through ingest: records stored once, a rerun skips what is stored."""

from __future__ import annotations

import json
from pathlib import Path

from westminster.config import Config
from westminster.ingest.fetcher import Fetcher
from westminster.pipeline.ingest import Ingester, IngestOptions, fetch_settings
from westminster.store import open_store

STORIES = (
    "The chancellor froze fuel duty for another year, costing the Treasury £3 billion.",
    "Nurses in Wales accepted a pay offer after months of strikes over staffing.",
    "A Commons committee criticised the Home Office over delays to asylum claims.",
    "Scotland's first minister opened a new ferry route to the Western Isles.",
    "The defence secretary confirmed an order for twelve new frigates from Rosyth.",
    "Teachers' unions balloted members over funding cuts to sixth-form colleges.",
    "Ofgem raised the energy price cap by 10% from October, adding £149 to bills.",
)


def write_records(path: Path, count: int) -> None:
    lines = [
        {
            "id": f"wire-{n}",
            "title": STORIES[n].split(",")[0][:60],
            "text": STORIES[n],
            "published": "2024-09-13",
            "outlet": "Wire",
        }
        for n in range(count)
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")


def test_jsonl_rerun_skips_stored_records(tmp_path: Path) -> None:
    source = tmp_path / "wire.jsonl"
    write_records(source, 5)
    store = open_store(tmp_path / "store.db")
    fetcher = Fetcher(fetch_settings(Config()))
    first = Ingester(store, fetcher, IngestOptions(analyse=False))
    first.run([str(source)])
    assert first.counts.new == 5 and first.counts.rejected == 0
    assert store.stored_records(str(source)) >= {f"wire-{n}" for n in range(5)}

    write_records(source, 7)  # two more lines arrive
    second = Ingester(store, fetcher, IngestOptions(analyse=False))
    second.run([str(source)])
    assert second.counts.as_dict() == {
        "new": 2, "updated": 0, "unchanged": 0, "duplicate": 0, "rewrite": 0, "rejected": 0,
    }  # fmt: skip
    assert len(list(store.iter_articles())) == 7
    store.close()

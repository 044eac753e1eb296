"""A folder of articles: recursive, stable order, bad files recorded, others ignored."""

from __future__ import annotations

from pathlib import Path

from westminster.ingest.sources.directory import DirectorySource
from westminster.models import RawPage, Rejection


def make_tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "z.txt").write_text("Headline\n\nBody text.")
    (root / "b" / "story.html").write_text("<html><body><p>Hi</p></body></html>")
    (root / "a" / "deep" / "note.md").write_text("# Title\n\nText.")
    (root / "a" / "empty.txt").write_text("   \n")
    (root / "a" / "image.png").write_bytes(b"\x89PNG")
    (root / ".git" / "config.txt").write_text("hidden")
    (root / "big.txt").write_text("x" * 5000)


def test_files_in_stable_sorted_order(tmp_path: Path) -> None:
    make_tree(tmp_path)
    items = list(DirectorySource(tmp_path, max_bytes=1000).fetch())
    names = [Path(i.source if isinstance(i, RawPage) else i.input).name for i in items]
    assert names == ["note.md", "empty.txt", "story.html", "big.txt", "z.txt"]
    kinds = {Path(i.input).name: i.detail for i in items if isinstance(i, Rejection)}
    assert kinds["empty.txt"] == "is empty" and "limit" in kinds["big.txt"]
    html = next(i for i in items if isinstance(i, RawPage) and i.source.endswith(".html"))
    assert html.content_type == "text/html" and html.path == str(tmp_path / "b" / "story.html")


def test_same_order_every_time(tmp_path: Path) -> None:
    make_tree(tmp_path)
    source = DirectorySource(tmp_path, max_bytes=10_000)
    assert source.files() == source.files() == DirectorySource(tmp_path, max_bytes=1).files()


def test_a_single_file_and_a_missing_folder(tmp_path: Path) -> None:
    story = tmp_path / "one.txt"
    story.write_text("Headline\n\nBody.")
    (page,) = DirectorySource(story, max_bytes=1000).fetch()
    assert isinstance(page, RawPage) and page.content_type == "text/plain"
    (missing,) = DirectorySource(tmp_path / "nope", max_bytes=1000).fetch()
    assert isinstance(missing, Rejection) and "not a directory" in missing.detail

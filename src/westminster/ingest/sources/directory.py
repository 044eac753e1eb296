"""A folder of .txt/.md/.html files, read recursively in a stable (sorted path) order.

A single article file is a folder of one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from westminster.errors import InputError, WestminsterError
from westminster.ingest.local import HTML_SUFFIXES, TEXT_SUFFIXES, read_path
from westminster.models import RawPage, Rejection

STAGE = "read"
PAGE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


class DirectorySource:
    """Every article file under a folder (or one file); other and hidden files are ignored."""

    def __init__(self, root: str | Path, *, max_bytes: int):
        self.root = Path(root)
        self.name = str(root)
        self.max_bytes = max_bytes

    def files(self) -> list[Path]:
        """The article files, sorted by their path relative to the root."""
        if self.root.is_file():
            return [self.root]
        if not self.root.is_dir():
            raise InputError("is not a directory", subject=self.name)
        found = [
            path
            for path in self.root.rglob("*")
            if path.suffix.lower() in PAGE_SUFFIXES
            and path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(self.root).parts)
        ]
        return sorted(found, key=lambda path: path.relative_to(self.root).as_posix())

    def fetch(self) -> Iterator[RawPage | Rejection]:
        """One RawPage per readable file; unreadable, empty or oversized files as Rejections."""
        try:
            files = self.files()
        except InputError as exc:
            yield Rejection(STAGE, exc.code, exc.message, self.name)
            return
        for path in files:
            spec = str(path)
            try:
                page = read_path(spec, max_bytes=self.max_bytes)
            except WestminsterError as exc:
                yield Rejection(STAGE, exc.code, exc.message, spec)
                continue
            if not page.content.strip():
                yield Rejection(STAGE, InputError.code, "is empty", spec)
                continue
            yield page

"""Read a local path or standard input into a RawPage, refusing what cannot be an article."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from westminster.errors import InputError
from westminster.models import RawPage

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})


def content_type_for(path: Path) -> str:
    """Guess the content type from the file name ("" when the content must decide)."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix in TEXT_SUFFIXES:
        return "text/plain"
    return ""


def read_path(spec: str, *, max_bytes: int) -> RawPage:
    """Read a file; missing, unreadable, empty or oversized files raise InputError."""
    path = Path(spec)
    if not path.exists():
        raise InputError("no such file", subject=spec, fix="check the path")
    if path.is_dir():
        raise InputError("is a directory, not a file", subject=spec, fix="name the files inside it")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"is {size:,} bytes, over the {max_bytes:,}-byte limit for one article",
                subject=spec,
                fix="raise WESTMINSTER_MAX_INPUT_BYTES if this really is one article",
            )
        content = path.read_bytes()
    except PermissionError as exc:
        raise InputError("permission denied", subject=spec) from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", subject=spec) from exc
    return RawPage(content=content, source=spec, content_type=content_type_for(path), path=spec)


def read_stream(stream: BinaryIO | None = None, *, max_bytes: int, source: str = "-") -> RawPage:
    """Read standard input (or a given binary stream) up to the size limit."""
    reader = stream if stream is not None else sys.stdin.buffer
    content = reader.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise InputError(f"is over the {max_bytes:,}-byte limit for one article", subject=source)
    return RawPage(content=content, source=source)

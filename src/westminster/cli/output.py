"""Shared CLI output: JSON emission, error lines and the closing count."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from westminster.models import Rejection

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_rejection(rejection: Rejection) -> None:
    """One plain line on stderr naming the input and the problem."""
    stderr.print(f"error: {rejection.input}: {rejection.detail} [{rejection.code}]", markup=False)


def print_closing_count(total: int, failed: int) -> None:
    """With several inputs, end with how many failed."""
    if total > 1 or failed:
        ok = total - failed
        stderr.print(f"{ok} of {total} inputs processed, {failed} failed", markup=False)


def write_json(obj: Any, *, lines: bool) -> None:
    """One compact line (JSON Lines) or an indented object, to stdout."""
    text = json.dumps(obj, ensure_ascii=False, indent=None if lines else 2)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()

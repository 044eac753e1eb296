"""Placeholder: being written by a helper; replace wholesale."""

from __future__ import annotations


def command() -> None:
    """Not written yet."""
    raise NotImplementedError

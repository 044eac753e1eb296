"""The raw attribution a rule finds, before its speaker is resolved and linked."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """Content offsets, kind, and the token indices of the cue and the source head, if any."""

    start: int
    end: int
    kind: str  # "direct" | "indirect" | "mixed" | "continuation"
    cue: tuple[int, int] | None = None  # character span of the cue
    source: int | None = None  # token index of the source's head word
    follows: bool = False  # uncued: takes the speaker of the attribution just before it

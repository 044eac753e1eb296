"""Duplicates and rewrites: exact copies, syndicated near-copies and paraphrased rewrites."""

from westminster.dedupe.index import DuplicateIndex, Kind, Verdict

__all__ = ["DuplicateIndex", "Kind", "Verdict"]

"""Duplicates and rewrites: exact copies, syndicated near-copies and paraphrased rewrites."""

from westminster.dedupe.index import DuplicateIndex, Verdict
from westminster.dedupe.state import Kind

__all__ = ["DuplicateIndex", "Kind", "Verdict"]

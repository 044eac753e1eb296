"""The split check: a story whose members form two unlike groups is cut in two.

Wrong first joins are hard to veto when they happen (a story of one or two articles), but once
both events have several articles their centroids separate (docs/clustering-notes.md, "A split
step"). At a few sizes a story runs 2-means over its members' unit vectors; when both groups
are big enough and unlike, the group without the story's first article leaves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from westminster.stories.vectors import Vector, add_into, dot

# Measured in a prototype on the ECB+ tuning topics (docs/clustering-notes.md, join 0.25, mean
# B-cubed F1 over file order and seven shuffles): checking at these sizes with groups of >= 4
# and a centroid cosine below 0.5 scored 0.902 against 0.895-0.901 for checking at every
# join and 0.8946 without splits. Members beyond the last size are not kept (memory bound).
MAX_SPLIT_MEMBERS = 32
SPLIT_CHECK_SIZES = (6, 8, 10, 12, 16, 20, 24, 32)
MIN_SPLIT_GROUP = 4
SPLIT_THRESHOLD = 0.5
# 2-means rounds: the groups settled within 5 in the prototype (about 6 ms for 32 members).
SPLIT_ROUNDS = 5


def _norm(vector: Vector) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


def _cosine(a: Vector, b: Vector, norm_b: float) -> float:
    norm_a = _norm(a)
    if not norm_a or not norm_b:
        return 0.0
    return dot(a, b) / (norm_a * norm_b)


def _sum(vectors: Sequence[Vector]) -> Vector:
    total: Vector = {}
    for vector in vectors:
        add_into(total, vector)
    return total


def two_groups(vectors: Sequence[Vector]) -> tuple[list[int], list[int], float] | None:
    """2-means over `vectors`: (indices with the first, the others, centroid cosine), or None.

    Seeds are the first vector and the one least like it. None when a group is empty.
    """
    if len(vectors) < 2:
        return None
    seed = min(range(1, len(vectors)), key=lambda i: dot(vectors[0], vectors[i]))
    first: Vector = dict(vectors[0])
    second: Vector = dict(vectors[seed])
    group_a: list[int] = []
    group_b: list[int] = []
    for _ in range(SPLIT_ROUNDS):
        norm_a, norm_b = _norm(first), _norm(second)
        group_a = [
            i
            for i, v in enumerate(vectors)
            if _cosine(v, first, norm_a) >= _cosine(v, second, norm_b)
        ]
        taken = set(group_a)
        group_b = [i for i in range(len(vectors)) if i not in taken]
        if not group_a or not group_b:
            return None
        first = _sum([vectors[i] for i in group_a])
        second = _sum([vectors[i] for i in group_b])
    cosine = _cosine(first, second, _norm(second))
    if group_a[0] != 0:
        group_a, group_b = group_b, group_a
    return group_a, group_b, cosine


def split_groups(vectors: Sequence[Vector]) -> tuple[list[int], list[int]] | None:
    """The (kept, leaving) member indices when the story should split, else None."""
    found = two_groups(vectors)
    if found is None:
        return None
    kept, leaving, cosine = found
    if len(kept) < MIN_SPLIT_GROUP or len(leaving) < MIN_SPLIT_GROUP:
        return None
    if cosine >= SPLIT_THRESHOLD:
        return None
    return kept, leaving

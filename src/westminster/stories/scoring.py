"""How well an article fits a story: the whole-vector cosine, names and figures apart, year clash.

Two events of one topic (two heavyweight fights of one champion, two casts of one role) share
the topic's vocabulary and its main names, so the whole-vector cosine of the second event's first
article with the first event's story is as high as a same-event follow-up's (0.30-0.45 on ECB+).
What differs is in the smaller families: the other people and places, and the numbers (dates,
scores, counts). Their own cosines, blended in, let that evidence weigh beside the shared
vocabulary; and an article whose years share none with the story's is most likely about another
event. Measured in docs/clustering-notes.md.
"""

from __future__ import annotations

import math

from westminster.stories.vectors import Vector

# Weight of each family's own cosine beside the whole-vector cosine (weight 1), for families
# both the article and the story carry (a family one side lacks drops out of the blend rather
# than counting as a mismatch). Tuned on the ECB+ tuning topics (evaluation/clustering.py; mean
# B-cubed F1 over file order and four seeded shuffles, JOIN_THRESHOLD tuned with them, the year
# clash below included): whole cosine alone 0.873; figures 0.25 + names 0.5: 0.894; figures
# 0.5 + names 0.5: 0.893; figures 0.5 + names 1.0: 0.893; words' own cosine added at 0.5: 0.886
# (docs/clustering-notes.md).
FAMILY_WEIGHTS: dict[str, float] = {"n": 0.5, "f": 0.25}
# Subtracted when both the article and the story mention years (figures 1900-2099) and share
# none: "2012" against "2008" is two events. Same ECB+ tuning, with the blend above: no penalty
# 0.884, 0.05 0.888, 0.10 0.894, 0.15 0.892: more costs more splits than it prevents merges. A
# penalty, not a veto: a follow-up may recall another year (a veto, 1.0: 0.865).
YEAR_CLASH_PENALTY = 0.1
FIRST_YEAR, LAST_YEAR = 1900, 2099


def is_year(feature: str) -> bool:
    """True for a figure feature that reads as a year: "f:2012"."""
    digits = feature[2:]
    return (
        feature.startswith("f:")
        and len(digits) == 4
        and digits.isdigit()
        and FIRST_YEAR <= int(digits) <= LAST_YEAR
    )


def story_score(vector: Vector, centroid: Vector, norm: float) -> float:
    """Fit of a unit `vector` to a story `centroid` of length `norm`, in cosine units."""
    if not norm:
        return 0.0
    total = 0.0
    family_dot: dict[str, float] = {}
    family_article: dict[str, float] = {}
    article_years: set[str] = set()
    for feature, weight in vector.items():
        family = feature[0]
        other = centroid.get(feature)
        if family in FAMILY_WEIGHTS:
            family_article[family] = family_article.get(family, 0.0) + weight * weight
            if other is not None:
                family_dot[family] = family_dot.get(family, 0.0) + weight * other
            if family == "f" and is_year(feature):
                article_years.add(feature)
        if other is not None:
            total += weight * other
    family_story: dict[str, float] = {}
    story_years = False
    year_shared = False
    for feature, weight in centroid.items():
        family = feature[0]
        if family in FAMILY_WEIGHTS:
            family_story[family] = family_story.get(family, 0.0) + weight * weight
            if article_years and family == "f" and is_year(feature):
                story_years = True
                year_shared = year_shared or feature in article_years
    blended, weights = total / norm, 1.0
    for family, family_weight in FAMILY_WEIGHTS.items():
        article_sq, story_sq = family_article.get(family), family_story.get(family)
        if article_sq and story_sq:
            cosine = family_dot.get(family, 0.0) / math.sqrt(article_sq * story_sq)
            blended += family_weight * cosine
            weights += family_weight
    score = blended / weights
    if story_years and not year_shared:
        score -= YEAR_CLASH_PENALTY
    return score

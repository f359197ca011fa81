"""Item analysis as in Moodle's quiz statistics: facility, discrimination, Cronbach's alpha.

Pure functions on a learners-by-items score matrix; ``None`` marks an answer that is not
graded yet (a written answer awaiting the trainer). Pending answers are left out item by
item: an item's facility uses the learners graded on it, its discrimination compares
their score on it with their score on the rest of the test (the other items they have
been graded on, as a share of those items' points, which equals Moodle's rest-of-test
correlation when everything is graded). Cronbach's alpha needs every answer, so it uses
the learners with no answer pending. Whatever cannot be computed is ``None`` with a reason,
never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_LEARNERS = 5
"""Fewer graded learners than this and the figures say more about chance than about items."""


@dataclass(frozen=True)
class Flag:
    """A reason for a trainer to review an item, with the threshold that raises it."""

    code: str
    label: str
    rule: str


TOO_EASY = Flag("too-easy", "too easy", "facility above 0.90: almost everyone gets it right")
TOO_HARD = Flag("too-hard", "too hard", "facility below 0.20: almost nobody gets it right")
NEGATIVE = Flag(
    "negative-discrimination",
    "negative discrimination",
    "discrimination below 0: learners who do well on the rest of the test do worse here "
    "(check the key and the wording)",
)
WEAK = Flag(
    "weak-discrimination",
    "weak discrimination",
    "discrimination from 0 to 0.20: the item hardly separates strong from weak learners",
)
FLAGS = (TOO_EASY, TOO_HARD, NEGATIVE, WEAK)
EASY_ABOVE, HARD_BELOW, WEAK_BELOW = 0.9, 0.2, 0.2


@dataclass(frozen=True)
class ItemStats:
    """Facility (0 to 1) and discrimination (-1 to 1) of one item, or why they are missing."""

    index: int
    learners: int
    facility: float | None
    discrimination: float | None
    note: str
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class TestStats:
    items: tuple[ItemStats, ...]
    alpha: float | None
    alpha_learners: int
    alpha_note: str


Matrix = Sequence[Sequence[float | None]]


def analyse(matrix: Matrix, max_scores: Sequence[float]) -> TestStats:
    """Statistics of every item (columns of ``matrix``) and of the whole test."""
    for number, row in enumerate(matrix, start=1):
        if len(row) != len(max_scores):
            raise ValueError(f"row {number} has {len(row)} scores for {len(max_scores)} items")
    items = tuple(item_stats(matrix, max_scores, index) for index in range(len(max_scores)))
    complete = [list(row) for row in matrix if all(score is not None for score in row)]
    alpha, note = cronbach_alpha(complete)
    return TestStats(items, alpha, len(complete), note)


def item_stats(matrix: Matrix, max_scores: Sequence[float], index: int) -> ItemStats:
    """Facility and discrimination of the item in column ``index``."""
    graded = [row for row in matrix if row[index] is not None]
    maximum = max_scores[index]
    if len(graded) < MIN_LEARNERS:
        note = f"needs at least {MIN_LEARNERS} graded learners; {len(graded)} graded"
        return ItemStats(index, len(graded), None, None, note, ())
    if maximum <= 0:
        return ItemStats(index, len(graded), None, None, "the item carries no points", ())
    scores = [float(row[index]) for row in graded]
    facility = sum(scores) / len(scores) / maximum
    rest = [_rest_share(row, max_scores, index) for row in graded]
    note = ""
    if any(share is None for share in rest):
        discrimination, note = None, "not computable: no other item is graded"
    else:
        discrimination = correlation(scores, rest)  # type: ignore[arg-type]
        if discrimination is None:
            note = "not computable: " + (
                "every learner scored the same on it"
                if _constant(scores)
                else "every learner scored the same on the other items"
            )
    flags = []
    if facility > EASY_ABOVE:
        flags.append(TOO_EASY)
    if facility < HARD_BELOW:
        flags.append(TOO_HARD)
    if discrimination is not None and discrimination < 0:
        flags.append(NEGATIVE)
    elif discrimination is not None and discrimination < WEAK_BELOW:
        flags.append(WEAK)
    return ItemStats(index, len(graded), facility, discrimination, note, tuple(flags))


def _rest_share(row: Sequence[float | None], max_scores: Sequence[float], index: int):
    """The learner's score on the other graded items, as a share of their points."""
    earned = most = 0.0
    for other, score in enumerate(row):
        if other != index and score is not None:
            earned += score
            most += max_scores[other]
    return earned / most if most else None


def _constant(values: Sequence[float]) -> bool:
    return max(values) - min(values) < 1e-12


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation; ``None`` when either side does not vary."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx < 1e-12 or syy < 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def variance(values: Sequence[float]) -> float:
    """Sample variance (n - 1)."""
    mean = sum(values) / len(values)
    return sum((value - mean) ** 2 for value in values) / (len(values) - 1)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> tuple[float | None, str]:
    """Cronbach's alpha of complete rows, or ``None`` and why it cannot be computed."""
    if len(rows) < MIN_LEARNERS:
        return None, (
            f"needs at least {MIN_LEARNERS} learners with every answer graded; "
            f"{len(rows)} have every answer graded"
        )
    k = len(rows[0])
    if k < 2:
        return None, "needs at least 2 items"
    item_variance = sum(variance([row[i] for row in rows]) for i in range(k))
    total_variance = variance([sum(row) for row in rows])
    if total_variance < 1e-12:
        return None, "not computable: every learner has the same total"
    return k / (k - 1) * (1 - item_variance / total_variance), ""

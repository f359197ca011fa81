"""Scores as exact numbers, and how they are written for people.

Item scores are small fractions (a multi-select item's points over its number of keyed or
wrong options, a trainer's score with a decimal or two), but the gradebook keeps them as
floats. Adding those floats, or rounding each before adding, turns 35 into 34.9999 and
lets a learner with exactly the pass mark fail. So scores are added and compared as
fractions, and rounded once, when they are written.

Imports nothing outside the standard library: a learner's kernel loads it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from fractions import Fraction

# Item scores have small denominators; a float is read back as the nearest such fraction.
MAX_DENOMINATOR = 10_000


@functools.lru_cache(maxsize=4096)  # a cohort has few distinct scores, read many times
def exact(value: float | int | Fraction) -> Fraction:
    """The fraction a stored score stands for (2/3 for 0.6666666666666666)."""
    return Fraction(value).limit_denominator(MAX_DENOMINATOR)


def total(values: Iterable[float | int | Fraction]) -> float:
    """The exact sum of scores, as the nearest float (35.0, never 34.9999)."""
    return float(sum((exact(value) for value in values), Fraction(0)))


def at_least(earned: float, maximum: float, mark: float) -> bool:
    """Whether ``earned`` of ``maximum`` is at or above ``mark`` percent, compared exactly."""
    if not maximum:
        return False
    return exact(earned) * 100 >= exact(mark) * exact(maximum)


def percent_of(earned: float, maximum: float) -> float:
    """``earned`` as a percentage of ``maximum``, worked out exactly (70.0, not 69.99999)."""
    return float(exact(earned) * 100 / exact(maximum)) if maximum else 0.0


def percent_figure(earned: float, maximum: float, mark: float | None = None) -> str:
    """A percentage for data files, to one decimal; like :func:`percent_text`, it is cut
    towards the decision rather than rounded across ``mark`` (69.96 is "69.9", not "70.0")."""
    value = exact(percent_of(earned, maximum))
    shown = math.floor(value * 10 + Fraction(1, 2)) / 10
    if mark is not None and (value < exact(mark)) != (shown < mark):
        shown = (math.floor if value < mark else math.ceil)(value * 10) / 10
    return f"{shown:.1f}"


def points_text(value: float) -> str:
    """A score for people: at most two decimals, no trailing zeros (35, 11.5, 0.67)."""
    return f"{round(float(exact(value)), 2):g}"


def percent_text(value: float, mark: float | None = None) -> str:
    """A percentage rounded to a whole number, unless that would contradict ``mark``.

    69.8 against a pass mark of 70 is written "69.8%", not "70%": a rounded figure never
    says the opposite of the decision it explains.
    """
    shown = math.floor(value + 0.5)
    if mark is not None and (value < mark) != (shown < mark):
        step = math.floor if value < mark else math.ceil
        return f"{step(value * 10) / 10:g}%"
    return f"{shown:g}%"

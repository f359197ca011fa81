"""Scoring rules for auto-graded items.

Choice: full points for the key, nothing otherwise.

Multi-select (partial credit): each correct option picked earns ``points / len(key)``;
each wrong option picked costs ``points / number_of_wrong_options``; the score never
goes below zero. Picking everything or nothing therefore scores zero, and every right
pick counts for the same amount.
"""

from __future__ import annotations

from collections.abc import Collection
from fractions import Fraction

from grader.course.points import exact


def score_choice(answer: str, key: str, points: float) -> float:
    """Full points when the chosen option is the key, else zero."""
    return float(points) if answer == key else 0.0


def score_multi_select(
    picked: Collection[str], key: Collection[str], option_ids: Collection[str], points: float
) -> float:
    """Partial credit for a set of picked options (see the module docstring for the rule)."""
    key_set, picked_set = set(key), set(picked)
    wrong_options = len(set(option_ids) - key_set)
    right = Fraction(len(picked_set & key_set), len(key_set))
    wrong = Fraction(len(picked_set - key_set), wrong_options) if wrong_options else Fraction(0)
    return float(max(Fraction(0), right - wrong) * exact(points))

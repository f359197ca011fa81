"""Scoring: choice all-or-nothing, multi-select partial credit (see grader.course.scoring).

Multi-select rule: each right pick earns points / len(key), each wrong pick costs
points / number of wrong options, and the score never goes below zero. Expected values in
the table are worked out by hand, so a change to the rule shows up here.
"""

from __future__ import annotations

from itertools import chain, combinations

import pytest

from grader.course.items import Bank
from grader.course.scoring import score_choice, score_multi_select

FOUR = ("a", "b", "c", "d")
FIVE = ("a", "b", "c", "d", "e")
SIX = ("a", "b", "c", "d", "e", "f")


@pytest.mark.parametrize(
    ("options", "key", "points", "picked", "expected"),
    [
        # key 2 of 4, points 2: a right pick earns 1, a wrong pick costs 1
        (FOUR, "ab", 2, "ab", 2.0),
        (FOUR, "ab", 2, "a", 1.0),
        (FOUR, "ab", 2, "b", 1.0),
        (FOUR, "ab", 2, "ac", 0.0),
        (FOUR, "ab", 2, "abc", 1.0),
        (FOUR, "ab", 2, "abcd", 0.0),
        (FOUR, "ab", 2, "", 0.0),
        (FOUR, "ab", 2, "c", 0.0),
        (FOUR, "ab", 2, "cd", 0.0),
        # key 3 of 5, points 3: a right pick earns 1, a wrong pick costs 1.5
        (FIVE, "abc", 3, "abc", 3.0),
        (FIVE, "abc", 3, "ab", 2.0),
        (FIVE, "abc", 3, "a", 1.0),
        (FIVE, "abc", 3, "abd", 0.5),
        (FIVE, "abc", 3, "abcd", 1.5),
        (FIVE, "abc", 3, "ad", 0.0),
        (FIVE, "abc", 3, "abcde", 0.0),
        (FIVE, "abc", 3, "de", 0.0),
        # key 2 of 5, points 2 (like the dashboard item): right earns 1, wrong costs 2/3
        (FIVE, "ab", 2, "ab", 2.0),
        (FIVE, "ab", 2, "abc", 1.3333),
        (FIVE, "ab", 2, "abcd", 0.6667),
        (FIVE, "ab", 2, "ac", 0.3333),
        # key 3 of 6, points 2 (like the conference slides): right earns 2/3, wrong costs 2/3
        (SIX, "abc", 2, "abc", 2.0),
        (SIX, "abc", 2, "ab", 1.3333),
        (SIX, "abc", 2, "abcd", 1.3333),
        (SIX, "abc", 2, "abd", 0.6667),
        # key 1 of 3, points 1: right earns 1, wrong costs 0.5
        (("a", "b", "c"), "a", 1, "a", 1.0),
        (("a", "b", "c"), "a", 1, "ab", 0.5),
        (("a", "b", "c"), "a", 1, "abc", 0.0),
        # key is every option: nothing can be wrong
        (("a", "b"), "ab", 2, "ab", 2.0),
        (("a", "b"), "ab", 2, "b", 1.0),
        (("a", "b"), "ab", 2, "", 0.0),
        (("a", "b", "c"), "abc", 3, "ac", 2.0),
    ],
)
def test_multi_select_partial_credit(
    options: tuple[str, ...], key: str, points: float, picked: str, expected: float
) -> None:
    score = score_multi_select(list(picked), list(key), options, points)

    assert score == pytest.approx(expected, abs=1e-4)


def test_multi_select_order_of_picks_does_not_matter() -> None:
    assert score_multi_select(["d", "a", "b"], ["b", "a"], FOUR, 2) == 1.0
    assert score_multi_select(["a", "b", "d"], ["a", "b"], FOUR, 2) == 1.0


def test_multi_select_repeated_pick_counts_once() -> None:
    assert score_multi_select(["a", "a"], ["a", "b"], FOUR, 2) == 1.0
    assert score_multi_select(["c", "c", "a", "b"], ["a", "b"], FOUR, 2) == 1.0


def subsets(options: tuple[str, ...]) -> list[tuple[str, ...]]:
    return list(chain.from_iterable(combinations(options, n) for n in range(len(options) + 1)))


@pytest.mark.parametrize(
    ("options", "key", "points"),
    [(FOUR, "ab", 2), (FIVE, "abc", 3), (SIX, "a", 1), (SIX, "abcdef", 4), (FIVE, "e", 2.5)],
)
def test_multi_select_never_below_zero_nor_above_points(
    options: tuple[str, ...], key: str, points: float
) -> None:
    """Every possible set of picks scores between zero and the item's points."""
    scores = {
        picked: score_multi_select(picked, list(key), options, points)
        for picked in subsets(options)
    }

    assert min(scores.values()) == 0.0
    assert max(scores.values()) == float(points)
    assert scores[tuple(key)] == float(points)
    assert all(0.0 <= score <= points for score in scores.values())


def test_multi_select_key_of_every_option_does_not_divide_by_zero() -> None:
    assert score_multi_select(["a", "b", "c"], ["a", "b", "c"], ("a", "b", "c"), 3) == 3.0
    assert score_multi_select([], ["a", "b", "c"], ("a", "b", "c"), 3) == 0.0


def test_multi_select_returns_a_float() -> None:
    score = score_multi_select(["a", "b"], ["a", "b"], FOUR, 2)

    assert type(score) is float


def test_bank_multi_select_items_score_full_for_key_and_zero_for_everything(
    bank: Bank,
) -> None:
    items = [item for item in bank.items.values() if item.kind == "multi-select"]
    assert len(items) >= 16
    for item in items:
        assert score_multi_select(item.key, item.key, item.option_ids, item.points) == item.points
        assert score_multi_select(item.option_ids, item.key, item.option_ids, item.points) == 0.0
        assert score_multi_select((), item.key, item.option_ids, item.points) == 0.0


@pytest.mark.parametrize(
    ("answer", "points", "expected"),
    [
        ("retake-without-whiteboard", 1, 1.0),
        ("retake-without-whiteboard", 2.5, 2.5),
        ("post-as-is", 1, 0.0),
        ("post-as-is", 2.5, 0.0),
        ("Retake-Without-Whiteboard", 1, 0.0),
        ("", 1, 0.0),
    ],
)
def test_choice_is_all_or_nothing(answer: str, points: float, expected: float) -> None:
    score = score_choice(answer, "retake-without-whiteboard", points)

    assert score == expected
    assert type(score) is float

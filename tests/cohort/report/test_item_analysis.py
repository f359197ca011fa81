"""Item statistics on hand-made score matrices, checked against values worked out by hand."""

from __future__ import annotations

import math
import statistics

import pytest

from grader.cohort.report.item_analysis import NEGATIVE, TOO_EASY, TOO_HARD, WEAK, analyse

# five learners, three items worth 1, 1 and 2 points
MATRIX = [
    [1, 1, 2],
    [1, 0, 1],
    [0, 0, 0],
    [1, 1, 1],
    [0, 1, 2],
]
POINTS = [1, 1, 2]


def test_facility_discrimination_and_alpha_by_hand() -> None:
    stats = analyse(MATRIX, POINTS)
    # every item: 3 of 5 points-worth on average -> 0.6
    assert [s.facility for s in stats.items] == pytest.approx([0.6, 0.6, 0.6])
    # item 1 against the rest [3, 1, 0, 2, 3]: sxy 0.6, sxx 1.2, syy 6.8
    assert stats.items[0].discrimination == pytest.approx(0.6 / math.sqrt(1.2 * 6.8))
    assert stats.items[0].discrimination == pytest.approx(0.2100, abs=1e-4)
    for index, item in enumerate(stats.items):
        rest = [sum(row) - row[index] for row in MATRIX]
        expected = statistics.correlation([row[index] for row in MATRIX], rest)
        assert item.discrimination == pytest.approx(expected)
    # item variances 0.3 + 0.3 + 0.7, total variance 2.3: alpha = 3/2 * (1 - 1.3/2.3)
    assert stats.alpha == pytest.approx(1.5 * (1 - 1.3 / 2.3))
    assert stats.alpha_learners == 5 and stats.alpha_note == ""
    assert stats.items[0].flags == ()  # 0.21 is just above the weak threshold


def test_flags_for_items_a_trainer_should_review() -> None:
    # item 1 almost everyone gets, item 2 almost nobody, item 3 the weak learners get right
    ability = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    matrix = [[1, 1 if n == 0 else 0, 1 - a, a, a, a] for n, a in enumerate(ability)]
    matrix[10][0] = 0  # facility 10/11
    stats = analyse(matrix, [1] * 6)
    easy, hard, odd = stats.items[:3]
    assert easy.facility == pytest.approx(10 / 11) and TOO_EASY in easy.flags
    assert hard.facility == pytest.approx(1 / 11) and TOO_HARD in hard.flags
    assert odd.discrimination is not None and odd.discrimination < 0
    assert NEGATIVE in odd.flags and WEAK not in odd.flags


def test_weak_discrimination_is_flagged() -> None:
    matrix = [[1, 1, 1], [1, 0, 0], [0, 1, 1], [0, 0, 0], [1, 1, 0], [0, 0, 1]]
    stats = analyse(matrix, [1, 1, 1])
    first = stats.items[0]
    rest = [row[1] + row[2] for row in matrix]
    expected = statistics.correlation([row[0] for row in matrix], rest)
    assert 0 <= expected < 0.2 and first.discrimination == pytest.approx(expected)
    assert first.flags == (WEAK,)


def test_an_item_everyone_scores_the_same_on_is_not_computable() -> None:
    matrix = [[1, row[1], row[2]] for row in MATRIX]
    stats = analyse(matrix, POINTS)
    same = stats.items[0]
    assert same.facility == 1.0 and same.discrimination is None
    assert same.note == "not computable: every learner scored the same on it"
    assert same.flags == (TOO_EASY,)


def test_pending_answers_are_left_out_item_by_item() -> None:
    matrix = [list(row) for row in MATRIX] + [[1, 1, None]]
    stats = analyse(matrix, POINTS)
    assert stats.items[2].learners == 5 and stats.items[2].facility == pytest.approx(0.6)
    assert stats.items[0].learners == 6 and stats.items[0].facility == pytest.approx(4 / 6)
    # the sixth learner's rest is their share of the other graded item: 1 of 1 point
    rest = [(row[1] + row[2]) / 3 for row in MATRIX] + [1.0]
    expected = statistics.correlation([row[0] for row in matrix], rest)
    assert stats.items[0].discrimination == pytest.approx(expected)
    assert stats.alpha_learners == 5  # alpha only over learners with every answer graded
    assert stats.alpha == pytest.approx(1.5 * (1 - 1.3 / 2.3))


def test_small_cohorts_say_what_cannot_be_computed() -> None:
    stats = analyse(MATRIX[:3], POINTS)
    for item in stats.items:
        assert item.facility is None and item.discrimination is None and item.flags == ()
        assert item.note == "needs at least 5 graded learners; 3 graded"
    assert stats.alpha is None
    assert stats.alpha_note == (
        "needs at least 5 learners with every answer graded; 3 have every answer graded"
    )
    empty = analyse([], POINTS)
    assert empty.alpha is None and empty.items[0].learners == 0


def test_equal_totals_give_no_alpha_rather_than_nan() -> None:
    matrix = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]]
    stats = analyse(matrix, [1, 1])
    assert (
        stats.alpha is None
        and stats.alpha_note == "not computable: every learner has the same total"
    )
    assert stats.items[0].discrimination == pytest.approx(-1.0)


def test_rows_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError, match="row 2 has 2 scores for 3 items"):
        analyse([[1, 1, 1], [1, 1]], POINTS)

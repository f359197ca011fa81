"""Scores add up exactly, pass marks are compared exactly, and no rounded figure contradicts
the decision it explains."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from grader.course.passing import verdict
from grader.course.points import at_least, exact, percent_figure, percent_text, points_text, total
from grader.course.scoring import score_multi_select

TWO_THIRDS_OF_TWO = score_multi_select(["a", "b"], ["a", "b", "c"], "abcde", 2)


def test_partial_credit_adds_up_to_whole_points() -> None:
    """Three items at 2/3 of 2 points are 4 points: 35 is shown as 35, never 34.9999."""
    assert abs(TWO_THIRDS_OF_TWO - 4 / 3) < 1e-12
    assert exact(TWO_THIRDS_OF_TWO) == exact(4) / 3
    scores = [1.0] * 31 + [TWO_THIRDS_OF_TWO] * 3
    assert total(scores) == 35.0
    assert points_text(total(scores)) == "35"
    assert f"{sum(round(s, 4) for s in scores):g}" == "34.9999"  # rounded per item, then added
    assert total([0.1] * 10) == 1.0


@pytest.mark.parametrize(
    ("earned", "maximum", "mark", "passes"),
    [
        (36, 48, 75, True),  # exactly the pass mark
        (total([1.0] * 32 + [TWO_THIRDS_OF_TWO] * 3), 48, 75, True),  # 36 from fractions
        (35.99, 48, 75, False),
        (33.6, 48, 70, True),
        (33.5, 48, 70, False),
        (0, 0, 70, False),
    ],
)
def test_the_pass_mark_is_compared_exactly(earned, maximum, mark, passes) -> None:
    assert at_least(earned, maximum, mark) is passes


def test_a_learner_with_exactly_the_pass_mark_passes() -> None:
    row = SimpleNamespace(
        learner="zoe",
        score=total([1.0] * 32 + [TWO_THIRDS_OF_TWO] * 3),
        max_score=48.0,
        pending=0,
        by_guideline={"confidential": (total([TWO_THIRDS_OF_TWO] * 3), 8.0)},
    )
    judged = verdict(row, pass_mark=75, guideline_minimum=50)
    assert judged.passed and judged.percent == 75.0


@pytest.mark.parametrize(
    ("value", "mark", "shown"),
    [
        (69.8, 70, "69.8%"),
        (69.96, 70, "69.9%"),
        (70.0, 70, "70%"),
        (70.4, 70, "70%"),
        (84.5, None, "85%"),
        (49.6, 50, "49.6%"),
        (12.0, None, "12%"),
    ],
)
def test_a_percentage_never_rounds_across_the_mark(value, mark, shown) -> None:
    assert percent_text(value, mark) == shown


def test_a_failing_verdict_does_not_show_the_pass_mark_as_its_score() -> None:
    row = SimpleNamespace(
        learner="yan", score=33.5, max_score=48.0, pending=0, by_guideline={}
    )  # 69.79%
    judged = verdict(row, pass_mark=70, guideline_minimum=50)
    assert not judged.passed
    assert judged.reasons == ("overall 69.7% is below the pass mark of 70%",)


def test_data_files_round_to_one_decimal_but_never_across_the_mark() -> None:
    assert percent_figure(33.5, 48) == "69.8"  # 69.79
    assert percent_figure(33.58, 48, 70) == "69.9"  # 69.958: not the 70.0 a pass would be
    assert percent_figure(4, 6) == "66.7"
    assert percent_figure(36, 48, 75) == "75.0"
    assert percent_figure(0, 0) == "0.0"

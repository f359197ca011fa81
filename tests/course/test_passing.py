"""The pass rule: overall score, every guideline, nothing left to grade by hand."""

from __future__ import annotations

import pytest

from grader.cohort.export import Row
from grader.course.passing import verdict


def row(score: float, by_guideline: dict[str, tuple[float, float]], pending: int = 0) -> Row:
    maximum = sum(most for _, most in by_guideline.values())
    return Row("ada", "Ada", "a@x.org", "", "", score, maximum, pending, by_guideline, False)


@pytest.mark.parametrize(
    ("learner", "reasons"),
    [
        (row(7, {"confidential": (4, 5), "respect": (3, 5)}), []),
        (
            row(7, {"confidential": (5, 5), "black-period": (2, 5)}),
            ["guideline 2 During a black period, stay vague 40% is below the minimum of 50%"],
        ),
        (
            row(6.4, {"confidential": (3.4, 5), "respect": (3, 5)}),
            ["overall 64% is below the pass mark of 70%"],
        ),
        (
            row(8, {"confidential": (5, 5), "count-to-ten": (3, 5)}, pending=2),
            ["2 written answers not graded yet"],
        ),
        (
            row(3, {"confidential": (1, 5), "respect": (2, 5)}, pending=1),
            [
                "overall 30% is below the pass mark of 70%",
                "guideline 1 Don't leak confidential information 20% is below the minimum of 50%",
                "guideline 8 Be respectful 40% is below the minimum of 50%",
                "1 written answer not graded yet",
            ],
        ),
        (
            row(0, {}),  # nothing to take a percentage of: one reason, not a made-up 0%
            ["no graded questions in this submission"],
        ),
    ],
)
def test_verdict_gives_every_reason(learner: Row, reasons: list[str]) -> None:
    judged = verdict(learner, pass_mark=70, guideline_minimum=50)
    assert list(judged.reasons) == reasons
    assert judged.passed is (not reasons)


def test_the_pass_mark_and_minimum_are_inclusive() -> None:
    exactly = row(7, {"confidential": (2, 4), "respect": (5, 6)})
    assert verdict(exactly, pass_mark=70, guideline_minimum=50).passed

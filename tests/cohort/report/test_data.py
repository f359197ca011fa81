"""Report figures compiled from hand-made grades: results, mastery per team and learner."""

from __future__ import annotations

import datetime as dt

import pytest

from grader.cohort.gradebook import AssignmentGrades, Grade, Learner, Submission
from grader.cohort.report.data import (
    FAILED,
    NOT_GRADED,
    NOT_SUBMITTED,
    PASSED,
    PENDING,
    Cohort,
    compile_report,
)
from grader.course.items import Bank

EXERCISE = "exercise-03-work-private"  # multi-select 2 points, choice 1, written 3
NOW = dt.datetime(2027, 3, 1, 12, 30, tzinfo=dt.UTC)


def cohort(bank: Bank, scores: dict[str, list[float | None]], teams=None, **extra) -> Cohort:
    """A cohort whose learners scored ``scores`` (``None``: written answer still to grade)."""
    items = bank.items_of(EXERCISE)
    submissions = tuple(
        Submission(
            Learner(learner, learner.title(), ""),
            "2027-03-01 09:00:00",
            tuple(
                # as formgrader leaves it: graded answers no longer need manual grading
                Grade(item.id, score or 0.0, item.points, score is None, score)
                if item.kind == "free-text"
                else Grade(item.id, score or 0.0, item.points, False, None)
                for item, score in zip(items, row, strict=True)
            ),
        )
        for learner, row in scores.items()
    )
    students = tuple(s.learner for s in submissions) + tuple(
        Learner(name, name.title(), "") for name in extra.get("absent", ())
    )
    return Cohort(
        organisation="Meridian Group",
        assignment=f"{EXERCISE}-en",
        title="Exercise: work and private life",
        pass_mark=70.0,
        guideline_minimum=extra.get("guideline_minimum", 0.0),
        items=tuple(items),
        grades=AssignmentGrades(students, submissions),
        teams=teams or {},
        handed_in=frozenset(scores),
    )


def test_results_and_mastery_per_team_and_learner(bank: Bank) -> None:
    scores = {
        "ann": [2, 1, 3],  # 6 of 6: passed
        "ben": [1, 1, 2],  # 4 of 6: failed
        "cy": [2, 1, None],  # written answer pending
        "dan": [0, 0, 1],  # 1 of 6: failed
    }
    teams = {"ann": "IT", "ben": "IT", "cy": "HR", "dan": "HR", "eve": "HR"}
    data = compile_report(cohort(bank, scores, teams, absent=["eve"]), now=NOW)
    status = {learner.id: learner.status for learner in data.learners}
    assert status == {
        "ann": PASSED,
        "ben": FAILED,
        "cy": PENDING,
        "dan": FAILED,
        "eve": NOT_SUBMITTED,
    }
    cy = next(learner for learner in data.learners if learner.id == "cy")
    assert cy.mastery["work-private"] == pytest.approx(3 / 3)  # graded answers only
    assert cy.row is not None and cy.row.score == 3 and cy.row.pending == 1
    assert data.teams["IT"]["work-private"] == pytest.approx(10 / 12)
    assert data.teams["HR"]["work-private"] == pytest.approx((3 + 1) / (3 + 6))
    assert data.team_sizes == {"IT": 2, "HR": 2}
    (guideline,) = data.guidelines
    assert guideline.mastery == pytest.approx((6 + 4 + 3 + 1) / (6 + 6 + 3 + 6))
    assert data.weakest == (guideline,)
    assert [result.pending for result in data.items] == [0, 0, 1]


def test_a_submission_without_grades_is_not_graded_yet(bank: Bank) -> None:
    base = cohort(bank, {"ann": [2, 1, 3]})
    failed = Submission(Learner("bob", "Bob", ""), "", ())  # its autograding failed
    grades = AssignmentGrades(
        (*base.grades.students, failed.learner), (*base.grades.submissions, failed)
    )
    data = compile_report(
        Cohort(**{**base.__dict__, "grades": grades, "handed_in": frozenset()}), now=NOW
    )
    bob = next(learner for learner in data.learners if learner.id == "bob")
    assert bob.status == NOT_GRADED and bob.row is None
    assert len(data.graded) == 1 and data.stats.items[0].learners == 1

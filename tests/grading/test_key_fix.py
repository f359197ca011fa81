"""A key fixed in the bank reaches grades already given: the next plain autograde run sees
that the tests changed and grades those submissions again, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.build.assignments import build
from grader.cli.main import main
from grader.cohort.gradebook import item_scores
from grader.course.nbgrader_course import course_db_url
from grader.course.paths import SOURCE_DIR
from grader.grading.autograde import TESTS_CHANGED, autograde_cohort
from grader.learner.simulate import submit

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "exercise-01-confidential-en"
ITEM = "confidential-whiteboard-team-photo"
PICKED = "retake-without-whiteboard"  # the key as released


def fix_key(course: Path, key: str) -> None:
    path = course / SOURCE_DIR / "01-confidential.items.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(item for item in data["items"] if item["id"] == ITEM)["key"] = key
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_fixed_key_regrades_on_the_next_plain_run(built_course: Path, capsys) -> None:
    submit(built_course, ASSIGNMENT, "ada", {ITEM: PICKED})
    autograde_cohort(built_course, ASSIGNMENT, workers=1)
    assert item_scores(course_db_url(built_course), ASSIGNMENT)["ada"][ITEM] == 1.0

    fix_key(built_course, "close-friends-only")  # the trainer decides the key was wrong
    build(built_course, [ASSIGNMENT])
    assert main(["--course", str(built_course), "cohort", "autograde", ASSIGNMENT]) == 0
    out = capsys.readouterr().out
    assert "1 graded, 0 unchanged" in out
    assert "1 graded again because the assignment's tests changed" in out and ": ada" in out
    assert item_scores(course_db_url(built_course), ASSIGNMENT)["ada"][ITEM] == 0.0

    outcomes = autograde_cohort(built_course, ASSIGNMENT, workers=1)
    assert [(o.status, o.reason) for o in outcomes] == [("unchanged", "")]


def test_a_new_submission_is_graded_without_the_tests_changed_note(built_course: Path) -> None:
    submit(built_course, ASSIGNMENT, "bo", {ITEM: PICKED})
    (outcome,) = autograde_cohort(built_course, ASSIGNMENT, workers=1)
    assert outcome.status == "graded" and outcome.reason != TESTS_CHANGED

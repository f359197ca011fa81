"""Removing a learner takes their grades, submissions and feedback out of the course, and
nothing else: no other learner's files, nothing a link in their folder points at."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from grader.cli.main import main
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url
from grader.grading.autograde import autograde_cohort, generate_feedback_cohort
from grader.learner.simulate import all_right, submit

from .conftest import ASSIGNMENT, EXERCISE

pytestmark = pytest.mark.nbgrader
FOLDERS = ("submitted", "autograded", "feedback")


def run(course: Path, *args: str) -> int:
    return main(["--course", str(course), "cohort", *args])


@pytest.fixture
def graded(built_course: Path, bank: Bank) -> Path:
    answers = all_right(bank.items_of(EXERCISE))
    for learner in ("ada", "bo"):
        submit(built_course, ASSIGNMENT, learner, answers)
    autograde_cohort(built_course, ASSIGNMENT, workers=1)
    generate_feedback_cohort(built_course, ASSIGNMENT)
    return built_course


def test_a_learner_is_removed_with_grades_and_folders_and_only_after_yes(
    graded: Path, tmp_path: Path, capsys
) -> None:
    """A link in the learner's folder to a file outside is removed; the file is not."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (graded / "submitted" / "bo" / "planted").symlink_to(outside)
    assert all((graded / name / "bo").is_dir() for name in FOLDERS)

    assert run(graded, "remove", "bo") == 0
    assert "bo: would remove (run again with --yes)" in capsys.readouterr().out
    assert all((graded / name / "bo").is_dir() for name in FOLDERS), "nothing deleted yet"

    assert run(graded, "remove", "bo", "--yes") == 0
    out = capsys.readouterr().out
    assert "bo: removed: " in out and "the gradebook entry and 1 graded submission(s)" in out
    assert not any((graded / name / "bo").exists() for name in FOLDERS)
    assert all((graded / name / "ada").is_dir() for name in FOLDERS)
    assert outside.read_text() == "keep me"
    with Gradebook(course_db_url(graded)) as gradebook:
        gradebook.find_student("ada")
        with pytest.raises(MissingEntry):
            gradebook.find_student("bo")

    report = tmp_path / "report"
    assert run(graded, "report", ASSIGNMENT, "--out", str(report)) == 0
    with (report / "learners.csv").open(newline="", encoding="utf-8") as stream:
        assert [row["learner_id"] for row in csv.DictReader(stream)] == ["ada"]
    page = (report / "report.html").read_text(encoding="utf-8")
    assert "1 of 1 learners submitted" in page and "1 not autograded yet" not in page


@pytest.mark.parametrize(
    ("learner", "says"),
    [("../ada", "learner id"), ("zed", "'zed' has no grades, submissions or feedback")],
)
def test_a_learner_who_cannot_be_removed_is_refused(
    graded: Path, capsys, learner: str, says: str
) -> None:
    assert run(graded, "remove", learner, "--yes") == 2
    assert says in capsys.readouterr().err
    assert all((graded / name / "ada").is_dir() for name in FOLDERS)

"""Due dates: set with one command, kept in nbgrader's gradebook, and lateness shown to the
trainer in the export and the report. Late work is graded and counts in full."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from grader.cli.main import main
from grader.course.items import Bank
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right, submit

from .conftest import ASSIGNMENT, EXERCISE

pytestmark = pytest.mark.nbgrader

DUE = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def run(course: Path, *args: str) -> int:
    return main(["--course", str(course), "cohort", *args])


def read(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return {row["learner_id"]: row for row in csv.DictReader(stream)}


def test_a_due_date_is_set_shown_and_cleared(built_course: Path, capsys) -> None:
    assert run(built_course, "deadline", ASSIGNMENT) == 0
    assert f"{ASSIGNMENT} has no due date" in capsys.readouterr().out
    assert run(built_course, "deadline", ASSIGNMENT, "2026-11-02T10:00+01:00") == 0
    assert f"{ASSIGNMENT} is due 2026-11-02 09:00 UTC" in capsys.readouterr().out
    assert run(built_course, "deadline", ASSIGNMENT, "--clear") == 0
    assert "has no due date" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([ASSIGNMENT, "2026-11-02T10:00"], "has no time zone: add one, for example"),
        ([ASSIGNMENT, "next friday"], "'next friday' is not a date and time"),
        (["exercise-99-xx-en", "2026-11-02T10:00Z"], "unknown assessment 'exercise-99-xx-en'"),
        ([ASSIGNMENT, "2026-11-02T10:00Z", "--clear"], "give a due date or --clear, not both"),
    ],
)
def test_a_due_date_that_cannot_be_stored_is_refused(
    built_course: Path, capsys, args: list[str], says: str
) -> None:
    assert run(built_course, "deadline", *args) == 2
    assert says in capsys.readouterr().err
    assert run(built_course, "deadline", ASSIGNMENT) == 0
    assert "has no due date" in capsys.readouterr().out, "nothing stored"


def test_late_work_is_graded_in_full_and_shown_as_late(
    built_course: Path, bank: Bank, tmp_path: Path, capsys
) -> None:
    assert run(built_course, "deadline", ASSIGNMENT, DUE.isoformat()) == 0
    answers = all_right(bank.items_of(EXERCISE))
    submit(built_course, ASSIGNMENT, "ada", answers, timestamp=DUE - dt.timedelta(minutes=5))
    submit(built_course, ASSIGNMENT, "bo", answers, timestamp=DUE + dt.timedelta(hours=3))
    autograde_cohort(built_course, ASSIGNMENT, workers=1)
    out = tmp_path / "grades.csv"
    assert run(built_course, "export", ASSIGNMENT, "--out", str(out)) == 0
    rows = read(out)
    assert rows["ada"]["hours_late"] == "" and rows["bo"]["hours_late"] == "3.0"
    assert rows["ada"]["score"] == rows["bo"]["score"], "late work counts in full"
    report = tmp_path / "report"
    assert run(built_course, "report", ASSIGNMENT, "--out", str(report)) == 0
    learners = read(report / "learners.csv")
    assert learners["bo"]["hours_late"] == "3.0" and learners["ada"]["hours_late"] == ""
    assert ", 3.0 h late" in (report / "report.html").read_text(encoding="utf-8")

"""The HR export: totals and per-guideline scores recomputed from the bank, pending flagged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.cli.main import main
from grader.cohort.export import learner_rows
from grader.cohort.gradebook import Grade, Learner, Submission, default_db_url
from grader.cohort.roster import import_roster
from grader.course.guidelines import GUIDELINES
from grader.course.items import Bank
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader


def read(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return {row["learner_id"]: row for row in csv.DictReader(stream)}


def test_export_rows_per_learner_and_guideline(built_course: Path, bank: Bank) -> None:
    items = bank.items_of(ASSESSMENT)
    roster = built_course / "roster.csv"
    roster.write_text("id,name,email,team\nada,Ada Lovelace,ada@example.com,Engineering\n")
    import_roster(default_db_url(built_course), roster)
    submit(built_course, ASSIGNMENT, "ada", all_right(items))
    wrong = all_wrong(items)
    submit(built_course, ASSIGNMENT, "bob", wrong)
    autograde_cohort(built_course, ASSIGNMENT, workers=2)
    out = built_course / "grades.csv"

    assert (
        main(["--course", str(built_course), "cohort", "export", ASSIGNMENT, "--out", str(out)])
        == 0
    )
    rows = read(out)
    ada, bob = rows["ada"], rows["bob"]
    assert (ada["name"], ada["email"], ada["team"]) == (
        "Ada Lovelace",
        "ada@example.com",
        "Engineering",
    )
    written = [item for item in items if item.kind == "free-text"]
    assert int(ada["pending_manual"]) == len(written) and ada["passed"] == "no"
    for rule in GUIDELINES:
        column = f"g{rule.number}_{rule.slug}"
        mine = [item for item in items if item.guideline == rule.slug]
        auto = sum(item.points for item in mine if item.kind != "free-text")
        assert float(ada[column]) == auto, rule.slug
        assert float(ada[f"{column}_max"]) == sum(item.points for item in mine)
        assert float(bob[column]) == 0.0
    assert float(ada["max_score"]) == sum(item.points for item in items)

    with Gradebook(default_db_url(built_course)) as gradebook:  # the trainer grades by hand
        for item in written:
            grade = gradebook.find_grade(item.id, ASSIGNMENT, ASSIGNMENT, "ada")
            grade.manual_score, grade.needs_manual_grade = item.points, False  # as formgrader
        gradebook.db.commit()
    main(["--course", str(built_course), "cohort", "export", ASSIGNMENT, "--out", str(out)])
    ada = read(out)["ada"]
    assert ada["pending_manual"] == "0" and ada["passed"] == "yes"
    assert float(ada["score"]) == float(ada["max_score"]) and ada["percent"] == "100.0"


def test_passed_needs_every_guideline_at_its_minimum_too(bank: Bank) -> None:
    """The export's pass column follows the certification's rule, not the total alone."""
    exam = bank.items_of(ASSESSMENT)
    black_period = {item.id for item in exam if item.guideline == "black-period"}
    grades = tuple(
        Grade(item.id, 0.0 if item.id in black_period else item.points, item.points, False, None)
        for item in exam
        if item.kind != "free-text"
    )
    submission = Submission(Learner("cas", "Cas", "cas@example.org"), "2027-03-01", grades)
    items = {item.id: item for item in exam}
    (by_total,) = learner_rows([submission], items, {}, pass_mark=70)
    (by_rule,) = learner_rows([submission], items, {}, pass_mark=70, guideline_minimum=50)
    assert 100 * by_total.score / by_total.max_score >= 70
    assert by_total.passed and not by_rule.passed

"""Formgrader's view of a submission, as its HTML exporter renders it with our config:
written answers first after their question, no test code or key, MathJax from the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from nbconvert.exporters import HTMLExporter
from nbgrader.api import Gradebook
from traitlets.config import Config

from grader.cohort.export import cohort_rows
from grader.cohort.gradebook import default_db_url
from grader.course.items import Bank
from grader.grading.autograde import autograde_cohort
from grader.grading.config import configure
from grader.learner.simulate import all_right, submit

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader


def written_items(bank: Bank) -> list[str]:
    return [item.id for item in bank.items_of(ASSESSMENT) if item.kind == "free-text"]


def formgrader_page(course: Path, learner: str) -> str:
    """The page formgrader's exporter makes of one autograded submission."""
    config = Config()
    configure(config, course_root=course)
    resources = {
        "assignment_id": ASSIGNMENT,
        "notebook_id": ASSIGNMENT,
        "submission_id": "s1",
        "index": 0,
        "total": 1,
        "base_url": "/hub/user/trainer",
        "student": learner,
        "last_name": None,
        "first_name": None,
        "notebook_path": "/x",
    }
    notebook = course / "autograded" / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    page, _ = HTMLExporter(config=config).from_filename(str(notebook), resources=resources)
    return page


def test_written_answers_come_first_after_their_question_and_no_key_is_shown(
    built_course: Path, bank: Bank
) -> None:
    submit(built_course, ASSIGNMENT, "ada", all_right(bank.items_of(ASSESSMENT)))
    autograde_cohort(built_course, ASSIGNMENT, workers=1)
    page = formgrader_page(built_course, "ada")
    first, second = written_items(bank)
    headings = re.findall(r"<h2[^>]*>(.*?)<a", page)
    assert headings[0] == "Written answers to grade (2)"
    assert headings[1].startswith("Question") and headings[2].startswith("Question")
    assert headings[3] == "Scored automatically (30)"
    assert page.index(f'id="{first}"') < page.index(f'id="{second}"') < page.index("Scored")
    assert "check_answer" not in page and "BEGIN HIDDEN TESTS" not in page
    assert "Best answer:" in page, "the test's printout stays: answer, best answer, score"
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/hub/user/trainer/") for src in scripts), scripts
    assert "/hub/user/trainer/static/jupyter_server_mathjax/MathJax.js" in page


def test_formgrader_and_the_export_agree_on_what_waits_after_a_forced_regrade(
    built_course: Path, bank: Bank
) -> None:
    """A --force regrade keeps the trainer's grades: formgrader's "needs manual grade"
    and the export's pending count say the same thing."""
    items = bank.items_of(ASSESSMENT)
    for learner in ("ada", "bo", "cas"):
        submit(built_course, ASSIGNMENT, learner, all_right(items))
    autograde_cohort(built_course, ASSIGNMENT, workers=1)
    db_url = default_db_url(built_course)
    with Gradebook(db_url) as gradebook:
        for item in written_items(bank):
            grade = gradebook.find_grade(item, ASSIGNMENT, ASSIGNMENT, "ada")
            grade.manual_score, grade.needs_manual_grade = 1.0, False  # as formgrader saves
        gradebook.db.commit()
    autograde_cohort(built_course, ASSIGNMENT, workers=1, force=True)
    with Gradebook(db_url) as gradebook:
        waiting = {
            row["student"]
            for row in gradebook.notebook_submission_dicts(ASSIGNMENT, ASSIGNMENT)
            if row["needs_manual_grade"]
        }
    pending = {row.learner for row in cohort_rows(built_course, ASSIGNMENT) if row.pending}
    assert waiting == pending == {"bo", "cas"}

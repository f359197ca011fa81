"""Assignments released before the package had its steps still grade, with the same scores.

Their notebooks (and the gradebook, which keeps each cell's source) import
``grader.check``, ``grader.widgets`` and ``grader.practice``; course folders made then
have an ``nbgrader_config.py`` that imports ``grader.nbgrader_setup``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from grader.cohort.gradebook import default_db_url, item_scores
from grader.course.nbgrader_course import run_nbgrader
from grader.course.paths import SOURCE_DIR
from grader.learner.simulate import all_right, all_wrong, realistic_answers, submit

from ..conftest import ASSESSMENT, ASSIGNMENT, new_course

FILES = Path(__file__).parent / "files"
# The exam as released then: today's instructor notebook with the imports of that time
# (``from grader.widgets import Quiz``, ``from grader.check import check_answer``). When the
# item bank changes, write it again from solutions/<exam>/ with those two lines replaced.
OLD_NOTEBOOK = FILES / f"{ASSIGNMENT}.before-steps.ipynb"
OLD_CONFIG = "from grader.nbgrader_setup import configure\n\nc = get_config()\nconfigure(c)\n"


def test_the_old_import_paths_are_the_new_objects() -> None:
    import grader
    from grader.check import check_answer
    from grader.nbgrader_setup import configure
    from grader.practice import Lesson
    from grader.widgets import Quiz

    assert check_answer is grader.check_answer
    assert Lesson is grader.Lesson and Quiz is grader.Quiz
    assert configure.__module__ == "grader.grading.config"


def test_the_old_notebook_really_uses_the_old_paths() -> None:
    text = OLD_NOTEBOOK.read_text(encoding="utf-8")
    assert "from grader.check import check_answer" in text
    assert "from grader.widgets import Quiz" in text
    assert "from grader import" not in text


@pytest.mark.nbgrader
def test_an_assignment_released_before_the_move_autogrades_to_the_same_scores(
    tmp_path: Path, built_course: Path, bank
) -> None:
    old = new_course(tmp_path / "old-course")
    (old / "nbgrader_config.py").write_text(OLD_CONFIG, encoding="utf-8")
    source = old / SOURCE_DIR / ASSIGNMENT
    source.mkdir(parents=True)
    shutil.copy(OLD_NOTEBOOK, source / f"{ASSIGNMENT}.ipynb")
    questions = f"{ASSIGNMENT}.questions.json"
    shutil.copy(built_course / SOURCE_DIR / ASSIGNMENT / questions, source / questions)
    run_nbgrader(old, "generate_assignment", ASSIGNMENT, "--force")

    items = bank.items_of(ASSESSMENT)
    cohort = {
        "right": all_right(items),
        "wrong": all_wrong(items),
        "some": realistic_answers(items, 0.6, random.Random(7)),
    }
    scores = {}
    for course in (old, built_course):
        for learner, answers in cohort.items():
            submit(course, ASSIGNMENT, learner, answers)
        run_nbgrader(course, "autograde", ASSIGNMENT)
        scores[course] = item_scores(default_db_url(course), ASSIGNMENT)

    assert set(scores[old]) == set(cohort)
    assert scores[old] == scores[built_course]
    assert scores[old]["right"] != scores[old]["wrong"]

"""Practice in a lesson: instant feedback, and progress bars that follow the answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.course.paths import PRACTICE_SUFFIX
from grader.learner.practice import Lesson

from ..conftest import REPO

LESSON = "01-confidential"


@pytest.fixture
def lesson(tmp_path: Path) -> Lesson:
    """A learner's copy of the English lessons' practice files."""
    for practice in (REPO / "course" / "en").glob(f"*{PRACTICE_SUFFIX}"):
        shutil.copy(practice, tmp_path / practice.name)
    return Lesson(LESSON, tmp_path, language="en", learner="learner-a")


def texts(box) -> list[str]:
    return [row.children[1].value for row in box.children]


def test_answering_moves_the_same_progress_bars_on(lesson: Lesson) -> None:
    box = lesson.progress()
    bars = [row.children[0] for row in box.children]
    module_total = len(lesson.scenarios)
    assert texts(box)[0] == f"This module: 0 of {module_total} practice scenarios answered."
    assert [bar.value for bar in bars] == [0, 0]

    choice_id = next(i for i, s in lesson.scenarios.items() if s["kind"] == "choice")
    question = lesson.practice(choice_id)
    question.control.value = question.option_ids[0]

    assert [row.children[0] for row in box.children] == bars, "updated, not rebuilt"
    assert [bar.value for bar in bars] == [1, 1]
    assert texts(box)[0] == f"This module: 1 of {module_total} practice scenarios answered."
    assert texts(box)[1].startswith("Whole course: 1 of ")
    assert bars[1].max > bars[0].max == module_total
    feedback = question.children[-1].value
    assert "Guideline 1" in feedback or "guideline 1" in feedback.lower()

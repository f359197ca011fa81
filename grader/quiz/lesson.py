"""A lesson as a quiz page: its text and practice, answers kept per learner on the server
(or, for a visitor without a valid link, for this visit only)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as widgets

from grader.course.i18n import message
from grader.course.paths import PRACTICE_SUFFIX
from grader.learner.practice import Lesson
from grader.quiz.parts import notebook_parts, notice
from grader.quiz.site import QuizServer


def lesson_page(
    server: QuizServer, notebook: Path, language: str, learner: str | None
) -> widgets.Widget:
    """A lesson with its practice; answers kept per learner (or for this visit only)."""
    folder = (
        server.lessons_dir(learner, language)
        if learner
        else Path(tempfile.mkdtemp(prefix="grader-practice-"))
    )
    folder.mkdir(parents=True, exist_ok=True)
    for practice in notebook.parent.glob(f"*{PRACTICE_SUFFIX}"):
        copy = folder / practice.name
        if not copy.exists() or copy.read_bytes() != practice.read_bytes():
            copy.write_bytes(practice.read_bytes())
    lesson = Lesson(notebook.stem, folder, language=language, learner=learner or "guest")
    parts = list(
        notebook_parts(
            notebook, lesson.practice, {"setup": lesson.progress, "progress": lesson.progress}
        )
    )
    if learner is None:
        parts.insert(0, notice(message(language, "practice_guest"), role="note"))
    return widgets.VBox(parts)

"""A lesson as a quiz page: its text and practice, answers kept per learner on the server.
A visitor without a valid link gets no lesson (and no kernel): see :mod:`grader.quiz.gate`."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from grader.course.paths import PRACTICE_SUFFIX
from grader.learner.practice import Lesson
from grader.quiz.parts import notebook_parts
from grader.quiz.site import QuizServer


def lesson_page(server: QuizServer, notebook: Path, language: str, learner: str) -> widgets.Widget:
    """A lesson with its practice; the learner's practice answers kept on the server."""
    folder = server.lessons_dir(learner, language)
    folder.mkdir(parents=True, exist_ok=True)
    for practice in notebook.parent.glob(f"*{PRACTICE_SUFFIX}"):
        copy = folder / practice.name
        if not copy.exists() or copy.read_bytes() != practice.read_bytes():
            copy.write_bytes(practice.read_bytes())
    lesson = Lesson(notebook.stem, folder, language=language, learner=learner)
    parts = list(
        notebook_parts(
            notebook, lesson.practice, {"setup": lesson.progress, "progress": lesson.progress}
        )
    )
    return widgets.VBox(parts)

"""An assessment in a notebook: its questions, asked one cell at a time, and the answers
file they save to.

The setup cell of an assessment notebook says ``quiz = Quiz("<notebook>", language="xx")``
and each question cell ``quiz.ask("<item id>")``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from grader.course.i18n import message
from grader.course.paths import ASSESSMENTS_FILE, QUESTIONS_SUFFIX
from grader.learner.answers import answers_path
from grader.learner.questions import load_questions
from grader.learner.widgets import WIDGETS, Question, learner_id, read_saved, show_notice


class Quiz:
    """The questions of one assessment notebook and the answers file they save to."""

    def __init__(
        self,
        notebook: str,
        directory: Path | str = ".",
        learner: str | None = None,
        language: str = "en",
    ):
        directory = Path(directory)
        self.questions = load_questions(directory / f"{notebook}{QUESTIONS_SUFFIX}")
        self.preview = is_instructor_version(directory)
        # A trainer trying the instructor version must leave no answers file beside it:
        # nbgrader would copy it into every learner's release and grading folder.
        folder = Path(tempfile.gettempdir()) / "grader-preview" if self.preview else directory
        folder.mkdir(exist_ok=True)
        self.answers_file = answers_path(folder, notebook)
        self.learner = learner or learner_id()
        self.language = language

    def ask(self, item_id: str) -> Question:
        """The widget for one question, showing the answer saved earlier if there is one."""
        question = self.questions[item_id]
        saved, notice = read_saved(self.answers_file, item_id, self.language)
        widget_class = WIDGETS[question["kind"]]
        # The number as the notebook's "Question N" heading gives it (the questions file
        # is in notebook order): several questions may ask "What do you do?".
        number = list(self.questions).index(item_id) + 1
        widget = widget_class(
            question,
            self.answers_file,
            saved,
            self.learner,
            language=self.language,
            heading=message(self.language, "question_number", number=number),
        )
        preview = message(self.language, "preview_not_saved") if self.preview else None
        show_notice(widget, notice or preview)
        return widget


def is_instructor_version(directory: Path) -> bool:
    """Whether ``directory`` is an assessment's folder in nbgrader's source directory."""
    return (directory.resolve().parent / ASSESSMENTS_FILE).is_file()

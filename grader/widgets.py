"""Question widgets: one class per item kind, each saving its answer the moment it is given.

A notebook creates one :class:`Quiz` and asks each question with ``quiz.ask(item_id)``.
Answers go to ``<notebook>.answers.json`` beside the notebook (see :mod:`grader.answers`)
by option id, so options can be shown in a different order to every learner.
"""

from __future__ import annotations

import getpass
import hashlib
import html
import os
import time
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from grader.answers import AnswersFileError, answer_problem, answers_path, read_answers, save_answer
from grader.questions import SUFFIX as QUESTIONS_SUFFIX
from grader.questions import load_questions


def learner_id() -> str:
    """Who is answering: the JupyterHub user when there is one, else the system user."""
    return os.environ.get("JUPYTERHUB_USER") or os.environ.get("NB_USER") or getpass.getuser()


def shuffled(option_ids: list[str], learner: str, item_id: str) -> list[str]:
    """The options in this learner's own stable order for this item."""

    def rank(option_id: str) -> str:
        return hashlib.sha256(f"{learner}\0{item_id}\0{option_id}".encode()).hexdigest()

    return sorted(option_ids, key=rank)


class Question(widgets.VBox):
    """Common parts: the question as a label, the answer control and a save status."""

    def __init__(self, question: dict[str, Any], answers_file: Path, saved: Any) -> None:
        self.item_id: str = question["id"]
        self.kind: str = question["kind"]
        self.option_ids = [option["id"] for option in question.get("options", [])]
        self.answers_file = answers_file
        self.label = widgets.HTML(
            f"<p class='grader-question'><strong>{html.escape(question['question'])}</strong>"
            f" <span class='grader-points'>({question['points']:g} pt)</span></p>"
        )
        self.status = widgets.HTML()
        if saved is not None and answer_problem(self.kind, self.option_ids, saved) is None:
            self.show(saved)
            self._status("Your saved answer is shown.")
        else:
            self._status("Not answered yet.")
        super().__init__(
            [self.label, self.control, self.status],
            layout=widgets.Layout(margin="0.5em 0 1.5em 0"),
        )
        self._add_class("grader-question-widget")
        self.watch()

    # Subclasses build ``self.control`` and define these three.
    def show(self, answer: Any) -> None:
        raise NotImplementedError

    def watch(self) -> None:
        raise NotImplementedError

    def answer(self) -> Any:
        raise NotImplementedError

    def save(self, _change: object = None) -> None:
        """Store the current answer; a failure is shown, never raised into the page."""
        try:
            save_answer(self.answers_file, self.item_id, self.answer())
        except OSError as error:
            self._status(f"Your answer could not be saved ({error.strerror}). Please try again.")
            return
        self._status(f"Saved at {time.strftime('%H:%M:%S')}.")

    def _status(self, text: str) -> None:
        self.status.value = f"<span role='status' class='grader-status'>{html.escape(text)}</span>"


class ChoiceQuestion(Question):
    """One answer out of several, as radio buttons (arrow keys move, the choice saves)."""

    def __init__(self, question: dict[str, Any], answers_file: Path, saved: Any, learner: str):
        texts = {option["id"]: option["text"] for option in question["options"]}
        order = shuffled(list(texts), learner, question["id"])
        self.control = widgets.RadioButtons(
            options=[(texts[option_id], option_id) for option_id in order],
            value=None,
            description="Answer",
            layout=widgets.Layout(width="auto"),
        )
        super().__init__(question, answers_file, saved)

    def show(self, answer: Any) -> None:
        self.control.value = answer

    def watch(self) -> None:
        self.control.observe(self.save, names="value")

    def answer(self) -> Any:
        return self.control.value


class MultiSelectQuestion(Question):
    """Any number of answers, one checkbox each (Tab moves, Space ticks)."""

    def __init__(self, question: dict[str, Any], answers_file: Path, saved: Any, learner: str):
        texts = {option["id"]: option["text"] for option in question["options"]}
        order = shuffled(list(texts), learner, question["id"])
        self.boxes = {
            option_id: widgets.Checkbox(
                value=False,
                description=texts[option_id],
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for option_id in order
        }
        self.control = widgets.VBox(list(self.boxes.values()))
        super().__init__(question, answers_file, saved)

    def show(self, answer: Any) -> None:
        for option_id, box in self.boxes.items():
            box.value = option_id in answer

    def watch(self) -> None:
        for box in self.boxes.values():
            box.observe(self.save, names="value")

    def answer(self) -> Any:
        picked = [option_id for option_id, box in self.boxes.items() if box.value]
        return sorted(picked) or None


class FreeTextQuestion(Question):
    """A written answer, saved each time the learner leaves the text box."""

    def __init__(self, question: dict[str, Any], answers_file: Path, saved: Any, learner: str):
        self.control = widgets.Textarea(
            value="",
            placeholder="Write your answer here.",
            description="Answer",
            continuous_update=False,
            rows=6,
            layout=widgets.Layout(width="95%"),
        )
        super().__init__(question, answers_file, saved)

    def show(self, answer: Any) -> None:
        self.control.value = answer

    def watch(self) -> None:
        self.control.observe(self.save, names="value")

    def answer(self) -> Any:
        return self.control.value if self.control.value.strip() else None


WIDGETS: dict[str, type[Question]] = {
    "choice": ChoiceQuestion,
    "multi-select": MultiSelectQuestion,
    "free-text": FreeTextQuestion,
}


class Quiz:
    """The questions of one notebook and the answers file they save to."""

    def __init__(self, notebook: str, directory: Path | str = ".", learner: str | None = None):
        directory = Path(directory)
        self.questions = load_questions(directory / f"{notebook}{QUESTIONS_SUFFIX}")
        self.answers_file = answers_path(directory, notebook)
        self.learner = learner or learner_id()

    def ask(self, item_id: str) -> Question:
        """The widget for one question, showing the answer saved earlier if there is one."""
        question = self.questions[item_id]
        try:
            saved, notice = read_answers(self.answers_file).get(item_id), None
        except AnswersFileError as error:
            saved, notice = None, None
            if self.answers_file.exists():
                notice = (
                    f"Your earlier answers could not be read: {error}. "
                    "The old file is kept aside when you answer."
                )
        widget_class = WIDGETS[question["kind"]]
        widget = widget_class(question, self.answers_file, saved, self.learner)
        if notice:
            widget.status.value = (
                f"<span role='alert' class='grader-status'>{html.escape(notice)}</span>"
            )
        return widget

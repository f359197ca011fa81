"""Question widgets: one class per item kind, each saving its answer the moment it is given.

An assessment notebook asks for them through :class:`grader.learner.quiz.Quiz`. Answers go
to ``<notebook>.answers.json`` beside the notebook (see :mod:`grader.learner.answers`) by
option id, so options can be shown in a different order to every learner.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import html
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from grader.course.i18n import message
from grader.learner.answers import (
    AnswerRefused,
    AnswersFileError,
    answer_problem,
    read_answers,
    save_answer,
)
from grader.learner.option_group import OptionGroup

# The written answer's own label (the question, for screen readers) is kept out of sight:
# the question is shown above it. Focus gets a clear ring. The options' styles are in
# option_group.css.
STYLE = """<style>
.grader-question-widget .widget-textarea > .widget-label {
  position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important;
}
.grader-question-widget textarea { font-size: max(1rem, 16px); line-height: 1.45; }
.grader-question-widget textarea:focus-visible,
.grader-question-widget button:focus-visible {
  outline: 3px solid var(--jp-brand-color1, #1565c0); outline-offset: 2px;
}
.grader-question { font-size: max(1rem, 16px); }
.grader-question p { margin: 0 0 0.4em 0; }
</style>"""


@functools.cache
def shared_layout(**traits: str) -> widgets.Layout:
    """One layout for every widget that looks the same: a page of 32 questions then sends
    the browser a handful of layout models instead of hundreds. Never change its traits."""
    return widgets.Layout(**traits)


@functools.cache
def shared_style(kind: type[widgets.Style]) -> widgets.Style:
    """One default style of each kind, shared like :func:`shared_layout`."""
    return kind()


def learner_id() -> str:
    """Who is answering: the JupyterHub user when there is one, else the system user."""
    return os.environ.get("JUPYTERHUB_USER") or os.environ.get("NB_USER") or getpass.getuser()


def shuffled(option_ids: list[str], learner: str, item_id: str, shuffle: bool = True) -> list[str]:
    """This learner's own stable order of an item's options; as written if not ``shuffle``."""
    if not shuffle:
        return list(option_ids)

    def rank(option_id: str) -> str:
        return hashlib.sha256(f"{learner}\0{item_id}\0{option_id}".encode()).hexdigest()

    return sorted(option_ids, key=rank)


class Question(widgets.VBox):
    """Common parts: the question, the answer control and a save status.

    ``heading`` is what the page calls the question ("Question 5"): screen readers say it
    with the question, so two questions asked in the same words still differ. ``on_saved``
    is called with the widget after each answer is stored (practice uses it to give
    feedback); ``extra`` widgets are shown below the status line.
    """

    label: widgets.HTML | None = None  # the question, when the control does not show it

    def __init__(
        self,
        question: dict[str, Any],
        answers_file: Path,
        saved: Any,
        language: str = "en",
        on_saved: Callable[[Question], None] | None = None,
        extra: tuple[widgets.Widget, ...] = (),
        heading: str = "",
    ) -> None:
        self.item_id: str = question["id"]
        self.kind: str = question["kind"]
        self.option_ids = [option["id"] for option in question.get("options", [])]
        self.answers_file = answers_file
        self.language = language
        self.on_saved = on_saved
        self.status = html_widget()
        self.retry: widgets.Button | None = None  # made when a save fails
        # How an answer is stored; an exam page checks first that it is not submitted.
        self.store: Callable[[Path, str, Any], None] = save_answer
        self.saved = saved if answer_problem(self.kind, self.option_ids, saved) is None else None
        if self.saved is not None:
            self.show(self.saved)
            self._status(message(language, "saved_answer_shown"))
        else:
            self._status(message(language, "not_answered_yet"))
        shown = [part for part in (self.label, self.control) if part is not None]
        super().__init__(
            [*shown, self.status, *extra],
            layout=shared_layout(margin="0.5em 0 1.5em 0"),
        )
        self.add_class("grader-question-widget")
        self.watch()

    # Subclasses build ``self.control`` and define these three.
    def show(self, answer: Any) -> None:
        raise NotImplementedError

    def watch(self) -> None:
        raise NotImplementedError

    def answer(self) -> Any:
        raise NotImplementedError

    def save(self, _change: object = None) -> None:
        """Store the current answer; a failure is shown, never raised into the page.

        An answer that could not be stored (or that is not valid, such as a text over the
        length limit) leaves a "save again" button until it is stored.
        """
        answer = self.answer()
        problem = (
            answer_problem(self.kind, self.option_ids, answer, self.language)
            if answer is not None
            else None
        )
        if problem:
            self._failed(message(self.language, "not_saved", reason=problem))
            return
        try:
            self.store(self.answers_file, self.item_id, answer)
        except AnswerRefused as refusal:
            self._status(str(refusal))
            return
        except OSError as error:
            self._failed(message(self.language, "save_failed", reason=error.strerror or error))
            return
        self.saved = answer
        if self.retry is not None:
            self.retry.layout.display = "none"
        self._status(message(self.language, "saved_at", time=time.strftime("%H:%M:%S")))
        if self.on_saved is not None:
            self.on_saved(self)

    def _failed(self, text: str) -> None:
        if self.retry is None:
            self.retry = widgets.Button(
                description=message(self.language, "save_again"),
                layout=widgets.Layout(width="auto"),
                style=shared_style(widgets.ButtonStyle),
            )
            self.retry.on_click(self.save)
            place = self.children.index(self.status) + 1
            self.children = (*self.children[:place], self.retry, *self.children[place:])
        self.retry.layout.display = None
        self._status(text)

    def _status(self, text: str) -> None:
        self.status.value = f"<span role='status' class='grader-status'>{html.escape(text)}</span>"


class OptionsQuestion(Question):
    """Options to pick from, in this learner's own order, as an :class:`OptionGroup`."""

    multiple = False

    def __init__(
        self, question: dict[str, Any], answers_file: Path, saved: Any, learner: str, **options: Any
    ):
        texts = {option["id"]: option["text"] for option in question["options"]}
        order = shuffled(list(texts), learner, question["id"], question.get("shuffle", True))
        points = question.get("points")
        self.control = OptionGroup(
            order,
            [texts[option_id] for option_id in order],
            options.get("language", "en"),
            heading=options.get("heading", ""),
            question=question["question"],
            points=f"({points:g} pt)" if points else "",
            multiple=self.multiple,
            layout=shared_layout(width="auto"),
        )
        super().__init__(question, answers_file, saved, **options)
        self.control.on_refused(
            lambda reason: self._status(message(self.language, "not_saved", reason=reason))
        )

    def watch(self) -> None:
        self.control.observe(self.save, names="value")


class ChoiceQuestion(OptionsQuestion):
    """One answer out of several, as radio buttons (arrow keys move, the choice saves)."""

    def show(self, answer: Any) -> None:
        self.control.value = answer

    def answer(self) -> Any:
        return self.control.value


class MultiSelectQuestion(OptionsQuestion):
    """Any number of answers, one checkbox each (Tab moves, Space ticks)."""

    multiple = True

    def show(self, answer: Any) -> None:
        self.control.value = list(answer)

    def answer(self) -> Any:
        return sorted(self.control.value or []) or None


class FreeTextQuestion(Question):
    """A written answer, saved each time the learner leaves the text box."""

    def __init__(
        self, question: dict[str, Any], answers_file: Path, saved: Any, learner: str, **options: Any
    ):
        language = options.get("language", "en")
        heading = options.get("heading", "")
        self.label = question_label(question)
        self.control = widgets.Textarea(
            value="",
            placeholder=message(language, "write_here"),
            description=f"{heading}: {question['question']}" if heading else question["question"],
            continuous_update=False,
            rows=6,
            layout=shared_layout(width="95%"),
            style=shared_style(TextStyle),
        )
        super().__init__(question, answers_file, saved, **options)

    def show(self, answer: Any) -> None:
        self.control.value = answer

    def watch(self) -> None:
        self.control.observe(self.save, names="value")

    def answer(self) -> Any:
        return self.control.value if self.control.value.strip() else None


def question_label(question: dict[str, Any]) -> widgets.HTML:
    """The question in bold, with its points."""
    points = question.get("points")
    worth = f" <span class='grader-points'>({points:g} pt)</span>" if points else ""
    text = html.escape(question["question"])
    return html_widget(f"{STYLE}<p class='grader-question'><strong>{text}</strong>{worth}</p>")


WIDGETS: dict[str, type[Question]] = {
    "choice": ChoiceQuestion,
    "multi-select": MultiSelectQuestion,
    "free-text": FreeTextQuestion,
}


def html_widget(value: str = "") -> widgets.HTML:
    """An HTML widget with the shared default layout and style."""
    return widgets.HTML(value, layout=shared_layout(), style=shared_style(HTMLStyle))


def read_saved(answers_file: Path, item_id: str, language: str) -> tuple[Any, str | None]:
    """The saved answer to one item, and a notice when the answers file is unreadable."""
    try:
        return read_answers(answers_file).get(item_id), None
    except AnswersFileError as error:
        if not answers_file.exists():
            return None, None
        return None, message(language, "unreadable_answers", reason=error.reason(language))


def show_notice(widget: Question, notice: str | None) -> None:
    if notice:
        widget.status.value = (
            f"<span role='alert' class='grader-status'>{html.escape(notice)}</span>"
        )

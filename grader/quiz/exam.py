"""One learner's exam page: the released questions, answers kept on the server, a submit
button that has nbgrader grade the submission, and the result.

Answers are saved the moment they are given to the quiz server's answers store (see
:class:`grader.quiz.site.QuizServer`), so a reload, a closed tab or a server restart loses
nothing. Before the learner's last attempt is graded the page shows scores only; the
feedback with best answers and explanations comes with the final result, when the
questions leave the page and their stored answers are frozen. The result is the
learner's feedback page's (:mod:`grader.quiz.result`); when it appears, and when the
submit confirmation opens, the focus moves there (``page.js`` beside the template).
A header says how many questions are answered, counted as the widgets save.
"""

from __future__ import annotations

import html
import threading

import ipywidgets as widgets

from grader.course.i18n import message
from grader.course.paths import RELEASE_DIR
from grader.learner.quiz import Quiz
from grader.learner.widgets import Question, html_widget
from grader.quiz.header import PageHeader, progress_html
from grader.quiz.parts import focus_class, focus_mark, friendly, log_error, notebook_parts, notice
from grader.quiz.result import FOCUS_SLOT, slotted_view
from grader.quiz.site import QuizServer
from grader.quiz.submit import (
    GradingFailed,
    NoAttemptsLeft,
    Result,
    attempts_used,
    read_result,
    store_unless_submitted,
    submit_and_grade,
)


class ExamPage:
    """The exam ``assignment`` for ``learner``; ``root`` is the widget the page shows.
    ``organisation`` and ``name`` (the learner's) go in its header."""

    def __init__(
        self,
        server: QuizServer,
        assignment: str,
        learner: str,
        language: str,
        organisation: str = "",
        name: str = "",
    ):
        self.server, self.assignment, self.learner = server, assignment, learner
        self.language = language
        self.result_box = widgets.HTML()
        self.result_box.add_class("grader-result-box")
        self.status = widgets.HTML()
        self.grading = False  # an attempt is being submitted and graded
        self.left = self._attempts_left()
        self.header = PageHeader(organisation, name, language)
        if self.left <= 0:
            self.questions: list[Question] = []
            self.root = widgets.VBox([self.header.widget, self.result_box])
            self._show_result(read_result(server.course, assignment, learner))
            return
        folder = server.course / RELEASE_DIR / assignment
        self.quiz = Quiz(assignment, folder, learner=learner, language=language)
        self.quiz.answers_file = server.answers_file(assignment, learner)
        self.quiz.answers_file.parent.mkdir(parents=True, exist_ok=True)
        self.questions = []
        notebook_text = message(language, "how_it_works")
        web_text = message(language, "how_it_works_web")
        parts = list(
            notebook_parts(
                folder / f"{assignment}.ipynb",
                self._ask,
                {},
                lambda text: text.replace(notebook_text, web_text),
            )
        )
        self.title = parts[:1]  # the exam's title and introduction stay with the result
        self.header.count = len(self.questions)
        self.progress = html_widget()
        self._count()
        self.submit = widgets.Button(
            description=message(language, "submit"),
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        self.submit.on_click(friendly(language, lambda: self.status)(self._on_submit))
        self.confirm = self._confirmation()
        self.intro = widgets.HTML(self._intro_text())
        self.submit_box = widgets.VBox(
            [self.result_box, self.intro, self.progress, self.submit, self.confirm, self.status],
            layout=widgets.Layout(margin="1em 0 3em 0"),
        )
        self.submit_box.add_class("grader-submit")
        # Built in full before the cell ends: a thread adding widgets later would race
        # the browser's request for every widget's state.
        self.root = widgets.VBox([self.header.widget, *parts, self.submit_box])
        if self.left < server.attempts:  # an earlier attempt's result
            self._show_result(read_result(server.course, assignment, learner))

    def _ask(self, item_id: str) -> Question:
        question = self.quiz.ask(item_id)
        question.store = store_unless_submitted(
            self.server, self.assignment, self.learner, self.language
        )
        self.questions.append(question)
        question.status.observe(self._count, names="value")
        return question

    def _count(self, _change: object = None) -> None:
        """How many questions are answered (the widgets say so on each save)."""
        done = sum(1 for question in self.questions if question.saved is not None)
        self.header.answered(done)
        self.progress.value = progress_html(self.language, done, len(self.questions))

    def _confirmation(self) -> widgets.VBox:
        """A separate, cancellable confirmation: which questions are unanswered, and two
        buttons of its own, so a double click on "submit" submits nothing."""
        self.confirm_text = widgets.HTML()
        self.confirm_yes = widgets.Button(
            description=message(self.language, "submit_confirm"),
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        self.confirm_no = widgets.Button(
            description=message(self.language, "submit_cancel"), layout=widgets.Layout(width="auto")
        )
        wrap = friendly(self.language, lambda: self.status)
        self.confirm_yes.on_click(wrap(self._on_confirm))
        self.confirm_no.on_click(wrap(self._on_cancel))
        box = widgets.VBox(
            [self.confirm_text, widgets.HBox([self.confirm_yes, self.confirm_no])],
            layout=widgets.Layout(display="none"),
        )
        box.add_class("grader-confirm")
        return box

    def _intro_text(self) -> str:
        text = message(self.language, "submit_intro", left=self.left, attempts=self.server.attempts)
        return f"<p>{html.escape(text)}</p>"

    def _say(self, key: str, role: str = "status", **values: object) -> None:
        text = notice(message(self.language, key, **values), role=role).value
        self.status.value = text.replace("<div ", f"<div {focus_mark()} ", 1)

    def _on_submit(self, _button: widgets.Button) -> None:
        if self.left <= 0 or self.grading:  # a button the page shows disabled, or not at all
            return
        missing = [n for n, q in enumerate(self.questions, start=1) if q.saved is None]
        count = len(self.questions)
        if missing:
            numbers = ", ".join(map(str, missing))
            detail = message(
                self.language,
                "submit_unanswered",
                unanswered=len(missing),
                count=count,
                numbers=numbers,
            )
        else:
            detail = message(self.language, "submit_all_answered", count=count)
        sure = message(self.language, "submit_sure")
        self.confirm_text.value = (
            f"<div role='alertdialog' aria-labelledby='grader-confirm-sure' "
            f"aria-describedby='grader-confirm-detail' {focus_mark()}>"
            f"<p id='grader-confirm-sure'><strong>{html.escape(sure)}</strong></p>"
            f"<p id='grader-confirm-detail'>{html.escape(detail)}</p></div>"
        )
        self.submit.disabled = True
        self.confirm.layout.display = None
        self.status.value = ""

    def _on_cancel(self, _button: widgets.Button) -> None:
        if self.grading:  # a late click: the submit button stays disabled while grading
            return
        self.confirm.layout.display = "none"
        self.submit.disabled = False
        focus_class(self.submit)

    def _on_confirm(self, _button: widgets.Button) -> None:
        if self.confirm.layout.display == "none" or self.left <= 0 or self.grading:
            return  # a late click
        self.grading = True
        self.confirm.layout.display = "none"
        self.submit.disabled = True
        self.status.value = (
            f"<p role='status' {focus_mark()}><progress style='width: 12em;'></progress> "
            f"{html.escape(message(self.language, 'grading'))}</p>"
        )
        threading.Thread(target=self._grade, name="grader-submit", daemon=True).start()

    def _grade(self) -> None:
        try:
            self._submit_and_show()
        finally:
            self.grading = False

    def _attempts_left(self) -> int:
        return self.server.attempts - len(attempts_used(self.server, self.assignment, self.learner))

    def _submit_and_show(self) -> None:
        try:
            result = submit_and_grade(self.server, self.assignment, self.learner)
        except NoAttemptsLeft:  # the last attempt came from another tab
            self.left = 0
            self.result_box.value = ""
            self._finish()
        except GradingFailed:
            log_error(f"grading {self.assignment} of {self.learner}")
            self.left = self._attempts_left()
            self._say("grading_failed", role="alert")
            self._after_attempt()
        except Exception:
            log_error(f"submitting {self.assignment} of {self.learner}")
            self.submit.disabled = False
            self._say("page_error", role="alert")
        else:
            self.left = self._attempts_left()  # another tab may have used one too
            self.status.value = ""
            self._after_attempt(result)

    def _after_attempt(self, result: Result | None = None) -> None:
        if self.left > 0:
            self.submit.description = message(self.language, "submit")
            self.submit.disabled = False
            self.intro.value = self._intro_text()
            if result is not None:
                self._show_result(result, focus=True)
            return
        self._finish(result)

    def _finish(self, result: Result | None = None) -> None:
        """The last attempt is in: the questions leave the page; the title and the result
        stay. (Their widgets are not closed, which would cost a message for each one before
        the result: a late message to one changes nothing, as the answers are frozen.)"""
        keep = (self.header.widget, *self.title, self.result_box, self.status)
        self.header.count = 0  # nothing left to answer
        self.header.answered(0)
        self.root.children = keep
        try:
            if result is None and not self.result_box.value:
                result = read_result(self.server.course, self.assignment, self.learner)
            if result is not None:
                self._show_result(result, focus=True)
        except Exception:
            log_error(f"reading the result of {self.assignment} of {self.learner}")

    def _show_result(self, result: Result, focus: bool = False) -> None:
        """The result; with ``focus`` it takes the focus (the learner just submitted)."""
        final = self.left <= 0
        view = result.view or slotted_view(self.server.course, result, final)
        text = view.replace(FOCUS_SLOT, focus_mark() if focus else "", 1)
        key = "no_attempts_left" if final else "attempts_left"
        text += f"<p>{html.escape(message(self.language, key, left=self.left))}</p>"
        self.result_box.value = text

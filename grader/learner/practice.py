"""Practice in the lessons: question widgets with instant feedback, and course progress.

A lesson notebook creates one :class:`Lesson`; ``lesson.practice(item_id)`` shows a
scenario's question and, as soon as it is answered (choice) or checked (multi-select),
says whether the answer is right, which guideline is at stake and why. Answers are saved
like assessment answers, to ``<lesson>.answers.json``; ``lesson.progress()`` shows how
many practice scenarios the learner has answered in this module and in the whole course.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from grader.course.guidelines import guideline
from grader.course.i18n import message
from grader.course.paths import PRACTICE_SUFFIX
from grader.course.scoring import score_choice, score_multi_select
from grader.learner.answers import AnswersFileError, answers_path, read_answers
from grader.learner.widgets import (
    WIDGETS,
    Question,
    learner_id,
    read_saved,
    shared_layout,
    show_notice,
)

if TYPE_CHECKING:  # the learner's kernel imports this module: keep it light
    pass


def feedback_html(scenario: dict[str, Any], answer: Any, language: str) -> str:
    """Right, partly right or not quite; the guideline at stake; and why."""
    key = scenario["key"]
    option_ids = [option["id"] for option in scenario["options"]]
    if scenario["kind"] == "choice":
        score = score_choice(answer, key[0], 1)
    else:
        score = score_multi_select(answer or [], key, option_ids, 1)
    verdict = "right" if score == 1 else "partly_right" if score > 0 else "not_quite"
    texts = {option["id"]: option["text"] for option in scenario["options"]}
    rule = guideline(scenario["guideline"])
    best = "; ".join(texts[option_id] for option_id in key)
    colour = {"right": "#1a7f37", "partly_right": "#9a6700", "not_quite": "#cf222e"}[verdict]
    at_stake = message(language, "guideline", number=rule.number, title=rule.title(language))
    return (
        f"<div role='status' class='grader-feedback grader-{verdict}' "
        f"style='border-left: 4px solid {colour}; padding: 0.25em 0.75em;'>"
        f"<p><strong>{message(language, verdict)}</strong> "
        f"{html.escape(at_stake)}"
        f"</p><p>{html.escape(message(language, 'best_answer'))}: {html.escape(best)}</p>"
        f"<p>{html.escape(scenario['explanation'])}</p></div>"
    )


class Lesson:
    """The practice scenarios of one lesson notebook, and the learner's progress."""

    def __init__(
        self,
        notebook: str,
        directory: Path | str = ".",
        language: str = "en",
        learner: str | None = None,
    ):
        self.directory = Path(directory)
        self.notebook = notebook
        self.language = language
        self.learner = learner or learner_id()
        self.scenarios = load_practice(self.directory / f"{notebook}{PRACTICE_SUFFIX}")
        self.answers_file = answers_path(self.directory, notebook)
        self._progress_bars: list[widgets.VBox] = []

    def practice(self, item_id: str) -> Question:
        """One practice scenario's question, giving feedback once it is answered."""
        scenario = self.scenarios[item_id]
        saved, notice = read_saved(self.answers_file, item_id, self.language)
        feedback = widgets.HTML()
        check = None
        if scenario["kind"] == "multi-select":
            check = widgets.Button(
                description=message(self.language, "check"),
                tooltip=message(self.language, "check"),
                layout=widgets.Layout(width="auto"),
            )
        number = list(self.scenarios).index(item_id) + 1  # as the lesson's headings count
        widget = WIDGETS[scenario["kind"]](
            scenario,
            self.answers_file,
            saved,
            self.learner,
            language=self.language,
            heading=message(self.language, "situation_number", number=number),
            on_saved=self._answered(feedback, scenario),
            extra=tuple(w for w in (check, feedback) if w is not None),
        )
        if check is not None:
            check.on_click(lambda _button: self._give_feedback(feedback, scenario, widget.answer()))
        if saved is not None:
            self._give_feedback(feedback, scenario, saved)
        show_notice(widget, notice)
        return widget

    def _answered(self, feedback: widgets.HTML, scenario: dict[str, Any]):
        def after_save(widget: Question) -> None:
            if scenario["kind"] == "choice":
                self._give_feedback(feedback, scenario, widget.answer())
            else:
                feedback.value = ""
            self._refresh_progress()

        return after_save

    def _give_feedback(self, feedback: widgets.HTML, scenario: dict[str, Any], answer: Any) -> None:
        feedback.value = feedback_html(scenario, answer, self.language)

    def progress(self) -> widgets.VBox:
        """A progress display for this module and the whole course; it updates live."""
        box = widgets.VBox()
        self._progress_bars.append(box)
        self._fill_progress(box)
        return box

    def _refresh_progress(self) -> None:
        for box in self._progress_bars:
            self._fill_progress(box)

    def _fill_progress(self, box: widgets.VBox) -> None:
        """Show the counts in ``box``: the bars and texts already there are updated (so an
        answer sends a few changed values, not new widgets)."""
        counts = self._progress_counts()
        if len(box.children) != len(counts):
            box.children = tuple(
                widgets.HBox(
                    [
                        widgets.IntProgress(
                            min=0, description="", layout=shared_layout(width="40%")
                        ),
                        widgets.Label(),
                    ]
                )
                for _ in counts
            )
        for row, (key, done, total) in zip(box.children, counts, strict=True):
            bar, label = row.children
            bar.max, bar.value = total, done
            label.value = message(self.language, key, done=done, total=total)

    def _progress_counts(self) -> list[tuple[str, int, int]]:
        """(message key, answered, scenarios) for this module and the whole course."""
        module_done, module_total = answered_count(self.directory, self.notebook)
        course_done = course_total = 0
        for practice_file in sorted(self.directory.glob(f"*{PRACTICE_SUFFIX}")):
            done, total = answered_count(
                self.directory, practice_file.name[: -len(PRACTICE_SUFFIX)]
            )
            course_done, course_total = course_done + done, course_total + total
        counts = [
            ("progress_module", module_done, module_total),
            ("progress_course", course_done, course_total),
        ]
        return [count for count in counts if count[2]]


def load_practice(path: Path) -> dict[str, dict[str, Any]]:
    """The practice scenarios in ``path`` by id (an empty lesson has none)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {scenario["id"]: scenario for scenario in data["practice"]}


def answered_count(directory: Path, notebook: str) -> tuple[int, int]:
    """How many of a lesson's practice scenarios have a saved answer, and how many there are."""
    scenarios = load_practice(directory / f"{notebook}{PRACTICE_SUFFIX}")
    try:
        answers = read_answers(answers_path(directory, notebook))
    except AnswersFileError:
        answers = {}
    return sum(1 for item_id in scenarios if answers.get(item_id)), len(scenarios)

"""What a learner's feedback page shows, worked out from the course and the gradebook.

Everything comes from course data (the item bank, the organisation's settings), the
gradebook's grades and comments, and the learner's answers file, which is hostile: an
answer is shown only once it is a valid answer to its item, and a file that cannot be
read is reported, never a reason to fail. Nothing of the submitted notebook is used.
Totals are exact (:mod:`grader.course.points`) and the decision is the course's own
pass rule (:func:`grader.course.passing.verdict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.course.guidelines import GUIDELINES, Guideline
from grader.course.items import Bank, Item
from grader.course.passing import guideline_minimum_of, verdict
from grader.course.points import at_least, exact, percent_of, total
from grader.course.settings import Settings
from grader.learner.answers import AnswersFileError, answer_problem, read_answers


@dataclass(frozen=True)
class CellGrade:
    """A grade cell's grade in the gradebook: ``score`` is None when none is recorded."""

    score: float | None
    points: float
    pending: bool = False  # the trainer still has to grade it
    comment: str = ""


@dataclass(frozen=True)
class Question:
    """One question of the exam with the learner's answer and its grade."""

    number: int
    item: Item
    answer: Any  # a valid answer (option id, list of option ids or text), or None
    problem: str | None  # why the saved answer is not valid, in the page's language
    score: float | None  # None while the trainer still has to grade it, or if ungraded
    points: float
    pending: bool
    comment: str

    @property
    def status(self) -> str:
        """``pending``, ``ungraded``, ``right``, ``partly``, ``unanswered`` or ``wrong``."""
        if self.pending:
            return "pending"
        if self.score is None:
            return "ungraded"
        if self.score > 0:
            return "right" if exact(self.score) >= exact(self.points) else "partly"
        return "unanswered" if self.answer is None and self.problem is None else "wrong"

    @property
    def flags_lines(self) -> bool:
        """A multi-select item whose options are lines of the post shown (pick the ones
        that go wrong), rather than actions to choose from."""
        post = " ".join((self.item.scenario.post or "").split())
        return (
            self.item.kind == "multi-select"
            and bool(post)
            and all(" ".join(option.text.split()) in post for option in self.item.options)
        )


@dataclass(frozen=True)
class GuidelineResult:
    guideline: Guideline
    earned: float
    points: float
    pending: int
    reached: bool  # at or above the guideline minimum (so far, while pending)


@dataclass(frozen=True)
class Totals:
    """The learner's totals in the shape :func:`grader.course.passing.verdict` reads."""

    learner: str
    score: float
    max_score: float
    pending: int
    by_guideline: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Feedback:
    language: str
    title: str
    learner: str
    pass_mark: float
    guideline_minimum: float
    totals: Totals
    passed: bool  # the pass rule's decision; not final while ``totals.pending``
    guidelines: tuple[GuidelineResult, ...]
    questions: tuple[Question, ...]
    answers_problem: str | None = None  # why the answers file could not be read

    @property
    def final(self) -> bool:
        return not self.totals.pending


def learner_answers(path: Path, language: str) -> tuple[dict[str, Any], str | None]:
    """The answers in the learner's answers file, or none and the reason it cannot be read
    (missing, a link or another special file, too large, corrupt)."""
    try:
        return read_answers(path), None
    except AnswersFileError as error:
        return {}, error.reason(language)
    except OSError as error:
        return {}, error.strerror or type(error).__name__


def compile_feedback(
    settings: Settings,
    bank: Bank,
    assessment: str,
    language: str,
    learner: str,
    grades: dict[str, CellGrade],
    answers: dict[str, Any],
    answers_problem: str | None = None,
) -> Feedback:
    """The feedback of one learner: ``grades`` by item id (from the gradebook) and
    ``answers`` by item id (from the answers file, unchecked)."""
    questions = tuple(
        _question(number, item, grades.get(item.id), answers, language)
        for number, item in enumerate(bank.items_of(assessment), start=1)
    )
    results = tuple(_guideline(rule, questions, settings) for rule in GUIDELINES)
    results = tuple(result for result in results if result.points)
    totals = Totals(
        learner,
        total(result.earned for result in results),
        total(result.points for result in results),
        sum(question.pending for question in questions),
        {result.guideline.slug: (result.earned, result.points) for result in results},
    )
    minimum = guideline_minimum_of(settings)
    return Feedback(
        language=language,
        title=bank.assessments[assessment].title,
        learner=learner,
        pass_mark=settings.pass_mark,
        guideline_minimum=minimum,
        totals=totals,
        passed=verdict(totals, settings.pass_mark, minimum).passed,
        guidelines=results,
        questions=questions,
        answers_problem=answers_problem,
    )


def overall_percent(feedback: Feedback) -> float:
    return percent_of(feedback.totals.score, feedback.totals.max_score)


def below_pass_mark(feedback: Feedback) -> bool:
    totals = feedback.totals
    return bool(totals.max_score) and not at_least(
        totals.score, totals.max_score, feedback.pass_mark
    )


def _question(
    number: int, item: Item, grade: CellGrade | None, answers: dict[str, Any], language: str
) -> Question:
    answer = answers.get(item.id)
    problem = None
    if answer is not None:
        problem = answer_problem(item.kind, item.option_ids, answer, language)
        if problem is not None or (item.kind == "free-text" and not answer.strip()):
            answer = None
    grade = grade or CellGrade(None, item.points)
    pending = grade.pending
    return Question(
        number=number,
        item=item,
        answer=answer,
        problem=problem,
        score=None if pending else grade.score,
        points=grade.points or item.points,
        pending=pending,
        comment=grade.comment,
    )


def _guideline(rule: Guideline, questions: tuple[Question, ...], settings: Settings):
    mine = [question for question in questions if question.item.guideline == rule.slug]
    earned = total(question.score or 0.0 for question in mine)
    points = total(question.points for question in mine)
    reached = at_least(earned, points, guideline_minimum_of(settings))
    pending = sum(question.pending for question in mine)
    return GuidelineResult(rule, earned, points, pending, reached)

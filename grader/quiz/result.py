"""The exam's result on the quiz page, in the words and parts of the learner's feedback
page (:mod:`grader.grading.feedback_sections`): the result and the pass rule's decision
first, then per guideline, then per question with its mark.

Before the learner's last attempt is graded a question shows its mark and points only;
with the final result it shows the learner's answer, the best answer and why.
"""

from __future__ import annotations

from pathlib import Path

from grader.course.content import current_settings_and_bank
from grader.course.i18n import message, split_assignment
from grader.grading.feedback_data import CellGrade, Feedback, compile_feedback, learner_answers
from grader.grading.feedback_sections import (
    MARKS,
    escape,
    guidelines_html,
    points,
    question_html,
    result_html,
)
from grader.grading.feedback_texts import words
from grader.learner.answers import answers_path
from grader.quiz.submit import Result

# Where a result view made elsewhere (by a grading worker) takes the page's focus mark.
FOCUS_SLOT = "data-grader-focus-slot"


def exam_feedback(course: Path, result: Result) -> Feedback:
    """The feedback of a graded submission: course data, its grades and the answers that
    were submitted (not the ones kept for a next attempt)."""
    assessment, language = split_assignment(result.assignment)
    settings, bank = current_settings_and_bank(course, language)
    grades = {
        item.item: CellGrade(item.score, item.max_score, pending=item.score is None)
        for item in result.items
    }
    folder = course / "submitted" / result.learner / result.assignment
    answers, problem = learner_answers(answers_path(folder, result.assignment), language)
    return compile_feedback(
        settings, bank, assessment, language, result.learner, grades, answers, problem
    )


def slotted_view(course: Path, result: Result, final: bool) -> str:
    """The result as HTML with :data:`FOCUS_SLOT` where the page puts its focus mark: made
    in the grading worker, which keeps the course loaded, so the page need not load it."""
    return result_view(exam_feedback(course, result), final, FOCUS_SLOT)


def result_view(feedback: Feedback, final: bool, focus: str = "") -> str:
    """The result as HTML; ``focus`` (see :func:`grader.quiz.parts.focus_mark`) goes on its
    heading, which then takes the focus when it is shown."""
    language = feedback.language
    top = result_html(feedback, heading_attributes=focus)
    if final:
        questions = "\n".join(question_html(question, language) for question in feedback.questions)
    else:
        questions = '<ol class="brief">' + "".join(_brief(q, language) for q in feedback.questions)
        questions += "</ol>"
    return (
        f"<div class='grader-result' lang='{language}'>{top}{guidelines_html(feedback)}"
        '<section aria-labelledby="questions">'
        f'<h2 id="questions">{escape(words(language, "questions_heading"))}</h2>'
        f"{questions}</section></div>"
    )


def _brief(question, language: str) -> str:
    """One question's mark and points, without its answers."""
    status = question.status
    label = escape(words(language, status))
    if status not in ("pending", "ungraded"):
        label += f" · {escape(points(question.score or 0.0, question.points, language))}"
    name = escape(message(language, "question_number", number=question.number))
    return (
        f'<li><span class="status {status}"><span class="mark" aria-hidden="true">'
        f"{MARKS[status]}</span> {name}: {label}</span></li>"
    )

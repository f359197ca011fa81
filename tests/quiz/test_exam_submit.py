"""Submitting an exam page: a separate confirmation, and answers frozen once submitted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.learner.answers import read_answers
from grader.learner.widgets import Question
from grader.quiz.exam import ExamPage
from grader.quiz.site import QuizServer, quiz_server
from grader.quiz.submit import attempts_used

from ..conftest import ASSIGNMENT

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def server(built_course: Path, tmp_path: Path) -> QuizServer:
    return quiz_server(built_course, secret_file=tmp_path / "secret")


def choices(page: ExamPage) -> list[Question]:
    return [q for q in page.questions if q.kind == "choice"]


def submitted(server: QuizServer) -> Path:
    return server.course / "submitted" / "ada" / ASSIGNMENT


def test_a_double_click_on_submit_submits_nothing_and_the_unanswered_are_listed(
    server: QuizServer,
) -> None:
    page = ExamPage(server, ASSIGNMENT, "ada", "en")
    first, second = choices(page)[:2]
    assert "0 of 32 questions answered" in page.header.widget.value
    first.control.value = first.option_ids[0]
    assert "1 of 32 questions answered" in page.header.widget.value
    assert "1 of 32 questions answered" in page.progress.value
    page.submit.click()
    page.submit.click()  # the second click of a double click
    time.sleep(0.5)
    assert not submitted(server).exists(), "a double click submitted the exam"
    assert page.confirm.layout.display is None and page.submit.disabled
    text = page.confirm_text.value
    assert "31 of 32 questions are not answered yet" in text
    assert "data-grader-focus=" in text, "the confirmation takes the focus where it opens"
    number = page.questions.index(second) + 1
    assert f" {number}," in text or f" {number}." in text
    page.confirm_no.click()
    assert page.confirm.layout.display == "none" and not page.submit.disabled
    assert any(name.startswith("grader-focus-") for name in page.submit._dom_classes)
    page.confirm_yes.click()  # a late click on the hidden button
    time.sleep(0.5)
    assert not submitted(server).exists()


def test_once_submitted_no_tab_can_change_the_stored_answers(server: QuizServer) -> None:
    """Answers changed while grading runs, or afterwards in a second tab, used to show
    "Saved at" and change the stored answers, so graded and stored answers differed."""
    tab, other_tab = (
        ExamPage(server, ASSIGNMENT, "ada", "en"),
        ExamPage(server, ASSIGNMENT, "ada", "en"),
    )
    mine, theirs = choices(tab)[0], choices(other_tab)[0]
    mine.control.value = mine.option_ids[0]
    tab.submit.click()
    tab.confirm_yes.click()
    deadline = time.monotonic() + 120
    while not submitted(server).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    theirs.control.value = theirs.option_ids[1]  # while grading runs
    assert "was not saved" in theirs.status.value
    tab.confirm_no.click()  # a browser's messages while grading runs: no second attempt
    tab.submit.click()
    tab.confirm_yes.click()
    assert tab.submit.disabled and tab.confirm.layout.display == "none"
    while "grader-result" not in tab.result_box.value and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "grader-result" in tab.result_box.value, tab.status.value
    # the result takes the focus; the exam's title stays above it, the questions go
    assert '<h2 id="result" data-grader-focus=' in tab.result_box.value
    assert tab.root.children == (tab.header.widget, *tab.title, tab.result_box, tab.status)
    shown = tab.result_box.value
    tab.submit.click()  # messages to buttons the page no longer shows change nothing
    tab.confirm_yes.click()
    time.sleep(0.5)
    assert tab.result_box.value == shown and tab.status.value == ""
    assert len(attempts_used(server, ASSIGNMENT, "ada")) == 1
    theirs.control.value = theirs.option_ids[2 % len(theirs.option_ids)]  # afterwards
    assert "was not saved" in theirs.status.value
    stored = read_answers(server.answers_file(ASSIGNMENT, "ada"))
    graded = read_answers(submitted(server) / f"{ASSIGNMENT}.answers.json")
    assert stored == graded == {mine.item_id: mine.option_ids[0]}

"""Submitting from the quiz server: an ordinary nbgrader submission, graded into the gradebook."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.cohort.export import cohort_rows
from grader.cohort.gradebook import item_scores
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url
from grader.learner.answers import read_answers, save_answer
from grader.learner.simulate import all_right
from grader.quiz.site import QuizServer, quiz_server
from grader.quiz.submit import NoAttemptsLeft, file_submission, grading_slot, submit_and_grade

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def server(built_course: Path, tmp_path: Path) -> QuizServer:
    return quiz_server(built_course, secret_file=tmp_path / "secret")


def answer(server: QuizServer, learner: str, answers: dict) -> None:
    store = server.answers_file(ASSIGNMENT, learner)
    store.parent.mkdir(parents=True, exist_ok=True)
    for item_id, value in answers.items():
        save_answer(store, item_id, value)


def test_a_submission_is_filed_graded_and_counted_once(server: QuizServer, bank: Bank) -> None:
    items = bank.items_of(ASSESSMENT)
    answer(server, "ada", all_right(items))
    moment = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)

    result = submit_and_grade(server, ASSIGNMENT, "ada", moment)

    folder = server.course / "submitted" / "ada" / ASSIGNMENT
    assert (folder / "timestamp.txt").read_text() == "2026-12-01 09:30:15.123456 UTC"
    assert (folder / f"{ASSIGNMENT}.ipynb").exists()
    assert read_answers(folder / f"{ASSIGNMENT}.answers.json") == all_right(items)
    automatic = [item for item in items if item.kind != "free-text"]
    assert result.score == sum(item.points for item in automatic)
    assert result.max_score == sum(item.points for item in items)
    assert result.pending == len(items) - len(automatic)
    assert [item.item for item in result.items] == [item.id for item in items]
    first = next(item for item in items if item.kind == "choice")
    [shown] = [r for r in result.items if r.item == first.id]
    assert first.explanation.strip()[:60] in shown.feedback
    scores = item_scores(course_db_url(server.course), ASSIGNMENT)["ada"]
    assert scores[first.id] == first.points, "the trainer's gradebook holds the grade"
    [row] = cohort_rows(server.course, ASSIGNMENT)
    assert (row.learner, row.score) == ("ada", result.score)

    with pytest.raises(NoAttemptsLeft):
        submit_and_grade(server, ASSIGNMENT, "ada")
    attempts = json.loads(server.attempts_file(ASSIGNMENT, "ada").read_text())
    assert attempts == {"submitted": [moment.isoformat()]}


def test_a_second_attempt_replaces_the_first_when_allowed(server: QuizServer, bank: Bank) -> None:
    server = dataclasses.replace(server, attempts=2)

    first = submit_and_grade(server, ASSIGNMENT, "bob")
    answer(server, "bob", all_right(bank.items_of(ASSESSMENT)))
    second = submit_and_grade(server, ASSIGNMENT, "bob")

    assert first.score == 0 and second.score > 0
    folder = server.course / "submitted" / "bob" / ASSIGNMENT
    assert read_answers(folder / f"{ASSIGNMENT}.answers.json")
    assert sorted(p.name for p in folder.parent.iterdir()) == [ASSIGNMENT], "no leftovers"
    with pytest.raises(NoAttemptsLeft):
        submit_and_grade(server, ASSIGNMENT, "bob")


def test_a_learner_without_answers_submits_an_empty_answers_file(
    server: QuizServer, tmp_path: Path
) -> None:
    folder = file_submission(
        server.course, ASSIGNMENT, "cy", tmp_path / "none.json", datetime.now(UTC)
    )

    assert read_answers(folder / f"{ASSIGNMENT}.answers.json") == {}


def test_learners_submitting_at_once_are_all_graded(server: QuizServer, bank: Bank) -> None:
    items = bank.items_of(ASSESSMENT)
    learners = ["dee", "eli", "fen"]
    for learner in learners:
        answer(server, learner, all_right(items))

    with ThreadPoolExecutor(len(learners)) as pool:
        results = list(pool.map(lambda who: submit_and_grade(server, ASSIGNMENT, who), learners))

    scores = item_scores(course_db_url(server.course), ASSIGNMENT)
    automatic = sum(item.points for item in items if item.kind != "free-text")
    assert [result.score for result in results] == [automatic] * len(learners)
    assert sorted(scores) == learners
    for learner in learners:
        record = json.loads(server.attempts_file(ASSIGNMENT, learner).read_text())
        assert len(record["submitted"]) == 1


def test_grading_waits_for_a_free_slot(server: QuizServer) -> None:
    order: list[str] = []

    def hold(name: str, seconds: float) -> None:
        with grading_slot(server, slots=1):
            order.append(f"{name} in")
            time.sleep(seconds)
            order.append(f"{name} out")

    first = threading.Thread(target=hold, args=("first", 0.6))
    first.start()
    time.sleep(0.2)
    hold("second", 0)
    first.join()
    assert order == ["first in", "first out", "second in", "second out"]

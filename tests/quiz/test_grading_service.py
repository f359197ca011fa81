"""The quiz server grades submitted exams in its own warm workers, for its kernels only."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from grader.course.items import Bank
from grader.course.paths import SOURCE_DIR
from grader.grading.pool import open_course
from grader.learner.simulate import all_right, submit
from grader.quiz.grading_service import grade_for_page
from grader.quiz.result import FOCUS_SLOT, slotted_view
from grader.quiz.site import GRADE_PATH, KERNEL_KEY_ENV, KERNEL_KEY_HEADER
from grader.quiz.submit import Result, read_result

from ..conftest import ASSESSMENT, ASSIGNMENT
from .server import RunningQuiz, running_quiz

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    with running_quiz(
        built_course_template, tmp_path_factory.mktemp("grading"), pool_size=0
    ) as running:
        yield running


def kernel_key(quiz: RunningQuiz) -> str:
    """The key the server gives its kernels (read from the Voila process, as a kernel has it)."""
    serve = psutil.Process(quiz.process_id)
    for process in [serve, *serve.children(recursive=True)]:
        if "grader.quiz.voila_app" in " ".join(process.cmdline()):
            return process.environ()[KERNEL_KEY_ENV]
    raise AssertionError("no Voila process")


def ask(quiz: RunningQuiz, body: object, key: str | None) -> httpx.Response:
    headers = {KERNEL_KEY_HEADER: key} if key is not None else {}
    return httpx.post(quiz.url + GRADE_PATH, content=json.dumps(body), headers=headers, timeout=120)


def test_only_the_servers_kernels_may_ask_for_grading(quiz: RunningQuiz) -> None:
    body = {"assignment": ASSIGNMENT, "learner": "ada"}
    assert ask(quiz, body, None).status_code == 403
    assert ask(quiz, body, "not-the-key").status_code == 403
    assert ask(quiz, body, "").status_code == 403


def test_a_request_that_names_no_released_assignment_or_learner_is_refused(
    quiz: RunningQuiz,
) -> None:
    key = kernel_key(quiz)
    assert ask(quiz, "not an object", key).status_code == 400
    assert ask(quiz, {"assignment": "../../etc", "learner": "ada"}, key).status_code == 404
    assert ask(quiz, {"assignment": ASSIGNMENT, "learner": "../ada"}, key).status_code == 400
    assert ask(quiz, [ASSIGNMENT, "ada"], key).status_code == 400
    assert ask(quiz, {"assignment": [ASSIGNMENT], "learner": "ada"}, key).status_code == 400
    assert ask(quiz, {"assignment": ASSIGNMENT, "learner": {"id": "ada"}}, key).status_code == 400
    body = {"assignment": ASSIGNMENT, "learner": "ada", "final": "yes"}
    assert ask(quiz, body, key).status_code == 400


def test_a_submission_is_graded_by_the_servers_workers(quiz: RunningQuiz, bank: Bank) -> None:
    submit(quiz.server.course, ASSIGNMENT, "cleo", all_right(bank.items_of(ASSESSMENT)))
    reply = ask(quiz, {"assignment": ASSIGNMENT, "learner": "cleo"}, kernel_key(quiz))
    assert reply.status_code == 200
    assert reply.json()["status"] == "graded", reply.json()
    result = Result.from_json(reply.json()["result"])
    assert result == read_result(quiz.server.course, ASSIGNMENT, "cleo")
    assert result.score == result.max_score - 6  # every choice right, both written ones pending
    # The view for the page is made in the worker, as the page would make it.
    assert result.view == slotted_view(quiz.server.course, result, final=False)
    assert FOCUS_SLOT in result.view and 'class="brief"' in result.view
    assert (quiz.server.course / "autograded" / "cleo" / ASSIGNMENT).is_dir()
    body = {"assignment": ASSIGNMENT, "learner": "cleo", "final": True}
    final = Result.from_json(ask(quiz, body, kernel_key(quiz)).json()["result"])
    assert final.view == slotted_view(quiz.server.course, final, final=True)
    assert 'class="brief"' not in final.view
    missing = ask(quiz, {"assignment": ASSIGNMENT, "learner": "nobody"}, kernel_key(quiz))
    assert missing.json()["status"] == "failed" and missing.json()["reason"]


def test_a_result_whose_view_cannot_be_made_is_still_a_graded_attempt(
    built_course: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch, worker_in_this_process: None
) -> None:
    """A trainer saving a broken item file while a room submitted turned graded attempts
    into "something went wrong", with the submit button back for another attempt."""
    submit(built_course, ASSIGNMENT, "dora", all_right(bank.items_of(ASSESSMENT)))
    next(iter(sorted((built_course / SOURCE_DIR).glob("*.items.yaml")))).write_text("items: [")
    monkeypatch.chdir(built_course.parent)  # a worker moves into its course folder
    open_course(str(built_course.resolve()), True)
    reply = grade_for_page(ASSIGNMENT, "dora", final=True)
    assert reply["status"] == "graded", reply
    assert reply["result"]["view"] == ""  # the page makes it, or says why it cannot
    assert Result.from_json(reply["result"]) == read_result(built_course, ASSIGNMENT, "dora")


def test_a_page_kernel_submits_without_importing_nbgrader() -> None:
    code = (
        "import sys, grader.quiz.page, grader.quiz.submit; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nbgrader', 'nbconvert')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

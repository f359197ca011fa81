"""A trainer grades written answers in nbgrader's formgrader, in Chromium, with the keyboard
only and without any outside host: MathJax comes from this server, so formgrader's
shortcuts work on an intranet; the written answers come first, after their question; and
Ctrl-. goes straight to the next learner whose written answers still need grading."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.cohort.gradebook import default_db_url
from grader.course.items import Bank
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT
from ..learner.test_widgets_browser import browser, free_port, stop  # noqa: F401
from ..servers import isolated_env, start_server

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

TOKEN = "formgrader-test-token"
SCREENSHOTS = Path(os.environ.get("GRADER_SCREENSHOTS", "/tmp"))


@dataclass
class Formgrader:
    """A Jupyter server on 127.0.0.1 with nbgrader's formgrader on one course folder."""

    url: str
    course: Path
    log: Path
    outside: list[str] = field(default_factory=list)

    def submission(self, learner: str) -> str:
        with Gradebook(default_db_url(self.course)) as gradebook:
            found = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, learner)
            return found.id


def written_items(bank: Bank) -> list[str]:
    return [item.id for item in bank.items_of(ASSESSMENT) if item.kind == "free-text"]


@pytest.fixture(scope="module")
def formgrader(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory, bank: Bank
) -> Iterator[Formgrader]:
    """Three learners: ada and cas wrote answers to grade, bo left them empty."""
    root = tmp_path_factory.mktemp("formgrader")
    course = root / "course"
    shutil.copytree(built_course_template, course)
    items = bank.items_of(ASSESSMENT)
    submit(course, ASSIGNMENT, "ada", all_right(items))
    submit(course, ASSIGNMENT, "bo", all_wrong(items))
    submit(course, ASSIGNMENT, "cas", all_right(items))
    autograde_cohort(course, ASSIGNMENT, workers=1)

    env = isolated_env(root)
    port = free_port()
    log = root / "server.log"
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--allow-root",  # CI runs as root
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={course}",
    ]
    process = start_server(command, course, env, port, log, "jupyter server")
    try:
        yield Formgrader(url=f"http://127.0.0.1:{port}", course=course, log=log)
    finally:
        stop(process)


@pytest.fixture
def trainer(formgrader: Formgrader, browser):  # noqa: F811
    """A desktop browser page that may reach the formgrader's server and nothing else."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        extra_http_headers={"Authorization": f"token {TOKEN}"},
    )
    context.set_default_timeout(20_000)
    server = formgrader.url

    def only_this_server(route) -> None:
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            formgrader.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    try:
        yield context.new_page()
    finally:
        context.close()


def ready(page) -> None:
    page.wait_for_function("window.formgrader && formgrader.loaded && MathJax.loaded === true")


def open_submission(page, formgrader: Formgrader, learner: str) -> None:
    page.goto(f"{formgrader.url}/formgrader/submissions/{formgrader.submission(learner)}/")
    ready(page)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def go_on(page, formgrader: Formgrader, learner: str) -> None:
    """Ctrl-.: save, then the next answer waiting to be graded (at ``learner``)."""
    page.keyboard.press("Control+.")
    page.wait_for_url(f"**/submissions/{formgrader.submission(learner)}/**")
    ready(page)


def test_one_question_is_graded_across_learners_with_the_keyboard_and_no_outside_host(
    formgrader: Formgrader, trainer, bank: Bank
) -> None:
    """ada and cas each wrote two answers, bo none. Four scores, one comment: every
    keystroke a trainer makes, no click, no scrolling, and nothing from another host."""
    first, second = written_items(bank)
    page = trainer
    open_submission(page, formgrader, "ada")
    assert page.evaluate("typeof MathJax.version") == "string", "the real MathJax, served here"
    assert focused_id(page) == first, "the first field is the first written answer's score"
    question = page.locator(".text_cell_render", has_text="Question").first
    assert question.is_visible(), "the question is shown right above the answer"
    pending = page.locator("#grader-pending")
    expect(pending).to_contain_text("1 other learner has written answers to grade")
    page.screenshot(path=str(SCREENSHOTS / "formgrader-written-first.png"))

    page.keyboard.type("2")
    go_on(page, formgrader, "cas")  # bo has nothing to grade: skipped
    assert focused_id(page) == first, "the same answer, next learner"
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Clear, but name the press office.")
    page.keyboard.press("Escape")  # formgrader's shortcut: leave the field, saving it
    page.wait_for_function("document.activeElement === document.body")
    page.keyboard.press("Enter")  # and back to it
    assert focused_id(page) == f"{first}-comment"
    go_on(page, formgrader, "ada")  # nobody waits on the first answer: on to the second
    assert focused_id(page) == second
    page.keyboard.type("3")
    go_on(page, formgrader, "cas")
    assert focused_id(page) == second
    page.keyboard.type("0")
    page.keyboard.press("Control+.")
    page.wait_for_url("**/formgrader/gradebook/**")  # nothing left: the list of submissions

    with Gradebook(default_db_url(formgrader.course)) as gradebook:
        scores = {
            (learner, item): gradebook.find_grade(item, ASSIGNMENT, ASSIGNMENT, learner)
            for learner in ("ada", "cas")
            for item in (first, second)
        }
        given = {key: grade.manual_score for key, grade in scores.items()}
        comment = gradebook.find_comment(first, ASSIGNMENT, ASSIGNMENT, "cas").manual_comment
        waiting = [
            row["student"]
            for row in gradebook.notebook_submission_dicts(ASSIGNMENT, ASSIGNMENT)
            if row["needs_manual_grade"]
        ]
    assert given == {
        ("ada", first): 2, ("ada", second): 3, ("cas", first): 1.5, ("cas", second): 0,
    }  # fmt: skip
    assert comment == "Clear, but name the press office."
    assert waiting == []
    assert formgrader.outside == [], "nothing may be fetched from another host"


def test_the_test_code_and_key_are_not_shown_and_the_questions_are(
    formgrader: Formgrader, trainer, bank: Bank
) -> None:
    open_submission(trainer, formgrader, "bo")
    text = trainer.locator("#notebook").first.inner_text()
    assert "check_answer" not in text and "BEGIN HIDDEN TESTS" not in text
    written = written_items(bank)
    headings = trainer.locator("h2").all_inner_texts()
    assert headings[0].startswith(f"Written answers to grade ({len(written)})")
    assert any(h.startswith("Scored automatically") for h in headings)
    assert text.index("Scored automatically") > text.index("Question")
    assert formgrader.outside == []

"""An exam's first paint: a learner in line reads and answers at once, without a kernel;
the answers are stored as the live page stores them, and the live page takes over."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from grader.learner.answers import MAX_TEXT_CHARS, answer_problem, read_answers
from grader.learner.widgets import shuffled
from grader.quiz.admission import FORGET_SECONDS, RETRY_SECONDS
from grader.quiz.first_paint import first_paint_page
from grader.quiz.site import ANSWER_PATH
from grader.quiz.submit import submitting_marker

from ..conftest import ASSIGNMENT
from ..learner.test_widgets_browser import FIRST_RENDER_MS, browser  # noqa: F401  (fixture)
from .server import RunningQuiz, running_quiz
from .test_accessibility import (
    LIVE,
    OVERFLOW,
    PHONE,
    WIDTHS,
    axe,  # noqa: F401  (fixture)
    check_axe,
    lesson_url,
    shoot,
)
from .test_admission import KERNEL_ID, leave, live_page, page_kernels, wait_for_shutdown

OPTION_TEXT = re.compile(r"<span class='grader-option-text'>(.*?)</span>")
FIELDSET = re.compile(r"<fieldset.*?</fieldset>", re.S)


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    root = tmp_path_factory.mktemp("first-paint")
    with running_quiz(built_course_template, root, pool_size=0, max_pages=1) as running:
        yield running


@pytest.fixture
def place_taken(quiz: RunningQuiz) -> Iterator[None]:
    """Someone's live page holds the one place, so every other visitor waits in line."""
    with httpx.Client() as holder:
        deadline = time.monotonic() + FORGET_SECONDS + 30
        while True:  # behind those an earlier test left in line, until they are forgotten
            first = holder.get(quiz.link("holder"), timeout=FIRST_RENDER_MS / 1000)
            kernel = KERNEL_ID.search(first.text)
            if kernel or time.monotonic() > deadline:
                break
            time.sleep(RETRY_SECONDS)
        assert kernel, first.text[:300]
        yield
        holder.post(f"{quiz.url}voila/api/shutdown/{kernel[1]}", timeout=30)
        wait_for_shutdown(quiz, kernel[1])


def query(quiz: RunningQuiz, learner: str) -> str:
    return "?" + quiz.link(learner).split("?", 1)[1]


def post(quiz: RunningQuiz, body: object, **headers: str) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **headers}
    return httpx.post(f"{quiz.url}{ANSWER_PATH}", content=content, headers=headers, timeout=30)


def numbered(quiz: RunningQuiz, kind: str) -> tuple[int, dict]:
    """The first question of ``kind``, with its number on the page (1 is the first)."""
    for number, question in enumerate(quiz.questions.values(), start=1):
        if question["kind"] == kind:
            return number, question
    raise AssertionError(f"no {kind} question")


def test_the_first_paint_escapes_the_title_and_says_why_there_is_no_submit_yet() -> None:
    page = first_paint_page(
        "nl", "<Examen>", "<p id='x'><span id='grader-place-line'></span></p>", 3, "/a"
    )
    assert '<html lang="nl">' in page and "<title>&lt;Examen&gt;</title>" in page
    assert "Je kunt nu lezen en antwoorden" in page and "Je bent nummer 3 in de rij." in page
    assert "data-answer-url='/a'" in page and "<script>" in page


def test_a_learner_in_line_gets_the_exam_at_once_without_a_kernel(
    quiz: RunningQuiz, place_taken: None
) -> None:
    kernels = page_kernels(quiz)
    with httpx.Client() as bo:
        started = time.monotonic()
        page = bo.get(quiz.link("bo"), timeout=30)
        seconds = time.monotonic() - started
        assert page.status_code == 200 and "data-grader-first-paint" in page.text
        assert KERNEL_ID.search(page.text) is None
        assert len(FIELDSET.findall(page.text)) == sum(
            1 for q in quiz.questions.values() if q["kind"] != "free-text"
        )
        assert "You are next in line." in page.text
        for question in quiz.questions.values():  # no item or option id, no explanation
            assert question["id"] not in page.text
            for option in question.get("options", []):
                assert option["id"] not in page.text
        poll = bo.get(quiz.link("bo"), headers={"X-Grader-Wait": "poll"}, timeout=30)
        assert poll.json() == {"ready": False, "text": "You are next in line."}
        assert page_kernels(quiz) == kernels
    print(f"first paint in {seconds:.2f} s")
    with httpx.Client() as cy:  # a lesson has no first paint: the waiting page
        lesson = cy.get(lesson_url(quiz, "cy", "en", "01-confidential"), timeout=30)
        assert "data-grader-waiting" in lesson.text and "data-grader-first-paint" not in lesson.text


def test_an_answer_from_the_first_paint_is_the_option_the_learner_saw(
    quiz: RunningQuiz, place_taken: None
) -> None:
    page = httpx.get(quiz.link("dee"), timeout=30).text
    assert "data-grader-first-paint" in page
    shown = [html.unescape(t) for t in OPTION_TEXT.findall(FIELDSET.findall(page)[0])]
    number, question = next(
        (n, q) for n, q in enumerate(quiz.questions.values(), 1) if q["kind"] != "free-text"
    )
    reply = post(quiz, {"query": query(quiz, "dee"), "question": number, "picked": ["2"]})
    assert reply.status_code == 200 and reply.json()["status"].startswith("Saved at ")
    stored = read_answers(quiz.server.answers_file(ASSIGNMENT, "dee"))
    texts = {option["id"]: option["text"] for option in question["options"]}
    picked = stored[question["id"]]
    assert texts[picked if isinstance(picked, str) else picked[0]] == shown[2]


def test_answers_are_stored_as_the_live_page_stores_them(quiz: RunningQuiz) -> None:
    link = query(quiz, "eve")
    path = quiz.server.answers_file(ASSIGNMENT, "eve")
    number, multi = numbered(quiz, "multi-select")
    ids = [option["id"] for option in multi["options"]]
    order = shuffled(ids, "eve", multi["id"], multi.get("shuffle", True))
    assert post(quiz, {"query": link, "question": number, "picked": ["2", "0"]}).status_code == 200
    assert read_answers(path)[multi["id"]] == sorted([order[2], order[0]])
    assert post(quiz, {"query": link, "question": number, "picked": []}).status_code == 200
    assert multi["id"] not in read_answers(path)  # nothing ticked: no answer
    number, written = numbered(quiz, "free-text")
    text = "Eerst <b>tien</b> tellen & dan posten."
    assert post(quiz, {"query": link, "question": number, "text": text}).status_code == 200
    assert read_answers(path)[written["id"]] == text
    assert post(quiz, {"query": link, "question": number, "text": "  "}).status_code == 200
    assert written["id"] not in read_answers(path)
    broken = post(quiz, {"query": link, "question": number, "text": "half \ud800"})
    assert broken.status_code == 400 and broken.json()["status"].startswith("Not saved")
    assert written["id"] not in read_answers(path)


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"picked": ["99"]}, 400, "'99' is not one of the options"),
        ({"picked": ["0", "1"]}, 400, "Not saved: a choice answer must be a single option"),
        ({"picked": "0"}, 400, "list"),
        ({"question": 0}, 400, "no exam or lesson"),
        ({"question": "1"}, 400, "no exam or lesson"),
        ({"query": "?assignment=" + ASSIGNMENT}, 403, "personal link"),
        ({"query": "?assignment=no-such-exam-en&token=x"}, 404, "no exam or lesson"),
    ],
)
def test_a_wrong_answer_request_is_refused_and_stores_nothing(
    quiz: RunningQuiz, change: dict, status: int, says: str
) -> None:
    number, _choice = numbered(quiz, "choice")
    body = {"query": query(quiz, "fay"), "question": number, "picked": ["0"], **change}
    reply = post(quiz, body)
    assert reply.status_code == status and says in reply.json()["status"], reply.text
    assert not quiz.server.answers_file(ASSIGNMENT, "fay").exists()


def test_a_written_answer_must_be_unicode_on_every_page() -> None:
    assert answer_problem("free-text", [], "tien tellen \U0001f914") is None
    assert answer_problem("free-text", [], "half a pair \ud800") == "a written answer must be text"


def test_an_exam_link_cannot_write_anywhere_but_the_learners_own_answers(
    quiz: RunningQuiz,
) -> None:
    """An assignment that is not an exam's name is not read as a lesson link instead."""
    number, _choice = numbered(quiz, "choice")
    token = quiz.link("mal").split("token=")[1]
    before = sorted(str(path) for path in quiz.server.course.rglob("*"))
    for assignment in (
        f"{quiz.server.course}/exercises/{ASSIGNMENT}/{ASSIGNMENT}",
        f"../{ASSIGNMENT}",
        f"{ASSIGNMENT}/../{ASSIGNMENT}",
    ):
        link = f"?assignment={assignment}&lesson=01-confidential&language=en&token={token}"
        reply = post(quiz, {"query": link, "question": number, "picked": ["0"]})
        assert reply.status_code == 404, (assignment, reply.text)
        page = httpx.get(f"{quiz.url}{link}", timeout=30)
        assert page.status_code == 404 and "data-grader-first-paint" not in page.text
    assert sorted(str(path) for path in quiz.server.course.rglob("*")) == before
    assert not list(quiz.server.state.rglob("mal.*"))


def test_one_learner_reloading_keeps_one_place_and_costs_one_paint_a_second(
    quiz: RunningQuiz, place_taken: None
) -> None:
    with httpx.Client() as other:
        ahead = other.get(quiz.link("ned"), timeout=30)
        assert "data-grader-first-paint" in ahead.text
    pages = [httpx.get(quiz.link("ola"), timeout=30).text for _ in range(4)]  # no cookies
    assert "data-grader-first-paint" in pages[0]
    assert all("data-grader-waiting" in page for page in pages[1:])  # within the second
    assert all("You are number 2 in line." in page for page in pages)  # one place, kept
    time.sleep(1.1)
    assert "data-grader-first-paint" in httpx.get(quiz.link("ola"), timeout=30).text


def test_no_answer_is_stored_after_the_last_attempt(quiz: RunningQuiz, place_taken: None) -> None:
    number, _choice = numbered(quiz, "choice")
    attempts = quiz.server.attempts_file(ASSIGNMENT, "pim")
    attempts.parent.mkdir(parents=True, exist_ok=True)
    attempts.write_text(json.dumps({"submitted": ["2026-12-01T10:00:00+00:00"]}))
    reply = post(quiz, {"query": query(quiz, "pim"), "question": number, "picked": ["0"]})
    assert reply.status_code == 409 and "submitted" in reply.json()["status"]
    assert not quiz.server.answers_file(ASSIGNMENT, "pim").exists()
    page = httpx.get(quiz.link("pim"), timeout=30).text  # nothing to answer: no first paint
    assert "data-grader-waiting" in page and "data-grader-first-paint" not in page


def test_a_request_that_is_not_json_or_too_long_or_for_a_lesson_is_refused(
    quiz: RunningQuiz,
) -> None:
    number, _choice = numbered(quiz, "choice")
    body = {"query": query(quiz, "gus"), "question": number, "picked": ["0"]}
    form = post(quiz, json.dumps(body).encode(), **{"Content-Type": "text/plain"})
    assert form.status_code == 415  # what a form on another site could send
    long = {**body, "text": "x" * (7 * MAX_TEXT_CHARS)}
    assert post(quiz, long).status_code == 413
    lesson = lesson_url(quiz, "gus", "en", "01-confidential").split("?", 1)[1]
    assert post(quiz, {**body, "query": "?" + lesson}).status_code == 404
    assert post(quiz, b"{not json").status_code == 400
    assert post(quiz, b"[" * 50_000).status_code == 400  # nested deeper than Python goes
    assert not quiz.server.answers_file(ASSIGNMENT, "gus").exists()


def test_no_answer_is_stored_once_the_exam_is_submitted(quiz: RunningQuiz) -> None:
    number, _choice = numbered(quiz, "choice")
    marker = submitting_marker(quiz.server, ASSIGNMENT, "hal")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    try:
        reply = post(quiz, {"query": query(quiz, "hal"), "question": number, "picked": ["0"]})
    finally:
        marker.unlink()
    assert reply.status_code == 409 and "submitted" in reply.json()["status"]
    assert not quiz.server.answers_file(ASSIGNMENT, "hal").exists()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_paint_saves_answers_and_becomes_the_live_page(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    axe: Path,  # noqa: F811
    width: str,
) -> None:
    learner = f"ivy-{width}"
    first = live_page(browser, quiz.link(f"jo-{width}"), width)  # takes the one place
    page = browser.new_context(viewport=WIDTHS[width]).new_page()
    page.goto(quiz.link(learner), timeout=FIRST_RENDER_MS)
    expect(page.locator("[data-grader-first-paint]")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("You can read and answer now")
    assert page.evaluate(OVERFLOW, PHONE["width"] if width == "phone" else 1366) == []
    check_axe(page, axe, f"first paint {width}")
    shoot(page, f"first-paint-{width}")
    group = page.locator("fieldset").first
    label = group.locator("label").nth(1)
    picked = label.inner_text().strip()
    label.click()
    question = page.locator(".snap-grader-question-widget").first
    expect(question.locator(".grader-status")).to_contain_text("Saved at", timeout=10_000)
    area = page.locator("textarea").first
    area.fill("I would wait until the results are out.")
    area.blur()
    path = quiz.server.answers_file(ASSIGNMENT, learner)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(read_answers(path) if path.exists() else {}) < 2:
        time.sleep(0.1)
    stored = read_answers(path)
    assert "I would wait until the results are out." in stored.values()
    count = len(quiz.questions)
    expect(page.locator(".grader-answered-text").first).to_have_text(
        f"2 of {count} questions answered"
    )
    later = page.get_by_text("You can submit as soon as the full page has opened")
    later.scroll_into_view_if_needed()
    expect(later).to_be_visible()
    shoot(page, f"first-paint-end-{width}")
    first.close(run_before_unload=True)  # the place is free: the live page takes over
    first.context.close()
    page.wait_for_selector(LIVE, state="attached", timeout=FIRST_RENDER_MS + 30_000)
    live_group = page.locator(".grader-live fieldset").first
    expect(live_group.get_by_label(picked, exact=True)).to_be_checked()
    expect(page.locator(".grader-live textarea").first).to_have_value(
        "I would wait until the results are out."
    )
    leave(quiz, page)


def test_an_exam_page_is_built_without_importing_nbgrader(quiz: RunningQuiz) -> None:
    """A page kernel and a paint worker build pages; nbgrader would cost each a second.
    The learner's name still comes from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(quiz.server.gradebook) as gradebook:
        gradebook.update_or_create_student("kim", first_name="Kim", last_name="de Jong")
    code = f"""
import sys, time
from pathlib import Path
from grader.quiz.page import build_page
from grader.quiz.site import QuizServer
from grader.quiz.snapshot import snapshot_html, unconnected
from grader.quiz.tokens import load_secret, make_token
server = QuizServer(Path({str(quiz.server.course)!r}), Path({str(quiz.server.state)!r}),
                    Path({str(quiz.server.secret_file)!r}), 1, {quiz.server.gradebook!r})
token = make_token(load_secret(server.secret_file), "kim", {ASSIGNMENT!r}, int(time.time()) + 60)
with unconnected():
    page = build_page(server, {{"assignment": {ASSIGNMENT!r}, "token": token}}, {{}})
named = "Taking part: Kim de Jong" in snapshot_html(page, "en")
print(named, sorted(m for m in sys.modules if m.split('.')[0] == 'nbgrader'))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "[]"], done.stdout + done.stderr

"""Pages in turn: a learner who arrives while the server's places are taken waits in line,
sees why, costs no kernel, and gets the page by themselves once a place is free."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from grader.quiz.admission import (
    FORGET_SECONDS,
    HOLD_SECONDS,
    POLL_HEADER,
    RETRY_SECONDS,
    Admission,
    pages_for_memory,
    waiting_page,
)

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

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_places_are_given_in_order_of_arrival() -> None:
    admission = Admission(drawing=2, live=10, clock=Clock())
    assert admission.turn("ada", 0).admitted
    with admission.drawing_page(), admission.drawing_page():  # ada's and bo's pages
        assert admission.turn("cas", 0).place == 1
        assert admission.turn("dee", 0).place == 2
        assert admission.turn("cas", 0).place == 1  # asking again keeps the place
    assert not admission.turn("eve", 0).admitted  # a newcomer queues behind cas and dee
    assert admission.turn("dee", 0).admitted  # two places free: the first two in line
    assert admission.turn("cas", 0).admitted
    assert admission.turn("eve", 0).admitted


def test_learners_in_line_catch_up_while_newcomers_wait_for_a_core() -> None:
    admission = Admission(drawing=1, live=100, clock=Clock(), catching_up=3)
    first = admission.turn("first", 0)
    admission.drawing += 1  # first's page is being drawn
    assert first.admitted and not admission.turn("painted", 0).admitted
    assert admission.turn("painted", 0, hold=True).admitted  # in line: may catch up
    assert not admission.turn("newcomer", 0).admitted  # new: waits for a core
    assert admission.turn("newcomer", 0, hold=True).admitted  # now in line
    assert not admission.turn("third", 0).admitted
    assert not admission.turn("third", 0, hold=True).admitted  # 1 drawn + 2 held: full


def test_no_place_while_the_open_pages_fill_the_memory() -> None:
    admission = Admission(drawing=4, live=3, clock=Clock())
    assert admission.turn("ada", 2).admitted
    assert admission.turn("bo", 3) == admission.turn("bo", 3)
    assert not admission.turn("bo", 3).admitted
    assert admission.turn("bo", 2).admitted


def test_a_place_not_asked_about_is_given_up() -> None:
    clock = Clock()
    admission = Admission(drawing=1, live=10, clock=clock)
    with admission.drawing_page():
        assert admission.turn("ada", 0).place == 1
        clock.now = FORGET_SECONDS / 2
        assert admission.turn("bo", 0).place == 2
        clock.now = FORGET_SECONDS + 1  # ada gave up; bo asked recently
        assert admission.turn("bo", 0).place == 1


def test_the_memory_decides_how_many_pages_stay_open() -> None:
    assert pages_for_memory(24 * 2**30) == 131
    assert pages_for_memory(256 * 2**20) == 4


def test_a_place_given_to_a_waiting_page_is_held_for_its_reload() -> None:
    clock = Clock()
    admission = Admission(drawing=1, live=10, clock=clock)
    with admission.drawing_page():
        assert admission.turn("ada", 0, hold=True).place == 1
    assert admission.turn("ada", 0, hold=True).admitted  # its turn: the place is held
    assert not admission.turn("bo", 0).admitted  # a newcomer cannot take it
    assert admission.turn("ada", 0).admitted  # the reload takes it
    assert admission.turn("bo", 0).admitted
    assert admission.turn("cas", 0, hold=True).admitted
    clock.now = HOLD_SECONDS + 1  # cas never came back
    assert admission.turn("dee", 0).admitted


def test_the_waiting_page_says_why_and_asks_for_its_turn_by_itself() -> None:
    page = waiting_page("nl", "<Examen> - Meridian", 1)
    assert '<html lang="nl">' in page and "Jij bent de volgende." in page
    assert "&lt;Examen&gt;" in page and "<Examen>" not in page
    assert "http-equiv" not in page  # no refresh that a screen reader would restart on
    assert f'"{POLL_HEADER}": "poll"' in page and f"{RETRY_SECONDS * 1000}" in page
    assert "<noscript><p><a href=''>Nu opnieuw proberen</a>" in page
    assert "You are number 7 in line." in waiting_page("en", "Exam", 7)


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    root = tmp_path_factory.mktemp("admission")
    with running_quiz(built_course_template, root, pool_size=0, max_pages=1) as running:
        yield running


def page_kernels(quiz: RunningQuiz) -> int:
    return sum(
        1
        for process in psutil.process_iter(["cmdline"])
        if "ipykernel_launcher" in " ".join(process.info["cmdline"] or [])
        and str(quiz.log.parent) in process.environ().get("GRADER_QUIZ_SERVER", "")
    )


def test_a_learner_in_line_costs_no_kernel_and_keeps_the_place(quiz: RunningQuiz) -> None:
    with httpx.Client() as ada, httpx.Client() as bo:
        first = ada.get(quiz.link("ada"), timeout=FIRST_RENDER_MS / 1000)
        assert KERNEL_ID.search(first.text)
        kernels = page_kernels(quiz)
        lesson = lesson_url(quiz, "bo", "en", "01-confidential")  # (an exam has a first paint)
        waiting = bo.get(lesson, timeout=30)
        assert waiting.status_code == 200 and KERNEL_ID.search(waiting.text) is None
        assert "You are next in line." in waiting.text
        again = bo.get(lesson, headers={POLL_HEADER: "poll"}, timeout=30)
        assert again.json() == {"ready": False, "text": "You are next in line."}
        assert page_kernels(quiz) == kernels
        shut = KERNEL_ID.search(first.text)[1]
        ada.post(f"{quiz.url}voila/api/shutdown/{shut}", timeout=30)
        wait_for_shutdown(quiz, shut)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_waiting_page_turns_into_the_exam_once_a_place_is_free(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    axe: Path,  # noqa: F811
    width: str,
) -> None:
    first = live_page(browser, quiz.link("cas"), width)  # takes the one place
    second = browser.new_context(viewport=WIDTHS[width]).new_page()
    second.goto(lesson_url(quiz, "dee", "en", "01-confidential"), timeout=FIRST_RENDER_MS)
    expect(second.get_by_role("heading", name="Your page is on its way")).to_be_visible()
    expect(second.get_by_role("status")).to_contain_text("You are next in line.")
    assert second.evaluate(OVERFLOW, PHONE["width"] if width == "phone" else 1366) == []
    check_axe(second, axe, f"waiting page {width}")
    shoot(second, f"waiting-{width}")
    first.close(run_before_unload=True)  # cas leaves: the place is dee's
    second.wait_for_selector(LIVE, state="attached", timeout=FIRST_RENDER_MS + 30_000)
    expect(second.locator("h1").first).to_contain_text("confidential", ignore_case=True)
    leave(quiz, second)  # dee leaves too: the place is free for the next


def live_page(browser: Browser, url: str, width: str) -> Page:  # noqa: F811
    """A learner's live page, in a browser of its own at ``width``."""
    page = browser.new_context(viewport=WIDTHS[width]).new_page()
    page.goto(url, timeout=FIRST_RENDER_MS)
    page.wait_for_selector(LIVE, state="attached", timeout=FIRST_RENDER_MS)
    return page


def leave(quiz: RunningQuiz, page: Page) -> None:
    """Close a live page as a learner does, and wait until its kernel is gone."""
    kernel = KERNEL_ID.search(page.content())[1]
    page.close(run_before_unload=True)
    wait_for_shutdown(quiz, kernel)
    page.context.close()


def wait_for_shutdown(quiz: RunningQuiz, kernel: str) -> None:
    deadline = time.monotonic() + 30
    while f"Kernel shutdown: {kernel}" not in quiz.log.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"kernel {kernel} outlived its page"
        time.sleep(0.2)

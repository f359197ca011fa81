"""Benchmark: how fast a quiz page is ready, and how fast it answers, in a real Chromium.

Builds the certification exam in a temporary course folder, serves it with
``grader quiz serve`` twice (with preheated kernels, then without) and measures, with
Playwright and Debian's Chromium:

- open-to-clickable: from opening a personal link to the first answer being clickable;
- answer-to-feedback: from clicking an answer to the page showing the reaction (the
  "saved" status on the exam, the right/wrong feedback in a lesson).

    .venv/bin/python benchmarks/quiz_page.py --visits 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from autograde_cohort import make_course
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.quiz_server import RunningQuiz, running_quiz  # noqa: E402
from tests.test_widgets_browser import CHROMIUM_ARGS  # noqa: E402

FIRST_ANSWER = ".grader-question-widget input[type=radio]"
REFILL_SECONDS = 12  # the pool refills 4 s after a visit; a kernel then needs a few seconds


def open_to_clickable(browser: Browser, url: str) -> float:
    """Seconds from opening ``url`` to the first answer being visible and enabled."""
    context = browser.new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(FIRST_ANSWER).first.wait_for(state="visible", timeout=120_000)
    page.wait_for_function(f"!document.querySelector('{FIRST_ANSWER}').disabled")
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def reaction_times(page: Page, selector: str, reaction: str, count: int) -> list[float]:
    """Click the first option of ``count`` questions; seconds until ``reaction`` shows."""
    times = []
    widgets = page.locator(".grader-question-widget").filter(has=page.locator(selector))
    for index in range(count):
        widget = widgets.nth(index)
        widget.scroll_into_view_if_needed()
        seen = widget.locator(reaction)
        before = seen.count()
        started = time.perf_counter()
        widget.locator(selector).first.click()
        seen.nth(before).wait_for(state="visible", timeout=30_000)
        times.append(time.perf_counter() - started)
    return times


def visits(browser: Browser, quiz: RunningQuiz, count: int, wait: float) -> list[float]:
    figures = []
    for number in range(count):
        figures.append(open_to_clickable(browser, quiz.link(f"visitor{number}")))
        time.sleep(wait)
    return figures


def summary(name: str, seconds: list[float]) -> str:
    millis = sorted(1000 * s for s in seconds)
    p95 = millis[min(len(millis) - 1, round(0.95 * (len(millis) - 1)))]
    return (
        f"{name}: median {statistics.median(millis):.0f} ms, p95 {p95:.0f} ms,"
        f" min {millis[0]:.0f} ms, max {millis[-1]:.0f} ms (n={len(millis)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5, help="page openings per mode")
    parser.add_argument("--answers", type=int, default=10, help="answers timed per page")
    parser.add_argument("--pool-size", type=int, default=2, help="preheated kernels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        root = Path(scratch)
        make_course(root / "built", "certification-exam", "en", 0, 0)
        lessons = Path("course") / "en"  # generated and committed: the same in every build
        shutil.copytree(REPO / lessons, root / "built" / lessons, dirs_exist_ok=True)
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        print("open-to-clickable, exam of 32 questions (target with preheating: 800 ms)")
        with running_quiz(root / "built", root / "hot", pool_size=args.pool_size) as quiz:
            warm = visits(browser, quiz, args.visits, REFILL_SECONDS)
            print("  " + summary(f"preheated ({args.pool_size} kernels)", warm))
            page = browser.new_page()
            page.goto(quiz.link("answerer"))
            page.locator(".grader-submit").wait_for(timeout=120_000)
            saved = reaction_times(page, "input[type=radio]", "text=Saved at", args.answers)
            page.goto(f"{quiz.url}?lesson=01-confidential&language=en")
            page.locator(FIRST_ANSWER).first.wait_for(timeout=120_000)
            practice = reaction_times(page, "input[type=radio]", ".grader-feedback", 4)
        with running_quiz(root / "built", root / "cold", pool_size=0) as quiz:
            cold = visits(browser, quiz, args.visits, 1)
            print("  " + summary("without preheating", cold))
        print("answer-to-feedback (target: 150 ms)")
        print("  " + summary("exam answer saved on the server", saved))
        print("  " + summary("lesson answer with feedback", practice))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

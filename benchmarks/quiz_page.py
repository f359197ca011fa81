"""Benchmark: how fast a quiz page is ready, and how fast it answers, in a real Chromium.

Builds the certification exam in a temporary course folder, serves it with
``grader quiz serve`` twice (with preheated kernels, then without) and measures, with
Playwright and Debian's Chromium, a fresh browser profile per visit:

- open-to-clickable: from opening a personal link to the first answer on screen and
  enabled (the page's snapshot; timed in the page from navigation start, at the first
  frame drawn with it);
- click-taken: how long a click given at that moment waits before the page takes it (the
  browser's event time stamp to the change event: First Input Delay);
- open-to-saved: until that first answer is saved on the server (the snapshot hands it to
  the live widgets), and open-to-live: until the live widgets have taken over;
- answer-to-feedback: from clicking an answer on the live page to the page showing the
  reaction (the "saved" status on the exam, the right/wrong feedback in a lesson).

    .venv/bin/python benchmarks/quiz_page.py --visits 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograde_cohort import make_course
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import ASSIGNMENT  # noqa: E402
from tests.learner.test_widgets_browser import CHROMIUM_ARGS  # noqa: E402
from tests.quiz.server import RunningQuiz, running_quiz  # noqa: E402

FIRST_ANSWER = ".grader-snapshot input[type=radio], .grader-question-widget input[type=radio]"
REFILL_TIMEOUT = 120  # seconds for the pool to have a ready kernel again after a visit
# In the page, from navigation start: the first frame drawn with an enabled first answer,
# and the first click's time stamp and the moment its change event ran.
TIMERS = """
window.graderTimes = {};
new MutationObserver((changes, observer) => {
  const first = document.querySelector(FIRST_ANSWER);
  if (first && !first.disabled) {
    observer.disconnect();
    requestAnimationFrame(() => { window.graderTimes.shown = performance.now(); });
  }
}).observe(document, { childList: true, subtree: true });
document.addEventListener("change", (event) => {
  if (window.graderTimes.taken === undefined) {
    window.graderTimes.taken = performance.now();
  }
}, true);
document.addEventListener("pointerdown", (event) => {
  if (window.graderTimes.given === undefined) {
    window.graderTimes.given = event.timeStamp;
  }
}, true);
""".replace("FIRST_ANSWER", json.dumps(FIRST_ANSWER))


@dataclass
class Visit:
    """One opening of a personal link, in seconds from navigation start."""

    clickable: float
    click_wait: float
    saved: float
    live: float


def visit(browser: Browser, quiz: RunningQuiz, learner: str) -> Visit:
    """Open ``learner``'s link, click the first answer as soon as it shows, and time it."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMERS)
    page.goto(quiz.link(learner), wait_until="commit")
    page.locator(FIRST_ANSWER).first.click(timeout=120_000)
    page.wait_for_function("window.graderTimes.taken !== undefined")
    answers = quiz.server.answers_file(ASSIGNMENT, learner)
    while not answers.exists():
        time.sleep(0.005)
    saved_at = answers.stat().st_mtime
    page.locator("body.grader-live-ready").wait_for(state="attached", timeout=120_000)
    times = page.evaluate(
        """() => ({...window.graderTimes, origin: performance.timeOrigin,
                  live: performance.getEntriesByName("grader-live")[0].startTime})"""
    )
    context.close()
    origin = times["origin"] / 1000
    return Visit(
        clickable=times["shown"] / 1000,
        click_wait=(times["taken"] - times["given"]) / 1000,
        saved=saved_at - origin,
        live=times["live"] / 1000,
    )


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


def wait_for_ready_kernels(quiz: RunningQuiz, count: int) -> None:
    """Wait until ``count`` preheated kernels in all have said they wait for a visitor."""
    deadline = time.monotonic() + REFILL_TIMEOUT
    while quiz.ready_kernels() < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"the kernel pool did not refill:\n{quiz.log_tail()}")
        time.sleep(0.1)


def visits(browser: Browser, quiz: RunningQuiz, count: int, pool: int, name: str) -> list[Visit]:
    """``count`` visits, each to a page whose pool is full again (with preheating)."""
    figures = []
    for number in range(count):
        wait_for_ready_kernels(quiz, pool + number if pool else 0)
        figures.append(visit(browser, quiz, f"{name}{number}"))
        time.sleep(1)
    return figures


def report(name: str, figures: list[Visit]) -> None:
    print(f"  {name}")
    print(
        "    "
        + summary("open-to-clickable (first answer on screen)", [f.clickable for f in figures])
    )
    print("    " + summary("a click then waits (input delay)", [f.click_wait for f in figures]))
    print("    " + summary("open-to-saved (that answer on the server)", [f.saved for f in figures]))
    print("    " + summary("open-to-live (live widgets took over)", [f.live for f in figures]))


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
        print("opening a personal link, exam of 32 questions (target with preheating: 800 ms)")
        with running_quiz(root / "built", root / "hot", pool_size=args.pool_size) as quiz:
            warm = visits(browser, quiz, args.visits, args.pool_size, "hot")
            report(f"preheated ({args.pool_size} kernels)", warm)
            page = browser.new_page()
            page.goto(quiz.link("answerer"))
            page.locator(".grader-submit").wait_for(timeout=120_000)
            # Time answers once the pool has refilled: a kernel starting beside them is
            # a visit's cost, measured above.
            wait_for_ready_kernels(quiz, args.pool_size + args.visits + 1)
            saved = reaction_times(page, "input[type=radio]", "text=Saved at", args.answers)
            token = quiz.link("answerer").split("token=")[1]
            page.goto(f"{quiz.url}?lesson=01-confidential&language=en&token={token}")
            page.locator(FIRST_ANSWER).first.wait_for(timeout=120_000)
            wait_for_ready_kernels(quiz, args.pool_size + args.visits + 2)
            practice = reaction_times(page, "input[type=radio]", ".grader-feedback", 4)
        with running_quiz(root / "built", root / "cold", pool_size=0) as quiz:
            cold = visits(browser, quiz, args.visits, 0, "cold")
            report("without preheating", cold)
        print("answer-to-feedback (target: 150 ms)")
        print("  " + summary("exam answer saved on the server", saved))
        print("  " + summary("lesson answer with feedback", practice))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

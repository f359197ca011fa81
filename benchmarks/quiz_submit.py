"""Benchmark: a room of learners submitting the exam within the same second.

Serves the certification exam with ``grader quiz serve``; N learners (default 50) each have
a page open with every question answered (realistic answers, saved on the server before
the page opens), speaking the Jupyter widget protocol as the page's JavaScript does. Then
all of them press "Submit my exam" and "Yes, submit now" at the same moment, and each
waits until its result is on screen. Prints the submit-to-score percentiles, checks that
every learner is in the gradebook and that the grades are exactly those plain
``nbgrader autograde`` gives for the same submissions (in a copy of the course).

    .venv/bin/python benchmarks/quiz_submit.py --learners 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import websockets
from autograde_cohort import make_course
from quiz_load import KERNEL_ID, TIMEOUT, message, percentiles, widget_states

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader.cohort.gradebook import default_db_url, snapshot  # noqa: E402
from grader.course.content import load_course  # noqa: E402
from grader.course.i18n import message as text  # noqa: E402
from grader.course.nbgrader_course import run_nbgrader  # noqa: E402
from grader.learner.answers import save_answer  # noqa: E402
from grader.learner.simulate import realistic_answers  # noqa: E402
from grader.quiz.admission import POLL_HEADER, RETRY_SECONDS  # noqa: E402
from tests.conftest import ASSESSMENT, ASSIGNMENT  # noqa: E402
from tests.quiz.server import RunningQuiz, running_quiz  # noqa: E402

SETTLE_SECONDS = 10  # before the room submits (see run)


@dataclass
class Page:
    """One learner's open exam page: its socket and the widgets it clicks and watches."""

    learner: str
    socket: websockets.ClientConnection
    session: str
    submit: str
    confirm: str
    result: str
    seconds: float = 0.0
    error: str = ""


def button(states: dict[str, dict], label: str) -> str:
    return next(
        model_id
        for model_id, state in states.items()
        if state["model_name"] == "ButtonModel" and state["state"].get("description") == label
    )


async def open_page(quiz: RunningQuiz, learner: str, client: httpx.AsyncClient) -> Page:
    page = await client.get(quiz.link(learner), timeout=TIMEOUT)
    while KERNEL_ID.search(page.text) is None and page.status_code == 200:
        # In line (a first paint, or the waiting page): ask for the turn as the page does.
        await asyncio.sleep(RETRY_SECONDS)
        turn = await client.get(quiz.link(learner), headers={POLL_HEADER: "poll"})
        if turn.json().get("ready"):
            page = await client.get(quiz.link(learner), timeout=TIMEOUT)
    kernel = KERNEL_ID.search(page.text)
    assert page.status_code == 200 and kernel, f"{learner}: page {page.status_code}"
    session = uuid.uuid4().hex
    channels = f"api/kernels/{kernel[1]}/channels?session_id={session}"
    url = quiz.url.replace("http", "ws", 1) + channels
    cookie = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
    socket = await websockets.connect(
        url, max_size=None, open_timeout=TIMEOUT, additional_headers={"Cookie": cookie}
    )
    states = await asyncio.wait_for(widget_states(socket, session), TIMEOUT)
    result = next(  # the result box: the HTML widget right after the title, empty for now
        model_id
        for model_id, state in states.items()
        if state["model_name"] == "HTMLModel"
        and "grader-result-box" in state["state"].get("_dom_classes", [])
    )
    return Page(
        learner,
        socket,
        session,
        button(states, text("en", "submit")),
        button(states, text("en", "submit_confirm")),
        result,
    )


def click(page: Page, model_id: str) -> str:
    data = {"method": "custom", "content": {"event": "click"}}
    return message(page.session, "comm_msg", {"comm_id": model_id, "data": data})


async def submit_and_wait(page: Page) -> None:
    started = time.perf_counter()
    await page.socket.send(click(page, page.submit))
    await page.socket.send(click(page, page.confirm))
    while True:
        reply = json.loads(await asyncio.wait_for(page.socket.recv(), TIMEOUT * 4))
        content = reply.get("content", {})
        value = str(content.get("data", {}).get("state", {}).get("value", ""))
        if content.get("comm_id") == page.result and "grader-result" in value:
            page.seconds = time.perf_counter() - started
            return


def processor_seconds(server_pid: int) -> dict[str, float]:
    """Processor time so far of the quiz server's processes, by part."""
    seconds: dict[str, float] = {}
    serve = psutil.Process(server_pid)
    for process in [serve, *serve.children(recursive=True)]:
        try:
            command, times = " ".join(process.cmdline()), process.cpu_times()
        except psutil.Error:  # ended meanwhile
            continue
        if "ipykernel" in command or "kernel-" in command:
            part = "page kernels"
        elif "multiprocessing" in command:
            part = "worker pools (grading, paint)"
        else:
            part = "server"
        seconds[part] = seconds.get(part, 0.0) + times.user + times.system
    return seconds


def answer_in_advance(quiz: RunningQuiz, learners: list[str], seed: int) -> None:
    items = load_course(quiz.server.course, "en").bank.items_of(ASSESSMENT)
    rng = random.Random(seed)
    for learner in learners:
        skill = min(0.98, max(0.2, rng.gauss(0.7, 0.15)))
        path = quiz.server.answers_file(ASSIGNMENT, learner)
        path.parent.mkdir(parents=True, exist_ok=True)
        for item_id, answer in realistic_answers(items, skill, rng).items():
            save_answer(path, item_id, answer)


async def run(
    quiz: RunningQuiz, learners: list[str], opening: int
) -> tuple[list[Page], dict[str, float]]:
    limits = httpx.Limits(max_connections=opening)
    async with httpx.AsyncClient(limits=limits) as client:
        gate = asyncio.Semaphore(opening)  # the pages open a few at a time: not measured

        async def one(learner: str) -> Page:
            async with gate:
                return await open_page(quiz, learner, client)

        pages = await asyncio.gather(*(one(learner) for learner in learners))
    # Learners answer for half an hour before they submit: the pages' start is long over.
    await asyncio.sleep(SETTLE_SECONDS)
    print(f"  {len(pages)} pages open; all submit now")
    before = processor_seconds(quiz.process_id)

    async def submitted(page: Page) -> None:
        try:
            await submit_and_wait(page)
        except Exception as error:
            page.error = f"{type(error).__name__}: {error}"

    await asyncio.gather(*(submitted(page) for page in pages))
    after = processor_seconds(quiz.process_id)
    for page in pages:
        await page.socket.close()
    return pages, {part: after[part] - before.get(part, 0.0) for part in after}


def plain_nbgrader(quiz: RunningQuiz, built: Path, scratch: Path) -> tuple[bool, float]:
    """Plain ``nbgrader autograde`` on the same submissions, in a copy of the course:
    whether it gives the same gradebook, and how long it took."""
    reference = Path(shutil.copytree(built, scratch / "reference"))
    shutil.copytree(quiz.server.course / "submitted", reference / "submitted")
    started = time.perf_counter()
    run_nbgrader(reference, "autograde", ASSIGNMENT)
    seconds = time.perf_counter() - started
    same = snapshot(default_db_url(reference), ASSIGNMENT) == snapshot(
        default_db_url(quiz.server.course), ASSIGNMENT
    )
    return same, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--pool-size", type=int, default=4)
    parser.add_argument("--opening", type=int, default=4, help="pages opening at once")
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        make_course(scratch / "built", ASSESSMENT, "en", 0, 0)
        with running_quiz(scratch / "built", scratch / "quiz", pool_size=args.pool_size) as quiz:
            learners = [f"learner{number:03d}" for number in range(args.learners)]
            answer_in_advance(quiz, learners, args.seed)
            load_before = os.getloadavg()
            pages, used = asyncio.run(run(quiz, learners, args.opening))
            load_after = os.getloadavg()
            same, nbgrader_seconds = plain_nbgrader(quiz, scratch / "built", scratch)
            graded = {
                path.name for path in (quiz.server.course / "autograded").iterdir() if path.is_dir()
            }
    failed = [page for page in pages if page.error or not page.seconds]
    print(f"{args.learners} learners submitting at once, {os.cpu_count()} cores")
    seconds = [p.seconds for p in pages if p.seconds]
    print("  " + percentiles("submit to score on screen", seconds))
    if seconds:
        print(
            f"  plain serial nbgrader autograde of the same submissions: {nbgrader_seconds:.1f} s;"
            f" the last score on screen after {max(seconds):.1f} s"
            f" ({nbgrader_seconds / max(seconds):.1f}x sooner)"
        )
    print(f"  in the gradebook: {len(graded)} of {args.learners}; failed: {len(failed)}")
    print(
        "  processor time while they submitted: "
        + ", ".join(f"{part} {seconds:.1f} s" for part, seconds in sorted(used.items()))
    )
    print(f"  grades identical to plain nbgrader autograde: {'yes' if same else 'NO'}")
    print(
        "  load average (1 min) before and after: "
        f"{load_before[0]:.2f} -> {load_after[0]:.2f}; target: p95 <= 15 s"
    )
    for page in failed:
        print(f"  failed: {page.learner}: {page.error or 'no result'}")
    return 0 if same and not failed and len(graded) == args.learners else 1


if __name__ == "__main__":
    sys.exit(main())

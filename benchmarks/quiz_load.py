"""Benchmark: many learners answering at once against one quiz server.

Serves the certification exam with ``grader quiz serve`` and lets N simulated learners
(default 50) open their personal links at the same time and answer, each over its own
kernel websocket, speaking the Jupyter widget protocol as the page's JavaScript does:
ask the kernel for the widgets' state, pick an option of a question's option group (by
its place on screen, as the browser does), wait for the question's "saved" status. A
learner the server puts in line gets the exam's first paint: they answer one question
there, as its script does (``POST <base>grader/answer``), ask for their turn, and answer
the rest on the live page. Afterwards every learner's answers file on the server must
hold exactly the answers that learner gave, each once. Prints the percentiles of "read
and answer" (the first paint, or the page for a learner not in line), page open (the
HTML with its kernel), page live (the widgets answer) and answer to saved (first paint
and widgets alike), and the kernels' memory.

    .venv/bin/python benchmarks/quiz_load.py --learners 50 --answers 3
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import html
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psutil
import websockets
from autograde_cohort import make_course

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader.learner.answers import AnswersFileError, read_answers  # noqa: E402
from grader.quiz.admission import POLL_HEADER, RETRY_SECONDS  # noqa: E402
from grader.quiz.site import ANSWER_PATH  # noqa: E402
from tests.conftest import ASSIGNMENT  # noqa: E402
from tests.quiz.server import RunningQuiz, running_quiz  # noqa: E402

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
WAITING = re.compile(r"<main data-grader-waiting>")
FIRST_PAINT = "data-grader-first-paint"
QUESTION_BOX = re.compile(r"<div class='grader-snap-box snap-grader-question-widget[^']*'>")
OPTION_TEXT = re.compile(r"<span class='grader-option-text'>(.*?)</span>")
TIMEOUT = 180


@dataclass
class Learner:
    name: str
    first: float = 0.0  # the first answer: the page, or the page saying they wait
    readable: float = 0.0  # the questions are on screen and can be answered
    painted: bool = False  # shown the exam's first paint
    waits: int = 0  # waiting pages or first paints seen
    opened: float = 0.0  # the page's HTML is in: the learner can read the questions
    live: float = 0.0  # the page's widgets answer: the learner can answer
    latencies: list[float] = field(default_factory=list)
    picked: dict[str, str] = field(default_factory=dict)  # option group model id -> text
    error: str = ""


def message(session: str, msg_type: str, content: dict, metadata: dict | None = None) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "username": "learner",
        "session": session,
        "msg_type": msg_type,
        "version": "5.3",
        "date": datetime.now(UTC).isoformat(),
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def widget_states(socket, session: str) -> dict[str, dict]:
    """All widget models of the page, as the widget manager asks for them on load."""
    control = uuid.uuid4().hex
    target = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
    await socket.send(message(session, "comm_open", target, {"version": "1.0.0"}))
    request = {"comm_id": control, "data": {"method": "request_states"}}
    await socket.send(message(session, "comm_msg", request))
    while True:
        reply = json.loads(await socket.recv())
        data = reply.get("content", {}).get("data", {})
        if reply["msg_type"] == "comm_msg" and data.get("method") == "update_states":
            return data["states"]


async def wait_saved(socket, status_id: str) -> None:
    while True:
        reply = json.loads(await socket.recv())
        content = reply.get("content", {})
        state = content.get("data", {}).get("state", {})
        if content.get("comm_id") == status_id and "Saved at" in str(state.get("value", "")):
            return


def first_paint_choice(page: str) -> tuple[int, list[str]]:
    """The number of the first one-answer question of a first paint, and its options."""
    boxes = list(QUESTION_BOX.finditer(page))
    for number, box in enumerate(boxes, start=1):
        end = boxes[number].start() if number < len(boxes) else len(page)
        part = page[box.end() : end]
        if "grader-options-one" in part:
            return number, [html.unescape(t) for t in OPTION_TEXT.findall(part)]
    raise ValueError("no one-answer question on the first paint")


async def answer_first_paint(quiz: RunningQuiz, learner: Learner, client, page: str) -> None:
    """Answer one question on the first paint, as its script does."""
    number, options = first_paint_choice(page)
    index = len(learner.name) % len(options)
    body = {"query": "?" + quiz.link(learner.name).split("?", 1)[1], "question": number}
    sent = time.perf_counter()
    reply = await client.post(
        f"{quiz.url}{ANSWER_PATH}", json={**body, "picked": [str(index)]}, timeout=TIMEOUT
    )
    if reply.status_code != 200:
        raise RuntimeError(f"first paint answer: {reply.status_code} {reply.text}")
    learner.latencies.append(time.perf_counter() - sent)
    learner.picked[f"Question {number}"] = options[index]


async def open_page(quiz: RunningQuiz, learner: Learner, client, started: float):
    """The learner's page, after their turn when the server first sends a waiting page or
    the exam's first paint (answered there first)."""
    page = await client.get(quiz.link(learner.name), timeout=TIMEOUT)
    learner.first = time.perf_counter() - started
    if FIRST_PAINT in page.text:
        learner.readable = learner.first
        learner.painted = True
        await answer_first_paint(quiz, learner, client, page.text)
    elif WAITING.search(page.text) is None:
        learner.readable = learner.first
        return page
    learner.waits = 1
    while True:  # as the waiting page's script does
        await asyncio.sleep(RETRY_SECONDS)
        poll = {POLL_HEADER: "poll"}
        turn = await client.get(quiz.link(learner.name), headers=poll, timeout=TIMEOUT)
        if turn.json().get("ready"):
            return await client.get(quiz.link(learner.name), timeout=TIMEOUT)


async def take_exam(quiz: RunningQuiz, learner: Learner, answers: int, client) -> None:
    started = time.perf_counter()
    page = await open_page(quiz, learner, client, started)
    kernel = KERNEL_ID.search(page.text)
    if page.status_code != 200 or kernel is None:
        learner.error = f"page {page.status_code}, no kernel id"
        return
    learner.opened = time.perf_counter() - started
    session = uuid.uuid4().hex
    url = (
        f"{quiz.url.replace('http', 'ws', 1)}api/kernels/{kernel[1]}/channels?session_id={session}"
    )
    # The page's cookie binds its kernel to this "browser" (grader.quiz.voila_app).
    cookie = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
    async with websockets.connect(
        url, max_size=None, open_timeout=TIMEOUT, additional_headers={"Cookie": cookie}
    ) as socket:
        states = await asyncio.wait_for(widget_states(socket, session), TIMEOUT)
        learner.live = time.perf_counter() - started
        questions = [
            (control, children[children.index(control) + 1])
            for state in states.values()
            if state["model_name"] == "VBoxModel"
            for children in [[c.removeprefix("IPY_MODEL_") for c in state["state"]["children"]]]
            for control in children
            if states.get(control, {}).get("model_name") == "AnyModel"
            and "options" in states[control]["state"]
            and not states[control]["state"].get("multiple")
            and states[control]["state"].get("heading") not in learner.picked
        ]
        if not questions:
            notices = [
                state["state"].get("value", "")
                for state in states.values()
                if "grader-notice" in str(state["state"].get("value", ""))
            ]
            learner.error = f"no questions on the page: {notices or 'nothing shown'}"
            return
        for control, status in questions[: answers - len(learner.picked)]:
            labels = states[control]["state"]["options"]
            index = len(learner.name) % len(labels)
            # The page's option group sends the place of the picked option on screen.
            update = {"method": "update", "state": {"picked": [str(index)]}, "buffer_paths": []}
            sent = time.perf_counter()
            await socket.send(message(session, "comm_msg", {"comm_id": control, "data": update}))
            await asyncio.wait_for(wait_saved(socket, status), TIMEOUT)
            learner.latencies.append(time.perf_counter() - sent)
            learner.picked[control] = labels[index]


async def run_all(quiz: RunningQuiz, learners: list[Learner], answers: int) -> None:
    # Each learner a browser, with cookies of its own, open before the clock starts (each
    # client makes a TLS context, 25 ms of this machine's processor, that the server's
    # learners do not share).
    clients = [httpx.AsyncClient() for _ in learners]

    async def one(learner: Learner, client: httpx.AsyncClient) -> None:
        async with client:
            try:
                await take_exam(quiz, learner, answers, client)
            except Exception as error:
                learner.error = f"{type(error).__name__}: {error}"

    await asyncio.gather(
        *(one(learner, client) for learner, client in zip(learners, clients, strict=True))
    )


def stored_exactly_once(quiz: RunningQuiz, learner: Learner) -> str:
    """Why this learner's answers file is not what they gave, or '' when it is."""
    path = quiz.server.answers_file(ASSIGNMENT, learner.name)
    try:
        answers = read_answers(path)
    except AnswersFileError as error:
        return str(error)
    texts = {
        item_id: {option["id"]: option["text"] for option in question.get("options", [])}
        for item_id, question in quiz.questions.items()
    }
    stored = sorted(texts[item_id][value] for item_id, value in answers.items())
    if stored != sorted(learner.picked.values()):
        return f"stored {stored}, gave {sorted(learner.picked.values())}"
    leftovers = [p.name for p in path.parent.glob(f"*{learner.name}.answers.json.*")]
    return f"leftover files {leftovers}" if leftovers else ""


def kernel_memory(log: Path) -> tuple[int, float]:
    """How many page kernels run, and their resident memory in MiB."""
    kernels = [
        process
        for process in psutil.process_iter(["cmdline"])
        if "ipykernel_launcher" in " ".join(process.info["cmdline"] or [])
        and str(log.parent) in process.environ().get("GRADER_QUIZ_SERVER", "")
    ]
    return len(kernels), sum(p.memory_info().rss for p in kernels) / 2**20


def percentiles(name: str, seconds: list[float]) -> str:
    millis = sorted(1000 * s for s in seconds)
    if not millis:
        return f"{name}: no measurements"

    def at(fraction: float) -> float:
        return millis[min(len(millis) - 1, round(fraction * (len(millis) - 1)))]

    return (
        f"{name}: p50 {at(0.5):.0f} ms, p90 {at(0.9):.0f} ms, p95 {at(0.95):.0f} ms,"
        f" p99 {at(0.99):.0f} ms,"
        f" max {millis[-1]:.0f} ms, mean {statistics.mean(millis):.0f} ms (n={len(millis)})"
    )


def main() -> int:
    # Every wait has its own timeout; this only catches a hang outside them.
    faulthandler.dump_traceback_later(TIMEOUT * 4, exit=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--answers", type=int, default=2, help="answers per learner")
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--max-pages", type=int, default=None, help="default: from memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        make_course(root / "built", "certification-exam", "en", 0, 0)
        serving = running_quiz(
            root / "built", root / "load", pool_size=args.pool_size, max_pages=args.max_pages
        )
        with serving as quiz:
            learners = [Learner(f"learner{number:03d}") for number in range(args.learners)]
            started, load_before = time.perf_counter(), os.getloadavg()[0]
            asyncio.run(run_all(quiz, learners, args.answers))
            seconds, load_after = time.perf_counter() - started, os.getloadavg()[0]
            count, mebibytes = kernel_memory(quiz.log)
            failed = [learner for learner in learners if learner.error]
            wrong = {
                learner.name: problem
                for learner in learners
                if not learner.error and (problem := stored_exactly_once(quiz, learner))
            }
        print(f"{args.learners} learners, {args.answers} answers each, in {seconds:.1f} s")
        print(
            f"  load average (1 min) {load_before:.2f} before, {load_after:.2f} after,"
            f" on {os.cpu_count()} cores"
        )
        print("  " + percentiles("first response", [lr.first for lr in learners if lr.first]))
        painted = sum(1 for lr in learners if lr.painted)
        waited = sum(1 for lr in learners if lr.waits and not lr.painted)
        print(f"  shown the exam's first paint (no kernel yet): {painted} learners")
        print(f"  shown the waiting page: {waited} learners")
        print(
            "  "
            + percentiles(
                "read and answer (first paint or page)",
                [lr.readable for lr in learners if lr.readable],
            )
        )
        print(
            "  "
            + percentiles(
                "page open (HTML with kernel)", [lr.opened for lr in learners if lr.opened]
            )
        )
        print(
            "  "
            + percentiles("page live (widgets answer)", [lr.live for lr in learners if lr.live])
        )
        print("  " + percentiles("answer to saved", [s for lr in learners for s in lr.latencies]))
        if count:
            print(
                f"  kernels: {count} (learners and preheated), {mebibytes:.0f} MiB resident,"
                f" {mebibytes / count:.0f} MiB per kernel, i.e. per learner"
            )
        right = args.learners - len(failed) - len(wrong)
        print(f"  answers stored exactly once: {right} of {args.learners} learners")
        for learner in failed:
            print(f"  failed: {learner.name}: {learner.error}")
        for name, problem in wrong.items():
            print(f"  wrong store: {name}: {problem}")
    return 1 if failed or wrong else 0


if __name__ == "__main__":
    sys.exit(main())

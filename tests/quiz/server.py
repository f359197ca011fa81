"""A running ``grader quiz serve`` on a copy of the built course, for the quiz page tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.course.paths import QUESTIONS_SUFFIX, RELEASE_DIR
from grader.quiz.links import quiz_url
from grader.quiz.page import READY_LINE
from grader.quiz.site import QuizServer, quiz_server
from grader.quiz.tokens import load_secret, make_token
from grader.quiz.warm_pool import ready_line

from ..conftest import ASSIGNMENT
from ..learner.test_widgets_browser import free_port, stop

START_SECONDS = 90
WARM_POOLS = ("grading workers", "paint workers")  # the server's, warm before a test begins


@dataclass
class RunningQuiz:
    """The server, its address and log, and the questions of the exam it serves.

    ``learner`` and ``answers_file`` name the learner a test answers as, so the helpers
    of ``test_widgets_browser`` work on it unchanged.
    """

    server: QuizServer
    url: str
    log: Path
    questions: dict[str, dict[str, Any]]
    learner: str = "ada"
    process_id: int = 0  # of ``grader quiz serve``

    @property
    def answers_file(self) -> Path:
        return self.server.answers_file(ASSIGNMENT, self.learner)

    def first(self, kind: str) -> dict[str, Any]:
        return next(q for q in self.questions.values() if q["kind"] == kind)

    def ready_kernels(self) -> int:
        """How many preheated kernels have said, in all, that they wait for a visitor."""
        return self.log.read_text(errors="replace").count(READY_LINE)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def link(self, learner: str, assignment: str = ASSIGNMENT, valid_seconds: float = 3600) -> str:
        """The personal link of ``learner``, made as ``grader quiz links`` makes it."""
        secret = load_secret(self.server.secret_file)
        token = make_token(secret, learner, assignment, int(time.time() + valid_seconds))
        return quiz_url(self.url, assignment, token)


@contextmanager
def running_quiz(
    built_course: Path, root: Path, pool_size: int = 1, max_pages: int | None = None
) -> Iterator[RunningQuiz]:
    """``grader quiz serve`` on a copy of ``built_course`` in ``root``; stopped afterwards.

    A second server in the same ``root`` serves the same copy (a restart).
    """
    course = root / "course"
    if not course.exists():
        shutil.copytree(built_course, course)
    secret = root / "secret" / "quiz-secret"
    env = dict(os.environ)
    env.update(JUPYTER_PLATFORM_DIRS="1", GRADER_QUIZ_SECRET_FILE=str(secret))
    env = {k: v for k, v in env.items() if not k.startswith("JUPYTERHUB_")}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(root / "home" / name.lower())
    port = free_port()
    log = root / f"serve-{port}.log"
    command = [
        *(sys.executable, "-m", "grader.cli.main", "--course", str(course), "quiz", "serve"),
        *("--port", str(port), "--pool-size", str(pool_size)),
        *(("--max-pages", str(max_pages)) if max_pages else ()),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    folder = course / RELEASE_DIR / ASSIGNMENT
    questions = json.loads((folder / f"{ASSIGNMENT}{QUESTIONS_SUFFIX}").read_text())["questions"]
    running = RunningQuiz(
        server=quiz_server(course, secret_file=secret),
        url=f"http://127.0.0.1:{port}/",
        log=log,
        questions={q["id"]: q for q in questions},
        process_id=process.pid,
    )
    try:
        wait_until_ready(process, running, port, pool_size)
        yield running
    finally:
        stop(process)


def wait_until_ready(
    process: subprocess.Popen[bytes], running: RunningQuiz, port: int, pool_size: int
) -> None:
    """Wait until Voila listens, its worker pools are warm and, with preheating, every pool
    kernel waits for a visitor."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"grader quiz serve exited with {process.returncode}:\n{running.log_tail()}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            log = running.log.read_text(errors="replace")
            warm = all(ready_line(name) in log for name in WARM_POOLS)
            if running.ready_kernels() >= pool_size and warm:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"the quiz server was not ready in {START_SECONDS} s:\n{running.log_tail()}"
            )
        time.sleep(0.2)

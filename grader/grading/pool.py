"""Run one nbgrader task per learner in worker processes, N at a time.

Each worker process holds one :class:`nbgrader.apps.NbGraderAPI` for the course (its
console silenced) and runs a task function on it for one learner after another; every
task's outcome comes back with its reason, and a failure never stops the others.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from nbgrader.apps import NbGraderAPI

from grader.course.nbgrader_course import course_api
from grader.grading.worker import prepare_worker

SKIPPED_MARK = "Skipping existing assignment"
RETRIES_WHEN_LOCKED = 3


@dataclass(frozen=True)
class Outcome:
    """What happened to one learner's submission."""

    learner: str
    status: str  # "graded" (or "written" for feedback), "unchanged" or "failed"
    seconds: float
    reason: str = ""


_api: NbGraderAPI | None = None


def worker_api() -> NbGraderAPI:
    """The course's nbgrader API in this worker process."""
    assert _api is not None, "worker not started"
    return _api


def open_course(course_root: str, grading: bool) -> None:
    """Make this process a worker of the course at ``course_root`` (again only when it
    served another course before); ``grading`` prepares it for autograding."""
    global _api
    if _api is not None and _api.coursedir.root == course_root:
        return
    os.chdir(course_root)
    _api = course_api(course_root)
    if grading:
        prepare_worker(_api.config)


def start_worker(course_root: str, grading: bool) -> None:
    """Open the course in a pool's worker. Its console output (nbgrader's warnings) is
    silenced: each submission's log and error come back in its Outcome."""
    warnings.simplefilter("ignore")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    open_course(course_root, grading)


def run_task(
    task: Callable[[str, str, bool], dict], assignment: str, learner: str, force: bool
) -> Outcome:
    """Run one nbgrader task for one learner; never raises, retries a locked SQLite."""
    status = "written" if task.__name__ == "generate_feedback_task" else "graded"
    started = time.perf_counter()
    for attempt in range(RETRIES_WHEN_LOCKED + 1):
        try:
            result = task(assignment, learner, force)
        except Exception as error:  # nbgrader raised instead of reporting: keep going
            result = {"success": False, "error": f"{type(error).__name__}: {error}"}
        locked = "database is locked" in str(result.get("error", ""))
        if result["success"] or not locked or attempt == RETRIES_WHEN_LOCKED:
            break
        time.sleep(0.5 * (attempt + 1))
    seconds = time.perf_counter() - started
    if not result["success"]:
        return Outcome(learner, "failed", seconds, last_line(result.get("error", "")))
    if SKIPPED_MARK in result.get("log", ""):
        status = "unchanged"
    return Outcome(learner, status, seconds, "; ".join(result.get("notes", [])))


# nbgrader ends its error text with lines (and an exception) that only point back at the
# traceback; its converter writes "the the".
POINTERS = (
    "please see the above traceback",
    "please see the the above traceback",
    "see the error above",
    "traceback (most recent",
)


def _points_back(line: str) -> bool:
    message = line.split(": ", 1)[1] if EXCEPTION_LINE.match(line) and ": " in line else line
    return message.lower().startswith(POINTERS)


def last_line(error: str) -> str:
    """The reason in nbgrader's error text: its last exception line, else its last line
    that says more than "see above"."""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    meaningful = [line for line in lines if not _points_back(line)]
    exceptions = [
        line for line in meaningful if EXCEPTION_LINE.match(line) and not line.startswith("[")
    ]
    if exceptions:
        return exceptions[-1]
    return meaningful[-1] if meaningful else "unknown error"


EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Refused|Exit)\b(:.*)?$")


def for_each_learner(
    course_root: Path | str,
    task: Callable[[str, str, bool], dict],
    assignment: str,
    learners: list[str],
    *,
    workers: int | None = None,
    force: bool = False,
    grading: bool = False,
    on_progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Run an nbgrader ``task(assignment, learner, force)`` for each learner, N at a time.

    ``task`` is a module-level function calling the worker's NbGraderAPI; ``grading``
    prepares workers for autograding (:mod:`grader.grading.worker`). Returns one
    :class:`Outcome` per learner, sorted; a failure never stops the others.
    """
    if not learners:
        return []
    root = str(Path(course_root).resolve())
    workers = max(1, min(workers or os.cpu_count() or 1, len(learners)))
    outcomes = []
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=start_worker,
        initargs=(root, grading),
    ) as pool:
        futures = {
            pool.submit(run_task, task, assignment, learner, force): learner for learner in learners
        }
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as error:  # a worker died: report, keep the others
                outcome = Outcome(futures[future], "failed", 0.0, f"worker stopped: {error}")
            outcomes.append(outcome)
            if on_progress is not None:
                on_progress(outcome, len(outcomes), len(learners))
    return sorted(outcomes, key=lambda outcome: outcome.learner)

"""Autograde a cohort in parallel with nbgrader's own autograder, into its own gradebook,
and generate the cohort's feedback the same way.

nbgrader grades one submission after another. Here each worker process holds one
:class:`nbgrader.apps.NbGraderAPI` for the course and grades whole submissions with it,
so every grade is written by nbgrader itself, exactly as ``nbgrader autograde`` would
write it. A submission that fails is reported with its reason and never stops the others.
Without ``force``, a submission already graded and not changed since is left alone.
"""

from __future__ import annotations

import glob
import os
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


def submitted_learners(course_root: Path | str, assignment: str) -> list[str]:
    """The learners with a submission of ``assignment``, sorted."""
    return _learners_in(course_root, "submitted_directory", assignment)


def autograded_learners(course_root: Path | str, assignment: str) -> list[str]:
    """The learners whose submission of ``assignment`` has been autograded, sorted."""
    return _learners_in(course_root, "autograded_directory", assignment)


def _learners_in(course_root: Path | str, directory: str, assignment: str) -> list[str]:
    coursedir = course_api(course_root).coursedir
    pattern = coursedir.format_path(getattr(coursedir, directory), "*", assignment)
    return sorted(Path(path).parent.name for path in glob.glob(pattern) if Path(path).is_dir())


_api: NbGraderAPI | None = None


def _start_worker(course_root: str, grading: bool, warm_kernels: bool) -> None:
    """Open the course in a worker. Its console output (nbgrader's and the kernels'
    warnings) is silenced: each submission's log and error come back in its Outcome."""
    global _api
    warnings.simplefilter("ignore")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.chdir(course_root)
    _api = course_api(course_root)
    if grading:
        prepare_worker(_api.config, warm_kernels=warm_kernels)


def _autograde(assignment: str, learner: str, force: bool) -> dict:
    assert _api is not None, "worker not started"
    return _api.autograde(assignment, learner, force=force, create=True)


def _generate_feedback(assignment: str, learner: str, force: bool) -> dict:
    assert _api is not None, "worker not started"
    return _api.generate_feedback(assignment, learner, force=force)


def _run(task: Callable[[str, str, bool], dict], assignment: str, learner: str, force: bool):
    """Run one nbgrader task for one learner; never raises, retries a locked SQLite."""
    status = "written" if task is _generate_feedback else "graded"
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
    return Outcome(learner, status, seconds)


def last_line(error: str) -> str:
    """The last non-empty line of nbgrader's error text (its actual reason)."""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "unknown error"


def check_assignment(course_root: Path | str, assignment: str) -> None:
    """Raise KeyError naming the known assignments when ``assignment`` is not one."""
    known = {a["name"] for a in course_api(course_root).get_assignments()}
    if assignment not in known:
        names = ", ".join(sorted(known)) or "none yet: run `grader build`"
        raise KeyError(f"no assignment {assignment!r} in this course (known: {names})")


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
        initializer=_start_worker,
        # a spare kernel only pays off for a worker with more than one submission
        initargs=(root, grading, len(learners) > workers),
    ) as pool:
        futures = {
            pool.submit(_run, task, assignment, learner, force): learner for learner in learners
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


def autograde_cohort(
    course_root: Path | str,
    assignment: str,
    *,
    workers: int | None = None,
    force: bool = False,
    learners: list[str] | None = None,
    on_progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Grade every submitted learner of ``assignment`` (or ``learners``) with N workers.

    ``workers`` defaults to the number of cores. ``on_progress(outcome, done, total)`` is
    called as each submission finishes. Returns one :class:`Outcome` per learner, sorted.
    """
    check_assignment(course_root, assignment)
    todo = learners if learners is not None else submitted_learners(course_root, assignment)
    return for_each_learner(
        course_root,
        _autograde,
        assignment,
        todo,
        workers=workers,
        force=force,
        grading=True,
        on_progress=on_progress,
    )


def generate_feedback_cohort(
    course_root: Path | str,
    assignment: str,
    *,
    workers: int | None = None,
    learners: list[str] | None = None,
    on_progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """nbgrader's feedback (HTML, with each item's explanation) for every graded learner.

    Always written anew: manual grades given in formgrader change the feedback without
    changing any file nbgrader could compare dates with.
    """
    check_assignment(course_root, assignment)
    todo = learners if learners is not None else autograded_learners(course_root, assignment)
    return for_each_learner(
        course_root,
        _generate_feedback,
        assignment,
        todo,
        workers=workers,
        force=True,
        on_progress=on_progress,
    )

"""Grading on Dask distributed workers, for when one machine's cores are not enough.

A trainer's run (``grader cohort autograde NAME --scheduler tcp://host:8786``) holds the
grading locks as always and hands the scheduler one task per submission. Each worker
(``grader worker tcp://host:8786``, on any machine that sees the course folder at the same
path and reaches the gradebook, which is then on PostgreSQL) grades it with nbgrader
exactly as a local worker does (:mod:`grader.grading.pool`).

A worker that dies midway takes its task with it; the scheduler gives the task to another
worker. The submission was recorded as being graded, so that worker grades it again in
full (:func:`grader.grading.run_state.mark_being_graded`), and nbgrader keeps one grade
per cell: every submission ends up graded once. A task whose workers keep dying (three,
Dask's ``allowed-failures``) is reported as failed with the reason, never silently lost.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from grader.errors import GraderError
from grader.grading.pool import Outcome, open_course, run_task

CONNECT_SECONDS = 10

# A worker process grades one submission at a time: grading changes its working folder.
_ONE_AT_A_TIME = threading.Lock()


class SchedulerUnreachable(GraderError):
    """No Dask scheduler answers at the given address."""


def grade_on_worker(
    task: Callable[[str, str, bool], dict],
    course_root: str,
    assignment: str,
    learner: str,
    force: bool,
) -> Outcome:
    """Run one nbgrader task for one learner in this Dask worker."""
    with _ONE_AT_A_TIME:
        open_course(course_root, grading=task.__name__ == "autograde_task")
        return run_task(task, assignment, learner, force)


def for_each_learner_on_cluster(
    scheduler: str,
    course_root: Path | str,
    task: Callable[[str, str, bool], dict],
    assignment: str,
    learners: list[str],
    force: bool,
    on_progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """:func:`grader.grading.pool.for_each_learner`, on the workers of ``scheduler``."""
    if not learners:
        return []
    from distributed import Client, as_completed

    root = str(Path(course_root).resolve())
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise SchedulerUnreachable(
            f"no Dask scheduler answers at {scheduler} ({error}); start one with "
            "`dask scheduler` and workers with `grader worker ADDRESS`"
        ) from error
    run = uuid.uuid4().hex[:8]
    outcomes = []
    with client:
        futures = {
            client.submit(
                grade_on_worker,
                task,
                root,
                assignment,
                learner,
                force,
                key=f"{task.__name__}-{assignment}-{learner}-{run}",
                pure=False,
            ): learner
            for learner in learners
        }
        for future in as_completed(futures, loop=client.loop):
            try:
                outcome = future.result()
            except Exception as error:  # its workers died, or the task could not run
                reason = f"worker stopped: {type(error).__name__}: {error}"
                outcome = Outcome(futures[future], "failed", 0.0, reason)
            outcomes.append(outcome)
            if on_progress is not None:
                on_progress(outcome, len(outcomes), len(learners))
    return sorted(outcomes, key=lambda outcome: outcome.learner)


def worker_command(scheduler: str, processes: int, name: str | None = None) -> list[str]:
    """The ``dask worker`` command for grading: one thread per process, so each grades
    one submission at a time, with nbgrader and the course in its own memory."""
    dask = shutil.which("dask", path=os.path.dirname(sys.executable)) or "dask"
    command = [dask, "worker", scheduler, "--nworkers", str(processes), "--nthreads", "1"]
    command += ["--no-dashboard"]
    if name:
        command += ["--name", name]
    return command

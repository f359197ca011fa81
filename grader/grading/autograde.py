"""Autograde a cohort in parallel with nbgrader's own autograder, into its own gradebook,
and generate the cohort's feedback the same way.

nbgrader grades one submission after another. Here each worker process holds one
:class:`nbgrader.apps.NbGraderAPI` for the course and grades whole submissions with it,
so every grade is written by nbgrader itself, exactly as ``nbgrader autograde`` would
write it. A submission that fails is reported with its reason and never stops the others.

A run holds the grading lock of its submissions, and each submission is recorded as
being graded until nbgrader has finished it (:mod:`grader.grading.run_state`): a run
killed midway is finished by the next one. Without ``force``, a submission whose files
are the ones graded last time is left alone; any other is graded again.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from nbgrader.apps import NbGraderAPI

from grader.course.nbgrader_course import course_api
from grader.grading.cluster import for_each_learner_on_cluster
from grader.grading.pool import Outcome, for_each_learner, run_task, worker_api
from grader.grading.run_state import (
    AssignmentLocked,
    graded_as,
    graded_digests,
    graded_record,
    grading_lock,
    mark_being_graded,
    mark_graded,
    submission_digest,
    tests_digest,
)
from grader.grading.submission_files import (
    SubmissionRefused,
    refuse_special_files,
    replace_unreadable_notebook,
)

# The reason given for a submission graded again because the assignment's tests changed.
TESTS_CHANGED = "graded again: the tests changed since it was graded (a fixed key, for instance)"


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


def autograde_task(assignment: str, learner: str, force: bool) -> dict:
    """Check the submission, mark it as being graded, grade it, mark it graded."""
    api = worker_api()
    coursedir = api.coursedir
    folder = Path(coursedir.format_path(coursedir.submitted_directory, learner, assignment))
    try:
        refuse_special_files(folder)
    except SubmissionRefused as error:
        return {"success": False, "error": f"refused: {error}"}
    released = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    notes = [
        note
        for notebook in sorted(released.glob("*.ipynb"))
        if (note := replace_unreadable_notebook(folder, notebook.stem, notebook))
    ]
    digest = graded_record(submission_digest(folder), _tests(coursedir, assignment))
    # Recorded before (graded, or stopped midway): graded again in full. Never recorded
    # (graded before these records existed, or never): nbgrader's own rule decides.
    recorded = mark_being_graded(coursedir.db_url, assignment, learner)
    result = api.autograde(assignment, learner, force=force or recorded, create=True)
    if result["success"]:
        mark_graded(coursedir.db_url, assignment, learner, digest)
    return {**result, "notes": notes}


def autograde_one_here(assignment: str, learner: str, wait_seconds: float) -> Outcome:
    """Grade one learner's submission again, in full, in this worker process (one a pool
    has prepared: :func:`grader.grading.pool.open_course`), holding its grading lock; a
    cohort run that holds it is waited for up to ``wait_seconds``. Never raises."""
    api = worker_api()
    try:
        with grading_lock(api.coursedir.db_url, assignment, [learner], wait_seconds=wait_seconds):
            return run_task(autograde_task, assignment, learner, True)
    except AssignmentLocked as error:
        return Outcome(learner, "failed", 0.0, str(error))


def generate_feedback_task(assignment: str, learner: str, force: bool) -> dict:
    return worker_api().generate_feedback(assignment, learner, force=force)


def check_assignment(course_root: Path | str, assignment: str) -> None:
    """Raise KeyError naming the known assignments when ``assignment`` is not one."""
    known = {a["name"] for a in course_api(course_root).get_assignments()}
    if assignment not in known:
        names = ", ".join(sorted(known)) or "none yet: run `grader build`"
        raise KeyError(f"no assignment {assignment!r} in this course (known: {names})")


def autograde_cohort(
    course_root: Path | str,
    assignment: str,
    *,
    workers: int | None = None,
    force: bool = False,
    learners: list[str] | None = None,
    take_over: bool = False,
    wait_seconds: float = 0.0,
    scheduler: str | None = None,
    on_progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Grade every submitted learner of ``assignment`` (or ``learners``) with N workers.

    ``workers`` defaults to the number of cores; with ``scheduler`` (a Dask scheduler's
    address) the submissions go to its workers instead (:mod:`grader.grading.cluster`).
    ``on_progress(outcome, done, total)`` is called as each submission finishes.
    Returns one :class:`Outcome` per learner, sorted.
    Raises :class:`grader.grading.run_state.AssignmentLocked` when another run is grading
    one of these submissions (after ``wait_seconds``); ``take_over`` breaks such locks.
    """
    check_assignment(course_root, assignment)
    api = course_api(course_root)
    todo = learners if learners is not None else submitted_learners(course_root, assignment)
    with grading_lock(
        api.coursedir.db_url, assignment, todo, take_over=take_over, wait_seconds=wait_seconds
    ):
        recorded = graded_digests(api.coursedir.db_url, assignment)
        states = {} if force else _graded_as(api, assignment, todo, recorded)
        done = {learner for learner, state in states.items() if state == "same"}
        outcomes = [Outcome(learner, "unchanged", 0.0) for learner in sorted(done)]
        for number, outcome in enumerate(outcomes, start=1):
            if on_progress is not None:
                on_progress(outcome, number, len(todo))
        rest = [learner for learner in todo if learner not in done]
        progress = None if on_progress is None else _shifted(on_progress, len(done))
        if scheduler:
            outcomes += for_each_learner_on_cluster(
                scheduler, course_root, autograde_task, assignment, rest, force, progress
            )
        else:
            outcomes += for_each_learner(
                course_root,
                autograde_task,
                assignment,
                rest,
                workers=workers,
                force=force,
                grading=True,
                on_progress=progress,
            )
    outcomes = [
        replace(outcome, reason=TESTS_CHANGED)
        if outcome.status == "graded" and states.get(outcome.learner) == "tests changed"
        else outcome
        for outcome in outcomes
    ]
    return sorted(outcomes, key=lambda outcome: outcome.learner)


def _shifted(on_progress: Callable[[Outcome, int, int], None], skipped: int):
    """Progress of the graded submissions, counted after those left alone."""
    return lambda outcome, done, total: on_progress(outcome, done + skipped, total + skipped)


def _tests(coursedir, assignment: str) -> str:
    return tests_digest(Path(coursedir.format_path(coursedir.source_directory, ".", assignment)))


def _graded_as(
    api: NbGraderAPI, assignment: str, learners: list[str], recorded: dict[str, str | None]
) -> dict[str, str]:
    """Per learner, how the submission compares with what was graded in full last time:
    ``same`` (files and tests), ``tests changed`` or ``changed``."""
    coursedir = api.coursedir
    tests = _tests(coursedir, assignment)
    states = {}
    for learner in learners:
        folder = Path(coursedir.format_path(coursedir.submitted_directory, learner, assignment))
        graded = Path(coursedir.format_path(coursedir.autograded_directory, learner, assignment))
        unsafe = folder.is_symlink() or not folder.is_dir()
        if unsafe or not graded.is_dir() or not recorded.get(learner):
            states[learner] = "changed"
        else:
            states[learner] = graded_as(recorded[learner], submission_digest(folder), tests)
    return states


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
        generate_feedback_task,
        assignment,
        todo,
        workers=workers,
        force=True,
        on_progress=on_progress,
    )

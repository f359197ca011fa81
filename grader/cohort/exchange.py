"""Release and collect through nbgrader's exchange, with a cohort's view of the result.

nbgrader's exchange is a shared folder (``Exchange.root``, on a JupyterHub usually
``/srv/nbgrader/exchange``): the trainer releases an assignment into it, learners fetch
and submit with nbgrader's assignment list, and the trainer collects the submissions into
``submitted/``. These functions run nbgrader's own release, collect and feedback release
and add what a trainer of hundreds wants next: who on the roster has not submitted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from grader.cohort.safe_collect import REFUSED
from grader.course.nbgrader_course import course_api
from grader.errors import GraderError
from grader.grading.autograde import check_assignment, submitted_learners
from grader.grading.pool import last_line


class ExchangeError(GraderError):
    """nbgrader's exchange refused an operation; the message carries nbgrader's reason."""


@dataclass(frozen=True)
class Collected:
    submitted: list[str]
    missing: list[str]  # on the roster, no submission yet
    refused: list[str] = field(default_factory=list)  # "<learner>: why", not collected


def _run(course_root: Path | str, operation: str, assignment: str) -> str:
    check_assignment(course_root, assignment)
    api = course_api(course_root)
    if not api.exchange_is_functional:
        raise ExchangeError(_why_not_functional(api))
    result = getattr(api, operation)(assignment)
    if not result["success"]:
        what = operation.replace("_", " ")
        reason = last_line(result.get("error", ""))
        raise ExchangeError(f"nbgrader could not {what} {assignment}: {reason}")
    return result.get("log", "")


def _why_not_functional(api) -> str:
    """What keeps nbgrader's exchange from working, in the words a trainer can act on."""
    if sys.platform == "win32":
        return "nbgrader's exchange works on Linux and macOS only, not on Windows"
    if not api.course_id:
        return "nbgrader's exchange needs CourseDirectory.course_id in nbgrader_config.py"
    root = api.exchange_root or "(not set)"
    return (
        f"nbgrader's exchange folder {root} is missing or not writable: create it (on a shared "
        f"machine writable by every learner) or set c.Exchange.root in nbgrader_config.py"
    )


def release_to_exchange(course_root: Path | str, assignment: str) -> None:
    """Put the released version of ``assignment`` in the exchange for learners to fetch."""
    _run(course_root, "release_assignment", assignment)


def collect_from_exchange(course_root: Path | str, assignment: str) -> Collected:
    """Collect the newest acceptable submission of every learner into ``submitted/``;
    forged and unsafe submissions are refused and listed (:mod:`grader.cohort.safe_collect`)."""
    log = _run(course_root, "collect", assignment)
    refused = [line.split(REFUSED, 1)[1].strip() for line in log.splitlines() if REFUSED in line]
    submitted = submitted_learners(course_root, assignment)
    with Gradebook(course_api(course_root).coursedir.db_url) as gradebook:
        roster = {student.id for student in gradebook.students}
    return Collected(submitted, sorted(roster - set(submitted)), refused)


def release_feedback_to_exchange(course_root: Path | str, assignment: str) -> None:
    """Put every learner's generated feedback in the exchange (``nbgrader fetch_feedback``)."""
    _run(course_root, "release_feedback", assignment)


def still_missing(collected: Iterable[Collected]) -> list[str]:
    """The roster learners missing from every one of ``collected`` (the language versions
    of one assessment): a learner who submitted in any language is not missing."""
    missing = [set(one.missing) for one in collected]
    return sorted(set.intersection(*missing)) if missing else []

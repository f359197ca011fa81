"""An assignment's due date, kept where nbgrader keeps it: the gradebook's assignment row.

nbgrader, the formgrader, the export and the report compare each submission's time with
it (a learner's extension included) and show how late it came in. Late work is graded and
counts in full: the course takes no points off (``LateSubmissionPlugin.penalty_method``
stays nbgrader's ``none``), so a trainer decides what lateness means. The gradebook keeps
due dates as naive UTC, so a time given without a time zone is refused, not guessed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nbgrader.api import Gradebook

from grader.course.nbgrader_course import course_db_url
from grader.errors import GraderError
from grader.grading.autograde import check_assignment


class DueDateError(GraderError, ValueError):
    """A due date that cannot be stored as given."""


def parse_due(text: str) -> dt.datetime:
    """An ISO 8601 time with a time zone (``2027-01-31T17:00+01:00``, ``…Z``), in UTC."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        example = "for example 2027-01-31T17:00+01:00"
        raise DueDateError(f"{text!r} is not a date and time ({example})") from None
    if when.tzinfo is None:
        raise DueDateError(
            f"{text!r} has no time zone: add one, for example {when.isoformat()}+01:00, "
            f"or {when.isoformat()}Z for UTC"
        )
    return when.astimezone(dt.UTC)


def set_due_date(course_root: Path | str, assignment: str, due: dt.datetime | None) -> None:
    """Store (or, with ``None``, clear) the due date of a built ``assignment``."""
    if due is not None and due.tzinfo is None:
        raise DueDateError("a due date needs a time zone")
    check_assignment(course_root, assignment)
    stored = None if due is None else due.astimezone(dt.UTC).replace(tzinfo=None)
    with Gradebook(course_db_url(course_root)) as gradebook:
        gradebook.update_or_create_assignment(assignment, duedate=stored)


def due_date(course_root: Path | str, assignment: str) -> dt.datetime | None:
    """The due date of ``assignment`` in UTC, or ``None`` when it has none."""
    check_assignment(course_root, assignment)
    with Gradebook(course_db_url(course_root)) as gradebook:
        stored = gradebook.update_or_create_assignment(assignment).duedate
    return None if stored is None else stored.replace(tzinfo=dt.UTC)

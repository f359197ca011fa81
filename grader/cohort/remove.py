"""Take a learner out of a course: their grades, their submissions and their feedback.

nbgrader has no command that does all of it: ``nbgrader db student remove`` clears the
gradebook but leaves ``submitted/``, ``autograded/`` and ``feedback/``, so autograde calls
the learner "unchanged" and the report counts them as not autograded yet. This removes the
learner's folder under each of the three, never following a link out of them, and then
the learner from the gradebook with every grade. Certificates stay in the register (the
command names a valid one, for the trainer to revoke if that is meant).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from grader.cohort.learner_ids import checked_learner_id
from grader.course.nbgrader_course import course_api, course_db_url
from grader.errors import GraderError

STEP_FOLDERS = ("submitted_directory", "autograded_directory", "feedback_directory")


class RemoveError(GraderError):
    """The learner cannot be removed as asked."""


@dataclass
class Removal:
    """What removing a learner deletes (or, before it is done, would delete)."""

    learner: str
    folders: list[Path] = field(default_factory=list)
    in_gradebook: bool = False
    submissions: int = 0


def plan_removal(course_root: Path | str, learner: str) -> Removal:
    """What :func:`remove_learner` would delete; deletes nothing."""
    learner = checked_learner_id(learner, "the learner to remove")
    api = course_api(course_root)
    root = Path(api.coursedir.root)
    removal = Removal(learner)
    for name in STEP_FOLDERS:
        folder = root / getattr(api.coursedir, name) / learner
        if folder.is_symlink() or folder.exists():
            removal.folders.append(folder)
    db_url = course_db_url(course_root)
    with Gradebook(db_url) as gradebook:
        try:
            removal.submissions = len(gradebook.find_student(learner).submissions)
            removal.in_gradebook = True
        except MissingEntry:
            pass
    if not removal.folders and not removal.in_gradebook:
        raise RemoveError(f"{learner!r} has no grades, submissions or feedback in this course")
    return removal


def remove_learner(course_root: Path | str, learner: str) -> Removal:
    """Delete ``learner``'s folders and gradebook entry; return what was removed."""
    removal = plan_removal(course_root, learner)
    for folder in removal.folders:
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()  # the link itself, never what it points at
        else:
            shutil.rmtree(folder)  # unlinks links inside; follows none
    if removal.in_gradebook:
        with Gradebook(course_db_url(course_root)) as gradebook:
            gradebook.remove_student(removal.learner)
    return removal

"""An assessment and its language versions: what a name on the command line stands for.

Each language of an assessment is an nbgrader assignment of its own
(``certification-exam-en``, ``certification-exam-nl``), graded on the same item ids. A
name is either an assessment (``certification-exam``: every language version that is
built) or one language version (``certification-exam-nl``); anything else is refused with
the names that are known. A learner who submitted more than one language version counts
once: their latest submission counts, and the others are kept on it as ``others``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from grader.cohort.gradebook import (
    AssignmentGrades,
    Attempt,
    Submission,
    assignment_names,
    read_assignment,
)
from grader.course.i18n import LANGUAGES, split_assignment
from grader.course.nbgrader_course import course_api
from grader.errors import GraderError


class UnknownAssessment(GraderError, KeyError):
    """A name that is neither a built assessment nor one of its language versions."""


class SeveralLanguages(GraderError, ValueError):
    """A command that works on one language version was given an assessment of several."""


def built_assignments(course_root: Path | str) -> set[str]:
    """The nbgrader assignments of a course: its source folders and its gradebook's."""
    api = course_api(course_root)
    return set(api.get_source_assignments()) | set(assignment_names(api.coursedir.db_url))


def language_of(assignment: str) -> str:
    """``certification-exam-nl`` → ``nl``; "" for an assignment not built per language."""
    with contextlib.suppress(KeyError):
        return split_assignment(assignment)[1]
    return ""


def language_versions(course_root: Path | str, name: str) -> list[str]:
    """The built assignments ``name`` stands for, in the course's language order.

    Raises :class:`UnknownAssessment` listing the built assessments and their languages.
    """
    return versions_among(built_assignments(course_root), name)


def versions_among(built: Iterable[str], name: str) -> list[str]:
    """:func:`language_versions` of the assignments ``built`` (no course folder needed)."""
    built = set(built)
    if name in built:
        return [name]
    versions = [a for a in built if _assessment_of(a) == name]
    if versions:
        return sorted(versions, key=lambda a: (LANGUAGES.index(language_of(a)), a))
    raise UnknownAssessment(
        f"unknown assessment {name!r}: {_known(built)}; give an assessment for all its "
        f"languages, or add -{'/-'.join(LANGUAGES)} for one"
    )


def _assessment_of(assignment: str) -> str | None:
    with contextlib.suppress(KeyError):
        return split_assignment(assignment)[0]
    return None


def _known(built: set[str]) -> str:
    if not built:
        return "nothing is built yet (run `grader build`)"
    languages: dict[str, list[str]] = {}
    for assignment in built:
        assessment = _assessment_of(assignment)
        if assessment is None:
            languages.setdefault(assignment, [])
        else:
            languages.setdefault(assessment, []).append(language_of(assignment))
    names = [
        f"{name} ({', '.join(sorted(found, key=LANGUAGES.index))})" if found else name
        for name, found in sorted(languages.items())
    ]
    return "built are " + ", ".join(names)


def read_versions(db_url: str, versions: list[str]) -> AssignmentGrades:
    """The grades of every language version, one submission per learner (:func:`combine`)."""
    return combine([read_assignment(db_url, version) for version in versions])


def combine(versions: list[AssignmentGrades]) -> AssignmentGrades:
    """One record of several language versions: every student once and each learner's
    latest submission (the later language on equal times), the others named on it."""
    students = {student.id: student for grades in versions for student in grades.students}
    by_learner: dict[str, list[tuple[int, Submission]]] = {}
    for order, grades in enumerate(versions):
        for submission in grades.submissions:
            by_learner.setdefault(submission.learner.id, []).append((order, submission))
    counted = []
    for learner in sorted(by_learner):
        ranked = sorted(by_learner[learner], key=lambda pair: (pair[1].timestamp, pair[0]))
        latest = ranked[-1][1]
        others = tuple(Attempt(s.assignment, s.timestamp) for _, s in ranked[:-1])
        counted.append(replace(latest, others=others))
    return AssignmentGrades(tuple(students[s] for s in sorted(students)), tuple(counted))


def one_version(course_root: Path | str, name: str, why: str) -> str:
    """The one language version ``name`` stands for; :class:`SeveralLanguages` (saying
    ``why`` one is needed) when it is an assessment built in more than one language."""
    versions = language_versions(course_root, name)
    if len(versions) > 1:
        raise SeveralLanguages(
            f"{name} is built in several languages, {why}: give one of {', '.join(versions)}"
        )
    return versions[0]

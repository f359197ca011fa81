"""nbgrader's gradebook, answering its per-cell lookups from one query per notebook and
committing once per step.

Two of autograde's steps ask the gradebook about every cell of the notebook, one query
each: ``OverwriteCells`` finds each cell's source cell and grade cell, ``SaveAutoGrades``
each cell's grade and comment of the submission, and commits after each cell. For an exam
of 32 items that is about 190 queries and 50 commits per submission, a third of a grading
worker's time. :class:`BulkGradebook` answers the same ``find_*`` calls with the same rows,
loaded for the whole notebook by the first call, and writes the step's changes in one
commit when the step closes it (none when the step fails: the submission stays marked as
being graded, and is graded again in full). It lives as long as the step that opened it,
so it never answers from an earlier submission; a name it did not load (a task cell, a
missing cell, a duplicate) is asked of nbgrader's own query, which finds it or raises
nbgrader's ``MissingEntry``. It serves those two steps only, as they use a gradebook (in a
``with`` block, adding no rows and never rolling back), and only with the nbgrader release
they were checked in; with another, workers keep nbgrader's own gradebook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import nbgrader
from nbgrader import api
from nbgrader.api import (
    Assignment,
    Comment,
    Grade,
    GradeCell,
    Notebook,
    SolutionCell,
    SourceCell,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.preprocessors import overwritecells, saveautogrades
from sqlalchemy.orm import scoped_session


class BulkGradebook(api.Gradebook):
    """A :class:`nbgrader.api.Gradebook` whose cell lookups are served in bulk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._session = self.db
        self.db = _CommitsAtClose(self._session)
        self._loaded: dict[tuple, dict[str, Any]] = {}

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        try:
            if exc_type is None:
                self._session.commit()
        finally:
            super().__exit__(exc_type, exc_value, traceback)

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> SourceCell:
        return self._find(
            name, ("source", notebook, assignment), super().find_source_cell, notebook, assignment
        )

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> Any:
        return self._find(
            name, ("graded", notebook, assignment), super().find_graded_cell, notebook, assignment
        )

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str) -> Grade:
        key = ("grade", notebook, assignment, student)
        return self._find(grade_cell, key, super().find_grade, notebook, assignment, student)

    def find_comment(
        self, solution_cell: str, notebook: str, assignment: str, student: str
    ) -> Comment:
        key = ("comment", notebook, assignment, student)
        return self._find(solution_cell, key, super().find_comment, notebook, assignment, student)

    def _find(self, name: str, key: tuple, one_by_one: Callable[..., Any], *where: str) -> Any:
        if key not in self._loaded:
            self._loaded[key] = _unique_names(self._rows(*key))
        found = self._loaded[key].get(name)
        return found if found is not None else one_by_one(name, *where)

    def _rows(self, kind: str, notebook: str, assignment: str, student: str = "") -> list:
        """The rows nbgrader's own query finds, for every name at once."""
        if kind in ("source", "graded"):
            model = SourceCell if kind == "source" else GradeCell
            query = self.db.query(model, model.name).join(
                Notebook, Notebook.id == model.notebook_id
            )
            query = query.join(Assignment, Assignment.id == Notebook.assignment_id)
            return query.filter(Notebook.name == notebook, Assignment.name == assignment).all()
        model, cell = (Grade, GradeCell) if kind == "grade" else (Comment, SolutionCell)
        query = (
            self.db.query(model, cell.name)
            .join(cell, cell.id == model.cell_id)
            .join(SubmittedNotebook, SubmittedNotebook.id == model.notebook_id)
            .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
            .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)
            .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
            .join(Student, Student.id == SubmittedAssignment.student_id)
        )
        return query.filter(
            Notebook.name == notebook, Assignment.name == assignment, Student.id == student
        ).all()


class _CommitsAtClose:
    """nbgrader's session, whose ``commit`` waits for :meth:`BulkGradebook.__exit__`."""

    def __init__(self, session: scoped_session) -> None:
        self._session = session

    def commit(self) -> None:
        """Nothing yet: the step's changes are committed together."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def _unique_names(rows: list) -> dict[str, Any]:
    """Row by name; a name found twice is left to nbgrader's query (which raises)."""
    by_name: dict[str, Any] = {}
    seen_twice = set()
    for row, name in rows:
        if name in by_name:
            seen_twice.add(name)
        by_name[name] = row
    return {name: row for name, row in by_name.items() if name not in seen_twice}


# The nbgrader whose two steps were checked to use their gradebook only as this class
# expects (lookups and commits; no rows added, no rollback, always closed by ``with``).
CHECKED_WITH = "0.9.6"


def look_up_in_bulk() -> None:
    """Make nbgrader's ``OverwriteCells`` and ``SaveAutoGrades`` open a
    :class:`BulkGradebook` in this process (with the nbgrader it was checked against;
    with another, they keep nbgrader's own gradebook)."""
    if nbgrader.__version__ == CHECKED_WITH:
        overwritecells.Gradebook = BulkGradebook
        saveautogrades.Gradebook = BulkGradebook

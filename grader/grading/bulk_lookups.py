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
missing cell) is asked of nbgrader's own query, which finds it or raises
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
from sqlalchemy.orm import Query, scoped_session


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
        where = (notebook, assignment)
        return self._find(name, super().find_source_cell, where, self._cells, SourceCell)

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> Any:
        where = (notebook, assignment)
        return self._find(name, super().find_graded_cell, where, self._cells, GradeCell)

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str) -> Grade:
        where = (notebook, assignment, student)
        return self._find(grade_cell, super().find_grade, where, self._learners, Grade, GradeCell)

    def find_comment(
        self, solution_cell: str, notebook: str, assignment: str, student: str
    ) -> Comment:
        where = (notebook, assignment, student)
        return self._find(
            solution_cell, super().find_comment, where, self._learners, Comment, SolutionCell
        )

    def _find(
        self,
        name: str,
        one_by_one: Callable[..., Any],
        where: tuple,
        rows: Callable[..., Query],
        *models: type,
    ) -> Any:
        """The row named ``name`` among ``rows(*models, *where)``, queried once per lookup
        and notebook, else the one nbgrader's own query finds."""
        key = (one_by_one.__name__, *where)
        if key not in self._loaded:
            # nbgrader's unique constraints allow one row per name in a notebook.
            self._loaded[key] = {name: row for row, name in rows(*models, *where)}
        found = self._loaded[key].get(name)
        return found if found is not None else one_by_one(name, *where)

    def _cells(self, model: type, notebook: str, assignment: str) -> Query:
        """A notebook's cells of one kind, with their names (nbgrader's query, every name)."""
        return (
            self.db.query(model, model.name)
            .join(Notebook, Notebook.id == model.notebook_id)
            .join(Assignment, Assignment.id == Notebook.assignment_id)
            .filter(Notebook.name == notebook, Assignment.name == assignment)
        )

    def _learners(
        self, model: type, cell: type, notebook: str, assignment: str, student: str
    ) -> Query:
        """A learner's grades or comments in a notebook, with their cells' names."""
        return (
            self.db.query(model, cell.name)
            .join(cell, cell.id == model.cell_id)
            .join(SubmittedNotebook, SubmittedNotebook.id == model.notebook_id)
            .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
            .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)
            .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
            .join(Student, Student.id == SubmittedAssignment.student_id)
            .filter(Notebook.name == notebook, Assignment.name == assignment, Student.id == student)
        )


class _CommitsAtClose:
    """nbgrader's session, whose ``commit`` waits for :meth:`BulkGradebook.__exit__`."""

    def __init__(self, session: scoped_session) -> None:
        self._session = session

    def commit(self) -> None:
        """Nothing yet: the step's changes are committed together."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


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

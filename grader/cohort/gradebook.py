"""Read scores back from nbgrader's gradebook (the one record of grades)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import (
    Assignment,
    BaseCell,
    Gradebook,
    GradeCell,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.api import Grade as GradeRow
from sqlalchemy import inspect, make_url, select, true

from grader.grading.engines import shared_engine
from grader.grading.run_state import graded_digests


def default_db_url(course_root: Path | str) -> str:
    """nbgrader's default gradebook of a course folder: SQLite at its root."""
    return f"sqlite:///{Path(course_root).resolve() / 'gradebook.db'}"


@dataclass(frozen=True)
class Grade:
    """One graded cell of a submission, as nbgrader scores it."""

    name: str
    score: float
    max_score: float
    needs_manual_grade: bool
    manual_score: float | None

    @property
    def pending(self) -> bool:
        """Waiting for the trainer: a written answer not graded yet, or a grade nbgrader
        flags for review (an earlier manual score after a resubmission). Saving a score in
        formgrader clears the flag."""
        return self.needs_manual_grade


@dataclass(frozen=True)
class Learner:
    """A student of the gradebook (the roster)."""

    id: str
    name: str
    email: str


@dataclass(frozen=True)
class Attempt:
    """A submission that does not count: the learner submitted another language later."""

    assignment: str
    timestamp: str


@dataclass(frozen=True)
class Submission:
    learner: Learner
    timestamp: str
    grades: tuple[Grade, ...]
    seconds_late: float = 0.0  # after the due date (and the learner's extension), if any
    assignment: str = ""  # the nbgrader assignment (language version) it was submitted to
    others: tuple[Attempt, ...] = ()  # earlier submissions of other language versions


@dataclass(frozen=True)
class AssignmentGrades:
    """What the gradebook holds on one assignment: every student and every submission."""

    students: tuple[Learner, ...]
    submissions: tuple[Submission, ...]


def read_assignment(db_url: str, assignment: str, learner: str | None = None) -> AssignmentGrades:
    """Students and graded submissions of ``assignment`` in three queries (not one per grade);
    with ``learner``, that learner's alone.

    Scores follow nbgrader's rule (manual score over automatic score, plus extra credit);
    a KeyError names the assignment when the gradebook lacks it. A submission that is
    being graded, or whose grading was interrupted, is left out until it is graded in
    full. Only reads: a read-only gradebook is fine.
    """
    unfinished = {name for name, digest in graded_digests(db_url, assignment).items() if not digest}
    engine = shared_engine(db_url)
    try:
        with engine.connect() as db:
            found = db.execute(
                select(Assignment.id, Assignment.duedate).where(Assignment.name == assignment)
            ).first()
            if found is None:
                raise KeyError(f"no assignment {assignment!r} in the gradebook")
            assignment_id, duedate = found
            students = {
                row.id: Learner(
                    row.id, " ".join(filter(None, [row.first_name, row.last_name])), row.email or ""
                )
                for row in db.execute(
                    select(Student.id, Student.first_name, Student.last_name, Student.email).where(
                        Student.id == learner if learner is not None else true()
                    )
                )
            }
            of_assignment = SubmittedAssignment.assignment_id == assignment_id
            if learner is not None:
                of_assignment = of_assignment & (SubmittedAssignment.student_id == learner)
            submitted = db.execute(
                select(
                    SubmittedAssignment.id,
                    SubmittedAssignment.student_id,
                    SubmittedAssignment.timestamp,
                    SubmittedAssignment.extension,
                ).where(of_assignment)
            ).all()
            submitted = [row for row in submitted if row.student_id not in unfinished]
            grades: dict[str, list[Grade]] = {row.id: [] for row in submitted}
            query = (
                select(
                    SubmittedNotebook.assignment_id,
                    BaseCell.name,
                    GradeCell.max_score,
                    GradeRow.auto_score,
                    GradeRow.manual_score,
                    GradeRow.extra_credit,
                    GradeRow.needs_manual_grade,
                )
                .select_from(GradeRow.__table__)
                .join(SubmittedNotebook.__table__, GradeRow.notebook_id == SubmittedNotebook.id)
                .join(
                    SubmittedAssignment.__table__,
                    SubmittedNotebook.assignment_id == SubmittedAssignment.id,
                )
                .join(BaseCell.__table__, GradeRow.cell_id == BaseCell.id)
                .join(GradeCell.__table__, GradeCell.id == BaseCell.id)
                .where(of_assignment)
            )
            for submission_id, *grade in db.execute(query):  # unpacked: no lookups by name
                found = grades.get(submission_id)
                if found is not None:
                    found.append(_grade(*grade))
    finally:
        engine.dispose()
    submissions = tuple(
        Submission(
            students.get(row.student_id, Learner(row.student_id, "", "")),
            str(row.timestamp or ""),
            tuple(grades[row.id]),
            _seconds_late(row.timestamp, duedate, row.extension),
            assignment,
        )
        for row in sorted(submitted, key=lambda row: row.student_id)
    )
    return AssignmentGrades(tuple(sorted(students.values(), key=lambda s: s.id)), submissions)


def assignment_names(db_url: str) -> list[str]:
    """The assignments the gradebook holds; none when there is no gradebook yet."""
    return _column(db_url, Assignment.__tablename__, Assignment.name)


def learner_ids(db_url: str) -> list[str]:
    """The ids on the gradebook's roster; none when there is no gradebook yet."""
    return _column(db_url, Student.__tablename__, Student.id)


def _column(db_url: str, table: str, column) -> list[str]:
    """Every value of ``column``, sorted (a missing SQLite file is not created: only reads)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return []
    engine = shared_engine(db_url)
    try:
        with engine.connect() as db:
            if not inspect(db).has_table(table):
                return []
            return sorted(db.scalars(select(column)))
    finally:
        engine.dispose()


def _seconds_late(timestamp, duedate, extension) -> float:
    """How late a submission came in, as nbgrader counts it (UTC, extension included)."""
    if timestamp is None or duedate is None:
        return 0.0
    due = duedate + extension if extension is not None else duedate
    return max(0.0, (timestamp - due).total_seconds())


def _grade(name, max_score, auto_score, manual_score, extra_credit, needs_manual_grade) -> Grade:
    base = manual_score if manual_score is not None else auto_score
    score = 0.0 if base is None else float(base) + float(extra_credit or 0.0)
    manual = None if manual_score is None else float(manual_score)
    return Grade(name, score, float(max_score or 0.0), bool(needs_manual_grade), manual)


def item_scores(db_url: str, assignment: str) -> dict[str, dict[str, float | None]]:
    """Score per learner and item (grade cell); ``None`` while manual grading is pending."""
    return {
        submission.learner.id: {
            grade.name: None if grade.pending else grade.score for grade in submission.grades
        }
        for submission in read_assignment(db_url, assignment).submissions
    }


def snapshot(db_url: str, assignment: str) -> dict[str, object]:
    """Everything autograding records for an assignment, for comparing two gradebooks."""
    with Gradebook(db_url) as gradebook:
        rows: dict[str, object] = {}
        for submission in gradebook.assignment_submissions(assignment):
            grades, comments = [], []
            for notebook in submission.notebooks:
                grades += [
                    (notebook.name, g.name, g.auto_score, g.manual_score, g.needs_manual_grade)
                    for g in notebook.grades
                ]
                comments += [
                    (notebook.name, c.name, c.auto_comment, c.manual_comment)
                    for c in notebook.comments
                ]
            rows[submission.student.id] = {
                "timestamp": str(submission.timestamp),
                "late_seconds": submission.total_seconds_late,
                "grades": sorted(grades, key=str),
                "comments": sorted(comments, key=str),
            }
    return rows

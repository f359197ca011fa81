"""Read scores back from nbgrader's gradebook (the one record of grades)."""

from __future__ import annotations

from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


def default_db_url(course_root: Path | str) -> str:
    """nbgrader's default gradebook of a course folder: SQLite at its root."""
    return f"sqlite:///{Path(course_root).resolve() / 'gradebook.db'}"


def submissions_of(gradebook: Gradebook, assignment: str) -> list:
    """The submissions of ``assignment``; KeyError naming it when the gradebook lacks it."""
    try:
        return gradebook.assignment_submissions(assignment)
    except MissingEntry:
        raise KeyError(f"no assignment {assignment!r} in the gradebook") from None


def item_scores(db_url: str, assignment: str) -> dict[str, dict[str, float | None]]:
    """Score per learner and item (grade cell); ``None`` while manual grading is pending."""
    scores: dict[str, dict[str, float | None]] = {}
    with Gradebook(db_url) as gradebook:
        for submission in submissions_of(gradebook, assignment):
            per_item: dict[str, float | None] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    pending = grade.needs_manual_grade and grade.manual_score is None
                    per_item[grade.name] = None if pending else float(grade.score)
            scores[submission.student.id] = per_item
    return scores


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

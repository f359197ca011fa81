"""Roster import: learners from a CSV file into nbgrader's gradebook.

The CSV has a header row with the columns ``id``, ``name``, ``email`` and ``team`` (or
``department``). Learners become nbgrader students (the name split into first and last
name); their team is kept in a small table of its own in the same database, since
nbgrader's students have no such field. A bad row (missing id, duplicate id, invalid
email) is reported with its line number and skipped; the valid rows are imported; a
learner who is already there is updated, never duplicated.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, Student
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    insert,
    inspect,
    select,
    update,
)

import grader.course.nbgrader_course  # noqa: F401  (puts alembic on PATH for new gradebooks)
from grader.cohort.learner_ids import learner_id_problem
from grader.errors import GraderError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_metadata = MetaData()
teams_table = Table(
    "grader_learner_team",
    _metadata,
    Column("learner_id", String(128), primary_key=True),
    Column("team", String(256), nullable=False),
)
students = Student.__table__
STUDENT_COLUMNS = [students.c.id, students.c.first_name, students.c.last_name, students.c.email]


class RosterError(GraderError, ValueError):
    """The roster file cannot be read at all (missing, not CSV, required column missing)."""


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    email: str
    team: str


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]
    problems: list[RowProblem]


def read_roster(path: Path | str) -> tuple[list[Learner], list[RowProblem]]:
    """The valid learners of a roster CSV, and a problem for each row that is not valid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"{path}: cannot be read ({error})") from None
    reader = csv.DictReader(text.splitlines())
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    missing = {"id", "name", "email"} - columns
    if missing:
        raise RosterError(f"{path}: the header lacks the column(s) {', '.join(sorted(missing))}")
    learners: list[Learner] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if None in raw:  # more fields than the header names
            problems.append(RowProblem(line, f"has more fields than the header ({len(columns)})"))
            continue
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        learner_id, email = row.get("id", ""), row.get("email", "")
        if not learner_id:
            problems.append(RowProblem(line, "the id is missing"))
        elif problem := learner_id_problem(learner_id):
            problems.append(RowProblem(line, f"the id {problem}"))
        elif learner_id in seen:
            message = f"the id {learner_id!r} is already used on line {seen[learner_id]}"
            problems.append(RowProblem(line, message))
        elif email and not EMAIL.match(email):
            problems.append(RowProblem(line, f"the email address {email!r} is not valid"))
        elif too_long := _too_long(row):
            problems.append(RowProblem(line, too_long))
        else:
            seen[learner_id] = line
            team = row.get("team") or row.get("department") or ""
            learners.append(Learner(learner_id, row.get("name", ""), email, team))
    return learners, problems


# What the gradebook's columns hold (nbgrader's Student: 128 characters; our teams: 256).
MAX_LENGTHS = {"name": 128, "email": 128, "team": 256, "department": 256}


def _too_long(row: dict[str, str]) -> str | None:
    """Why a field of ``row`` does not fit the gradebook, or None."""
    for field, most in MAX_LENGTHS.items():
        if len(row.get(field, "")) > most:
            return f"the {field} is longer than {most} characters"
    return None


def import_roster(db_url: str, path: Path | str) -> ImportResult:
    """Import the roster CSV at ``path`` into the gradebook at ``db_url``.

    One transaction, whatever the roster's size: the students already there are read in
    one query, then the new ones are inserted and the changed ones updated, each in one
    executemany, and the teams likewise. An error on the way leaves the gradebook as it was.
    """
    learners, problems = read_roster(path)
    created = [learner.id for learner in learners]
    with Gradebook(db_url) as gradebook:  # makes nbgrader's tables in a new gradebook
        session = gradebook.db
        try:
            db = session.connection()
            _metadata.create_all(db)
            known = {row[0]: row for row in db.execute(select(*STUDENT_COLUMNS))}
            rows = [_student_row(learner) for learner in learners]
            _store(db, STUDENT_COLUMNS, rows, known)
            teams = [(learner.id, learner.team) for learner in learners if learner.team]
            stored = {row[0]: row for row in db.execute(select(*teams_table.columns))}
            _store(db, list(teams_table.columns), teams, stored)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    updated = [learner_id for learner_id in created if learner_id in known]
    created = [learner_id for learner_id in created if learner_id not in known]
    return ImportResult(created, updated, problems)


def _student_row(learner: Learner) -> tuple[str, str | None, str | None, str | None]:
    """The learner's Student row, as nbgrader's ``update_or_create_student`` stores it."""
    first, _, last = learner.name.partition(" ")
    return (learner.id, first or None, last or None, learner.email or None)


def _store(db: Connection, columns: list[Column], rows: list[tuple], known: dict) -> None:
    """Insert the ``rows`` whose key (the first column) is not ``known`` and update those
    that differ from the known row, one executemany each; an unchanged row is left alone."""
    key, *others = columns
    new = [row for row in rows if row[0] not in known]
    changed = [row for row in rows if row[0] in known and tuple(known[row[0]]) != row]
    if new:
        names = [column.name for column in columns]
        db.execute(insert(key.table), [dict(zip(names, row, strict=True)) for row in new])
    if changed:  # the bound names differ from the columns', as an UPDATE's must
        names = [f"new_{column.name}" for column in columns]
        statement = (
            update(key.table)
            .where(key == bindparam(names[0]))
            .values(
                {column: bindparam(name) for column, name in zip(others, names[1:], strict=True)}
            )
        )
        db.execute(statement, [dict(zip(names, row, strict=True)) for row in changed])


def learner_teams(db_url: str) -> dict[str, str]:
    """Each learner's team, as imported from the roster."""
    engine = create_engine(db_url)
    try:
        if not inspect(engine).has_table(teams_table.name):  # reads only: no table, no teams
            return {}
        with engine.connect() as connection:
            rows = connection.execute(select(teams_table.c.learner_id, teams_table.c.team))
            return {learner_id: team for learner_id, team in rows}
    finally:
        engine.dispose()

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

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import Column, MetaData, String, Table, create_engine, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

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
        else:
            seen[learner_id] = line
            team = row.get("team") or row.get("department") or ""
            learners.append(Learner(learner_id, row.get("name", ""), email, team))
    return learners, problems


def import_roster(db_url: str, path: Path | str) -> ImportResult:
    """Import the roster CSV at ``path`` into the gradebook at ``db_url``."""
    learners, problems = read_roster(path)
    created, updated = [], []
    with Gradebook(db_url) as gradebook:
        for learner in learners:
            first, _, last = learner.name.partition(" ")
            try:
                gradebook.find_student(learner.id)
                updated.append(learner.id)
            except MissingEntry:
                created.append(learner.id)
            gradebook.update_or_create_student(
                learner.id,
                first_name=first or None,
                last_name=last or None,
                email=learner.email or None,
            )
    _store_teams(db_url, {learner.id: learner.team for learner in learners if learner.team})
    return ImportResult(created, updated, problems)


def _store_teams(db_url: str, teams: dict[str, str]) -> None:
    engine = create_engine(db_url)
    _metadata.create_all(engine)
    insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert
    with engine.begin() as connection:
        for learner_id, team in teams.items():
            statement = insert(teams_table).values(learner_id=learner_id, team=team)
            statement = statement.on_conflict_do_update(
                index_elements=["learner_id"], set_={"team": team}
            )
            connection.execute(statement)
    engine.dispose()


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

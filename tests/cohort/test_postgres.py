"""The trainer's commands on a gradebook in PostgreSQL (``CourseDirectory.db_url``).

Roster import, parallel autograde, the export and the cohort report, all against one server.

Needs a PostgreSQL server: ``.ci/run`` installs and starts one on 127.0.0.1. Locally the
test is skipped when no server answers; under CI=true a missing server is a failure.
Set GRADER_TEST_POSTGRES_URL to use another server (a user allowed to create databases).
"""

from __future__ import annotations

import csv
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from grader.build.assignments import build
from grader.cohort.export import cohort_rows
from grader.cohort.gradebook import default_db_url, snapshot
from grader.cohort.report.write import write_report
from grader.cohort.roster import import_roster, learner_teams
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url, run_nbgrader
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT, new_course

pytestmark = pytest.mark.nbgrader

SERVER = os.environ.get(
    "GRADER_TEST_POSTGRES_URL", "postgresql+psycopg://grader:grader@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the server, dropped afterwards."""
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        connection = admin.connect()
    except OperationalError as error:
        message = f"no PostgreSQL server at {make_url(SERVER).render_as_string()}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"grader_test_{uuid.uuid4().hex[:12]}"
    connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.close()
        admin.dispose()


def submit_cohort(course: Path, bank: Bank) -> None:
    items = bank.items_of(ASSESSMENT)
    right = all_right(items)
    wrong = all_wrong(items)
    submit(course, ASSIGNMENT, "ada", right)
    submit(course, ASSIGNMENT, "bo", wrong)
    submit(course, ASSIGNMENT, "cas", {**wrong, **dict(list(right.items())[:7])})
    submit(course, ASSIGNMENT, "dee", None)


def test_roster_parallel_autograde_export_and_report_on_postgres(
    postgres_url: str, tmp_path: Path, bank: Bank
) -> None:
    course = new_course(tmp_path / "postgres")
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"c.CourseDirectory.db_url = {postgres_url!r}\n")
    assert course_db_url(course) == postgres_url
    build(course, [ASSESSMENT])
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email,team\nada,Ada L,ada@example.com,IT\nbo,Bo K,bo@example.com,HR\n"
        "cas,Cas M,cas@example.com,IT\ndee,Dee N,,Sales\n,Nobody,x@example.com,IT\n"
    )
    result = import_roster(postgres_url, roster)
    assert result.created == ["ada", "bo", "cas", "dee"] and len(result.problems) == 1
    assert import_roster(postgres_url, roster).updated == ["ada", "bo", "cas", "dee"]
    assert learner_teams(postgres_url)["bo"] == "HR"
    submit_cohort(course, bank)

    reference = new_course(tmp_path / "sqlite")  # the same cohort, serially, on SQLite
    build(reference, [ASSESSMENT])
    shutil.copytree(course / "submitted", reference / "submitted")
    run_nbgrader(reference, "autograde", ASSIGNMENT)

    outcomes = autograde_cohort(course, ASSIGNMENT, workers=2)
    assert [o.status for o in outcomes] == ["graded"] * 4, [(o.learner, o.reason) for o in outcomes]
    assert snapshot(postgres_url, ASSIGNMENT) == snapshot(default_db_url(reference), ASSIGNMENT)

    rows = {row.learner: row for row in cohort_rows(course, ASSIGNMENT)}
    auto = sum(i.points for i in bank.items_of(ASSESSMENT) if i.kind != "free-text")
    assert rows["ada"].score == auto and rows["ada"].team == "IT"
    assert rows["dee"].score == 0.0

    report = write_report(course, ASSIGNMENT, tmp_path / "report")
    with (tmp_path / "report" / "learners.csv").open(newline="", encoding="utf-8") as stream:
        learners = {row["learner_id"]: row for row in csv.DictReader(stream)}
    assert learners.keys() == rows.keys()
    for learner, row in rows.items():
        assert float(learners[learner]["score"]) == row.score
        assert int(learners[learner]["pending_manual"]) == row.pending
        assert learners[learner]["team"] == row.team
    page = report.files[0].read_text(encoding="utf-8")
    assert "4 of 4 learners submitted" in page
    assert "Item analysis needs at least 5 graded learners; this cohort has 4." in page


def test_the_grading_lock_holds_on_postgresql(postgres_url: str) -> None:
    """Two autograde runs of one assignment at once: the second is told who holds it."""
    from grader.grading.run_state import (
        AssignmentLocked,
        graded_digests,
        grading_lock,
        mark_being_graded,
        mark_graded,
    )

    with grading_lock(postgres_url, ASSIGNMENT, ["ada", "bo"]):
        busy = pytest.raises(AssignmentLocked, match="another autograde run is grading")
        with busy, grading_lock(postgres_url, ASSIGNMENT, ["bo", "cas"]):
            pass  # pragma: no cover
        with grading_lock(postgres_url, ASSIGNMENT, ["cas"]):  # other learners: no conflict
            mark_being_graded(postgres_url, ASSIGNMENT, "cas")
    with grading_lock(postgres_url, ASSIGNMENT, ["bo"]):  # released when the run ends
        mark_graded(postgres_url, ASSIGNMENT, "bo", "f" * 64)
    assert graded_digests(postgres_url, ASSIGNMENT) == {"bo": "f" * 64, "cas": None}


def test_workers_creating_the_grading_tables_at_once_all_go_on(postgres_url: str) -> None:
    """Two grading workers on a new gradebook create our tables at the same moment;
    PostgreSQL reports the loser's CREATE TABLE as a duplicate key in its catalogue, which
    used to fail that learner's submission."""
    from sqlalchemy import Column, MetaData, String, Table

    from grader.grading.run_state import create_tables

    failures: list[str] = []
    for round_number in range(5):
        metadata = MetaData()
        Table(f"grader_race_{round_number}", metadata, Column("id", String(8), primary_key=True))
        start = threading.Barrier(4)

        def create(metadata: MetaData = metadata, start: threading.Barrier = start) -> None:
            engine = create_engine(postgres_url)
            start.wait()
            try:
                create_tables(engine, metadata)
            except Exception as error:
                failures.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
            finally:
                engine.dispose()

        workers = [threading.Thread(target=create) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert failures == []

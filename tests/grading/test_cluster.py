"""Grading on Dask workers: two workers on 127.0.0.1, one killed while it grades.

A real ``dask scheduler``, two ``grader worker`` commands and the gradebook on PostgreSQL
(skipped locally without a server, a failure under CI=true). Every submission must end up
graded once, with exactly the grades plain serial ``nbgrader autograde`` gives.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import psutil
import pytest
from distributed import Client
from sqlalchemy import create_engine, text

from grader.build.assignments import build
from grader.cohort.gradebook import default_db_url, snapshot
from grader.course.items import Bank
from grader.course.nbgrader_course import run_nbgrader
from grader.grading.autograde import autograde_cohort
from grader.grading.cluster import SchedulerUnreachable
from grader.learner.simulate import all_right, all_wrong, submit

from ..cohort.test_postgres import postgres_url  # noqa: F401  (a fresh database on the server)
from ..conftest import ASSESSMENT, ASSIGNMENT, new_course

pytestmark = pytest.mark.nbgrader

LEARNERS = [f"learner{number:02d}" for number in range(10)]
STARTUP_SECONDS = 90


def dask_command() -> str:
    return str(Path(sys.executable).with_name("dask"))


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[str]:
    """A Dask scheduler on 127.0.0.1; its address."""
    file = tmp_path / "scheduler.json"
    with (tmp_path / "scheduler.log").open("wb") as log:
        command = [dask_command(), "scheduler", "--host", "127.0.0.1", "--port", "0"]
        command += ["--no-dashboard", "--scheduler-file", str(file)]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not file.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if not file.exists():
            log = (tmp_path / "scheduler.log").read_text()
            pytest.fail(f"the Dask scheduler did not start: {log}")
        yield json.loads(file.read_text())["address"]
    finally:
        process.kill()
        process.wait()


def start_worker(address: str, name: str, log: Path) -> subprocess.Popen:
    """``grader worker ADDRESS`` with one process, as a trainer would start it."""
    command = [sys.executable, "-m", "grader.cli.main", "worker", address, "--processes", "1"]
    with log.open("wb") as output:
        return subprocess.Popen([*command, "--name", name], stdout=output, stderr=subprocess.STDOUT)


def kill_whole_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and the process that would restart it, as a machine failing."""
    for child in psutil.Process(process.pid).children(recursive=True):
        child.send_signal(signal.SIGKILL)
    process.send_signal(signal.SIGKILL)
    process.wait()


def cohort_course(folder: Path, bank: Bank) -> Path:
    course = new_course(folder)
    build(course, [ASSESSMENT])
    items = bank.items_of(ASSESSMENT)
    right, wrong = all_right(items), all_wrong(items)
    for number, learner in enumerate(LEARNERS):
        part = dict(list(right.items())[: 3 * number])
        submit(course, ASSIGNMENT, learner, {**wrong, **part})
    return course


def test_a_worker_killed_midway_loses_no_submission(
    postgres_url: str,  # noqa: F811
    scheduler: str,
    tmp_path: Path,
    bank: Bank,
) -> None:
    reference = cohort_course(tmp_path / "reference", bank)
    course = Path(shutil.copytree(reference, tmp_path / "cluster"))  # the same submissions
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"c.CourseDirectory.db_url = {postgres_url!r}\n")
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")  # into PostgreSQL
    run_nbgrader(reference, "autograde", ASSIGNMENT)
    doomed = start_worker(scheduler, "doomed", tmp_path / "doomed.log")
    survivor = start_worker(scheduler, "survivor", tmp_path / "survivor.log")
    try:
        with Client(scheduler, set_as_default=False) as watcher:
            watcher.wait_for_workers(2, timeout=STARTUP_SECONDS)
            result: dict = {}
            run = threading.Thread(
                target=lambda: result.update(
                    outcomes=autograde_cohort(course, ASSIGNMENT, scheduler=scheduler)
                )
            )
            run.start()
            in_flight = wait_until_grading(watcher, "doomed")
            kill_whole_worker(doomed)
            run.join(timeout=300)
    finally:
        for process in (doomed, survivor):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    outcomes = {outcome.learner: outcome for outcome in result["outcomes"]}
    assert in_flight in LEARNERS
    assert {learner: outcome.status for learner, outcome in outcomes.items()} == dict.fromkeys(
        LEARNERS, "graded"
    ), [outcome.reason for outcome in outcomes.values()]
    assert snapshot(postgres_url, ASSIGNMENT) == snapshot(default_db_url(reference), ASSIGNMENT)
    engine = create_engine(postgres_url)
    with engine.connect() as db:
        submissions = db.execute(text("SELECT count(*) FROM submitted_assignment")).scalar()
        duplicates = db.execute(
            text("SELECT count(*) FROM grade GROUP BY notebook_id, cell_id HAVING count(*) > 1")
        ).all()
    engine.dispose()
    assert submissions == len(LEARNERS) and duplicates == []


def executing(dask_worker) -> list[str]:
    """The keys of the tasks a worker is running at this moment (run on the worker)."""
    return [str(task.key) for task in dask_worker.state.executing]


# The workers cannot import this test module: send its functions themselves.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def wait_until_grading(watcher: Client, name: str) -> str:
    """The learner the worker called ``name`` is grading at this moment, once it has
    graded another before (so it is past its start-up, in the middle of nbgrader's work)."""
    first = None
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        workers = watcher.scheduler_info(n_workers=-1)["workers"]
        address = next((a for a, w in workers.items() if w.get("name") == name), None)
        keys = watcher.run(executing, workers=[address])[address] if address else []
        if keys and first is None:
            first = keys[0]
        elif keys and keys[0] != first:
            return keys[0].split(f"{ASSIGNMENT}-", 1)[1].rsplit("-", 1)[0]
        time.sleep(0.05)
    pytest.fail(f"worker {name} never went on to a second submission")


def test_an_unreachable_scheduler_is_named(tmp_path: Path, bank: Bank) -> None:
    course = cohort_course(tmp_path / "course", bank)
    with pytest.raises(SchedulerUnreachable, match=r"tcp://127\.0\.0\.1:9"):
        autograde_cohort(course, ASSIGNMENT, scheduler="tcp://127.0.0.1:9")
    assert not (course / "autograded").exists()

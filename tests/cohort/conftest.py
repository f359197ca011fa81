"""Fixtures of the cohort tests: a course with its own nbgrader exchange, as on a hub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli.main import main

EXERCISE = "exercise-01-confidential"
ASSIGNMENT = f"{EXERCISE}-en"
COURSE_ID = "social-media-guidelines"


def learner_nbgrader(home: Path, exchange: Path, *args: str) -> str:
    """Run ``nbgrader ARGS`` as the learner whose home folder is ``home``.

    On a hub each learner is a user of their own, with their own Jupyter data folder
    (where nbgrader remembers submissions); here they share one user, so the learner id
    is given explicitly, as nbgrader allows.
    """
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "JUPYTER_DATA_DIR": str(home / ".jupyter-data")}
    identity = [f"--Exchange.root={exchange}", f"--course={COURSE_ID}", f"--student={home.name}"]
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, *identity],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.fixture
def hub_course(built_course: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The built course with its own exchange folder and a roster of three learners."""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    with (built_course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email,team\n"
        "ada,Ada Jansen,ada@example.org,Sales\n"
        "bo,Bo de Vries,bo@example.org,Sales\n"
        "cas,Cas Peters,cas@example.org,Finance\n",
        encoding="utf-8",
    )
    assert main(["--course", str(built_course), "cohort", "roster", str(roster)]) == 0
    return built_course, exchange

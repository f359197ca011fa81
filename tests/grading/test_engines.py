"""A grading worker opens every gradebook on one database engine, and still sees a
gradebook file that was replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import text
from traitlets.config import Config

from grader.grading.engines import shared_engine
from grader.grading.worker import prepare_worker


def students(url: str) -> list[str]:
    with Gradebook(url) as gradebook:
        return sorted(student.id for student in gradebook.students)


def test_every_gradebook_a_worker_opens_shares_one_engine(
    tmp_path: Path, worker_in_this_process: None
) -> None:
    """nbgrader made an engine per gradebook, about ten per submission, each compiling
    every query again."""
    prepare_worker(Config())
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as first, Gradebook(url) as second:
        assert first.engine is second.engine
        first.add_student("ada")
    assert students(url) == ["ada"]  # usable again after nbgrader disposed of it
    assert shared_engine(url) is shared_engine(url)
    assert shared_engine(url) is not shared_engine(f"sqlite:///{tmp_path / 'other.db'}")


def test_a_gradebook_file_replaced_between_two_gradebooks_is_the_one_read(
    tmp_path: Path, worker_in_this_process: None
) -> None:
    """Connections kept open across gradebooks would still read (and write) the file that
    was moved away, such as a gradebook restored from a backup."""
    prepare_worker(Config())
    path, backup = tmp_path / "gradebook.db", tmp_path / "backup.db"
    url, backup_url = f"sqlite:///{path}", f"sqlite:///{backup}"
    with Gradebook(url) as gradebook:
        gradebook.add_student("ada")
    with Gradebook(backup_url) as gradebook:
        gradebook.add_student("bob")
    assert students(url) == ["ada"]
    os.replace(backup, path)
    assert students(url) == ["bob"]


def test_a_call_that_failed_leaves_no_connection_to_a_replaced_gradebook(tmp_path: Path) -> None:
    """A read that raised (an unknown assignment, say) used to leave its connection in the
    shared engine, so the next call read the file that had been moved away, and grading
    then failed to write to it."""
    path, backup = tmp_path / "gradebook.db", tmp_path / "backup.db"
    for file, learner in ((path, "ada"), (backup, "bob")):
        with Gradebook(f"sqlite:///{file}") as gradebook:
            gradebook.add_student(learner)
    engine = shared_engine(f"sqlite:///{path}")
    with pytest.raises(KeyError), engine.connect() as db:
        db.execute(text("SELECT id FROM student")).all()
        raise KeyError("no such assignment")
    os.replace(backup, path)
    with engine.connect() as db:
        assert db.execute(text("SELECT id FROM student")).scalars().all() == ["bob"]

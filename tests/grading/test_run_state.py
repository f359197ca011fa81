"""The autograde bookkeeping tables, made by processes that start at the same moment."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from grader.grading import run_state
from grader.grading.run_state import grading_lock

SCRIPT = (
    "import sys\n"
    "from grader.grading.run_state import grading_lock\n"
    "with grading_lock(sys.argv[1], 'exam', [sys.argv[2]]):\n"
    "    pass\n"
)


def test_two_runs_starting_together_both_make_or_find_the_tables(tmp_path: Path) -> None:
    """Two autograde runs started together both created the lock table; the second one
    crashed with "table already exists" instead of saying that the first holds the lock."""
    for attempt in range(8):
        url = f"sqlite:///{tmp_path / f'gradebook-{attempt}.db'}"
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", SCRIPT, url, f"learner{n}"],
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(4)
        ]
        failures = [p.communicate()[1] for p in runs if p.wait(timeout=60) != 0]
        assert failures == [], failures[0][-500:]


def test_a_gradebook_that_refuses_writes_is_an_error_not_an_endless_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every failed write was taken for "busy with another writer" and tried again for
    ever, so a grading worker hung on a read-only gradebook and its learner waited."""
    path = tmp_path / "gradebook.db"
    with grading_lock(f"sqlite:///{path}", "exam", ["ada"]):
        pass  # the tables exist
    monkeypatch.setattr(run_state, "BUSY_SECONDS", 0.5)
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    started = time.monotonic()
    with (
        pytest.raises(OperationalError, match="readonly"),
        grading_lock(read_only, "exam", ["ada"]),
    ):
        pass
    assert time.monotonic() - started < 10

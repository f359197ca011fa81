"""The autograde bookkeeping tables, made by processes that start at the same moment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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

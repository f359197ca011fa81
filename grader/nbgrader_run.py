"""Run the real ``nbgrader`` command of this Python environment in a course folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from grader.errors import GraderError
from grader.nbgrader_api import use_environment_tools


class NbgraderError(GraderError, RuntimeError):
    """An nbgrader command exited with an error; the message carries its log."""


def run_nbgrader(course_root: Path | str, *args: str) -> str:
    """Run ``nbgrader ARGS`` in ``course_root`` and return its log; raise on failure.

    The environment's ``bin`` folder goes first on PATH because nbgrader itself calls
    the ``alembic`` command installed beside it.
    """
    use_environment_tools()
    env = dict(os.environ)
    command = [sys.executable, "-m", "nbgrader", *args]
    done = subprocess.run(command, cwd=course_root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed:\n{done.stderr.strip()}")
    return done.stderr

"""nbgrader on a course folder: its API and gradebook address (from the folder's config file)
and the real ``nbgrader`` command of this Python environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from grader.errors import GraderError

CONFIG_FILE = "nbgrader_config.py"


def use_environment_tools() -> None:
    """Put this environment's ``bin`` first on PATH: a new gradebook runs ``alembic``."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])


use_environment_tools()


def course_api(course_root: Path | str) -> NbGraderAPI:
    """nbgrader's API for a course folder, configured by its ``nbgrader_config.py``."""
    root = str(Path(course_root).resolve())
    config = PyFileConfigLoader(CONFIG_FILE, path=root).load_config()
    coursedir = CourseDirectory(config=config, root=root)
    return NbGraderAPI(coursedir=coursedir, config=config)


def course_db_url(course_root: Path | str) -> str:
    """The gradebook of a course folder: SQLite by default, or ``CourseDirectory.db_url``."""
    return course_api(course_root).coursedir.db_url


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

"""nbgrader's own API and gradebook address for a course folder, from its config file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

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

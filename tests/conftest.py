"""Shared fixtures: temporary course folders that carry their own nbgrader config."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from grader.build.assignments import build
from grader.course.content import load_course
from grader.course.items import Bank
from grader.course.paths import CONTENT_DIR, SOURCE_DIR
from grader.course.settings import SETTINGS_FILE

REPO = Path(__file__).resolve().parent.parent
ASSESSMENT = "certification-exam"
ASSIGNMENT = "certification-exam-en"


def new_course(folder: Path) -> Path:
    """A course folder with the repository's config, settings and content, nothing generated."""
    for part in (SOURCE_DIR, CONTENT_DIR):
        (folder / part).mkdir(parents=True, exist_ok=True)
        for path in (REPO / part).glob("*.yaml"):
            shutil.copy(path, folder / part / path.name)
    for name in ("nbgrader_config.py", SETTINGS_FILE):
        shutil.copy(REPO / name, folder / name)
    return folder


@pytest.fixture(scope="session", autouse=True)
def _isolated_jupyter(tmp_path_factory: pytest.TempPathFactory):
    """Keep the user's Jupyter, IPython and nbgrader configuration out of every test."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            patch.setenv(name, str(home / name.lower()))
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
        yield


def restore_nbgrader_afterwards(patch: pytest.MonkeyPatch) -> None:
    """Put every attribute of nbgrader's loaded modules back when ``patch`` is undone."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "nbgrader" and module is not None:
            for attribute, value in list(vars(module).items()):
                patch.setattr(module, attribute, value)


@pytest.fixture
def worker_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that makes the test process a grading worker (which changes nbgrader's
    modules: :mod:`grader.grading.worker`): nbgrader is as it was after the test, so a later
    test never takes the worker's nbgrader for plain nbgrader."""
    restore_nbgrader_afterwards(monkeypatch)


@pytest.fixture(scope="session")
def built_course_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One course folder built and released once per test session (read-only)."""
    folder = new_course(tmp_path_factory.mktemp("template") / "course")
    build(folder)
    return folder


@pytest.fixture
def built_course(built_course_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built course folder, gradebook included."""
    folder = tmp_path / "course"
    shutil.copytree(built_course_template, folder)
    return folder


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The repository's item bank in English, placeholders filled from its settings."""
    return load_course(REPO, "en").bank

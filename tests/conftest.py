"""Shared fixtures: temporary course folders that carry their own nbgrader config."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.bank import Bank, load_bank
from grader.build import SOURCE_DIR, build

REPO = Path(__file__).resolve().parent.parent
ASSESSMENT = "sample-assessment"


def new_course(folder: Path) -> Path:
    """A course folder with the repository's config and item bank, nothing generated."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", folder / "nbgrader_config.py")
    (folder / SOURCE_DIR).mkdir()
    for path in (REPO / SOURCE_DIR).glob("*.yaml"):
        shutil.copy(path, folder / SOURCE_DIR / path.name)
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
    return load_bank(REPO / SOURCE_DIR)

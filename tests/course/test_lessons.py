"""Every lesson runs top to bottom in a fresh kernel, in every language (nbclient)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbclient
import nbformat
import pytest

from grader.course.i18n import LANGUAGES
from grader.course.paths import LESSONS_DIR

from ..conftest import REPO

pytestmark = pytest.mark.nbgrader

LESSONS = sorted((REPO / LESSONS_DIR / LANGUAGES[0]).glob("*.ipynb"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson", [path.stem for path in LESSONS])
def test_lesson_runs_without_error(tmp_path: Path, language: str, lesson: str) -> None:
    folder = tmp_path / language
    shutil.copytree(
        REPO / LESSONS_DIR / language, folder, ignore=shutil.ignore_patterns("*.answers.json")
    )
    notebook = nbformat.read(folder / f"{lesson}.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", (lesson, cell.source)
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text
    widgets = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    assert widgets, "the lesson shows no widget"


def test_every_lesson_exists_in_every_language() -> None:
    names = {
        language: sorted(p.name for p in (REPO / LESSONS_DIR / language).glob("*.ipynb"))
        for language in LANGUAGES
    }
    assert len(names[LANGUAGES[0]]) == 13
    assert all(found == names[LANGUAGES[0]] for found in names.values())

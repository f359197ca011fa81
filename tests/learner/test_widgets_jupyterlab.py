"""The answer controls in JupyterLab itself (not only in Voila): a learner who runs the
released exercise notebook gets option groups a screen reader names after their question."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.course.paths import QUESTIONS_SUFFIX, RELEASE_DIR

from ..servers import isolated_env, start_server
from .test_widgets_browser import browser, free_port, stop  # noqa: F401

pytestmark = pytest.mark.browser

EXERCISE = "exercise-01-confidential-en"
TOKEN = "lab-test-token"


@pytest.fixture(scope="module")
def lab(built_course_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab on 127.0.0.1 in a copy of the released exercise folder; its URL."""
    root = tmp_path_factory.mktemp("lab")
    folder = root / EXERCISE
    shutil.copytree(built_course_template / RELEASE_DIR / EXERCISE, folder)
    env = isolated_env(root)
    port = free_port()
    log = root / "lab.log"
    command = [
        *(sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root"),
        *("--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"),
        f"--IdentityProvider.token={TOKEN}",
        "--LabApp.expose_app_in_browser=True",  # to run all cells from the test
        f"--ServerApp.root_dir={folder}",
    ]
    process = start_server(command, folder, env, port, log, "JupyterLab")
    try:
        yield f"http://127.0.0.1:{port}/lab/tree/{EXERCISE}.ipynb?token={TOKEN}"
    finally:
        stop(process)


def test_option_groups_in_jupyterlab_are_named_after_their_question(
    lab: str,
    browser,  # noqa: F811
    built_course_template: Path,
) -> None:
    questions_file = (
        built_course_template / RELEASE_DIR / EXERCISE / f"{EXERCISE}{QUESTIONS_SUFFIX}"
    )
    questions = json.loads(questions_file.read_text(encoding="utf-8"))["questions"]
    choices = [q for q in questions if q["kind"] == "choice"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(lab, timeout=60_000)
        page.wait_for_function(
            "window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000
        )
        page.wait_for_function("document.querySelector('.jp-Notebook .jp-Cell')")
        page.wait_for_timeout(2_000)  # the kernel connects
        page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")
        groups = page.get_by_role("radiogroup")
        groups.nth(len(choices) - 1).wait_for(timeout=90_000)
        assert groups.count() == len(choices)
        for number, question in enumerate(questions, start=1):
            if question["kind"] != "choice":
                continue
            named = page.get_by_role(
                "radiogroup", name=f"Question {number}: {question['question']}"
            )
            assert named.count() == 1, f"question {number} is not named after its question"
            radios = named.get_by_role("radio")
            assert radios.count() == len(question["options"])
    finally:
        page.close()

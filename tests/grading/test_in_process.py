"""The in-process Execute step records what nbgrader's Execute records with a kernel."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.preprocessors import Execute
from nbgrader.utils import determine_grade

from grader.grading.in_process import InProcessExecute

CELLS = {
    "prints": "print('one')\nprint('two')",
    "partial": "print('score follows')\n0.5",
    "stderr": "import sys\nprint('careful', file=sys.stderr)",
    "raises": "{}['missing']",
    "user-warning": "import warnings\nwarnings.warn('mind this')",
    "deprecation": "import warnings\nwarnings.warn('old', DeprecationWarning)",
    "display": "from IPython.display import display\ndisplay(3)\n0.25",
    "folder": "import os\nos.path.basename(os.getcwd())",
    "empty": "   ",
    "nothing": "x = 1",
}


def notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Title")]
    for grade_id, source in CELLS.items():
        cell = new_code_cell(source)
        cell.metadata["nbgrader"] = {
            "grade": True, "grade_id": grade_id, "points": 1.0, "solution": False,
            "locked": True, "schema_version": 3, "task": False,
        }  # fmt: skip
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def executed(step: Execute, folder: Path) -> nbformat.NotebookNode:
    nb, _ = step.preprocess(notebook(), {"metadata": {"path": str(folder)}})
    return nb


# Where a warning names the cell it came from: a kernel's file, or IPython's own name.
CELL_NAME = re.compile(r"^(/\S+\.py|<ipython-input-[^>]+>):", re.MULTILINE)


def comparable(output: dict) -> dict:
    """An output without its traceback (colour codes and cell names differ) and with
    the name of the cell a warning came from left out."""
    output = {key: value for key, value in output.items() if key != "traceback"}
    if "text" in output:
        output["text"] = CELL_NAME.sub("<cell>:", output["text"])
    return output


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    folder = tmp_path_factory.mktemp("submission-folder")
    return executed(Execute(), folder), executed(InProcessExecute(), folder)


def test_every_cell_scores_as_with_a_kernel(both) -> None:
    kernel, in_process = both
    for with_kernel, without in zip(kernel.cells, in_process.cells, strict=True):
        if with_kernel.cell_type == "code":
            grade_id = with_kernel.metadata.nbgrader.grade_id
            assert determine_grade(without) == determine_grade(with_kernel), grade_id
            assert without.execution_count == with_kernel.execution_count, grade_id


def test_every_output_is_recorded_as_with_a_kernel(both) -> None:
    kernel, in_process = both
    for with_kernel, without in zip(kernel.cells, in_process.cells, strict=True):
        if with_kernel.cell_type == "code":
            assert [comparable(o) for o in without.outputs] == [
                comparable(o) for o in with_kernel.outputs
            ], with_kernel.source
    assert in_process.metadata.language_info == kernel.metadata.language_info
    raised = in_process.cells[4].outputs[-1]
    assert raised.output_type == "error" and any("missing" in line for line in raised.traceback)


def test_each_notebook_starts_afresh_and_the_folder_is_given_back(tmp_path) -> None:
    step = InProcessExecute()
    before = os.getcwd()
    executed(step, tmp_path)
    second = notebook()
    second.cells = [new_code_cell("x")]
    nb, _ = step.preprocess(second, {"metadata": {"path": str(tmp_path)}})
    assert nb.cells[0].outputs[0].ename == "NameError"  # x of the first notebook is gone
    assert nb.cells[0].execution_count == 1
    assert os.getcwd() == before


def test_a_cell_that_runs_too_long_is_stopped_as_nbgrader_stops_it(tmp_path) -> None:
    nb = notebook()
    nb.cells = [new_code_cell("import time\ntime.sleep(30)"), new_code_cell("1")]
    nb, _ = InProcessExecute(timeout=1).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    stopped, after = nb.cells
    assert stopped.outputs[0].ename == "CellTimeoutError"
    assert after.outputs[0].data["text/plain"] == "1"

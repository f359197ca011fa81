"""The trainer's view of one submission in nbgrader's formgrader.

nbgrader's formgrader shows the autograded notebook as it is: for our exams that is the
introduction, then every question's test cell with its hidden ``check_answer(...)`` code
and key, and the written answers somewhere half-way down a very long page. For a trainer
who grades the same question for a whole cohort, :class:`WrittenAnswersFirst` (a
preprocessor of formgrader's HTML exporter, see :mod:`grader.grading.config`) reorders it:

1. the written answers to grade, each right after the situation and question it answers,
   so the first score field on the page is the first written answer's;
2. the questions scored automatically, without their test code (the template shows the
   learner's answer, the best answer and the score that the test printed).

The template ``grader-formgrade`` (``templates/`` beside this module) serves MathJax from
this server, so formgrader's keyboard shortcuts work on a machine without internet, and
makes Ctrl-. go to the next learner whose written answers still need grading.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "grader-formgrade"
SCENARIO_SUFFIX = "-scenario"


def _nbgrader(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_written_answer(cell: NotebookNode) -> bool:
    """A cell the trainer grades by hand: a graded Markdown answer."""
    meta = _nbgrader(cell)
    return bool(meta.get("grade") and meta.get("solution")) and cell.cell_type == "markdown"


def is_scored_automatically(cell: NotebookNode) -> bool:
    """A test cell whose score nbgrader computed (the trainer may still override it)."""
    meta = _nbgrader(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def _heading(text: str) -> NotebookNode:
    cell = new_markdown_cell(text)
    cell.metadata["grader_view"] = "heading"
    return cell


class WrittenAnswersFirst(Preprocessor):
    """Written answers first, each after its question; automatically scored ones after."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        scenarios = {
            _nbgrader(cell)["grade_id"].removesuffix(SCENARIO_SUFFIX): cell
            for cell in nb.cells
            if _nbgrader(cell).get("grade_id", "").endswith(SCENARIO_SUFFIX)
        }
        written = [cell for cell in nb.cells if is_written_answer(cell)]
        scored = [cell for cell in nb.cells if is_scored_automatically(cell)]
        if not written and not scored:
            return nb, resources
        cells: list[NotebookNode] = []
        if written:
            cells.append(_heading(f"## Written answers to grade ({len(written)})"))
            for cell in written:
                scenario = scenarios.get(_nbgrader(cell)["grade_id"])
                cells.extend([scenario, cell] if scenario is not None else [cell])
        if scored:
            cells.append(
                _heading(
                    f"## Scored automatically ({len(scored)})\n\n"
                    "Each score below is what the question's test gave; the learner's "
                    "answer, the best answer and why are under it. Change a score only "
                    "to correct the key."
                )
            )
            for cell in scored:
                scenario = scenarios.get(_nbgrader(cell)["grade_id"])
                cell.metadata["grader_view"] = "scored"
                cell.metadata["grader_question"] = _question_heading(scenario)
                cell.outputs = [out for out in cell.outputs if out.output_type == "stream"]
                cells.append(cell)
        nb.cells = cells
        return nb, resources


def _question_heading(scenario: NotebookNode | None) -> str:
    """``Question 4`` from the first line of a scenario cell (``## Question 4``)."""
    if scenario is None:
        return ""
    first = scenario.source.lstrip().splitlines()[0] if scenario.source.strip() else ""
    return first.lstrip("#").strip()

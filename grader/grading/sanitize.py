"""nbgrader sanitize preprocessors that make autograding tamper-proof.

nbgrader's own sanitizing restores locked cells it finds, but it still runs any code cell
a learner adds, keeps cells in the learner's order and leaves deleted cells missing.
These preprocessors run after nbgrader's ``OverwriteCells`` (see :mod:`grader.grading.config`):

- :class:`KeepCourseCellsOnly` rebuilds the notebook from the gradebook's record of the
  released cells, in their released order: added cells are dropped, deleted or
  unmarked cells come back, so only the course's own code ever runs;
- :class:`DropAnswerWidgets` leaves out the cells that only draw answer widgets: the
  answers file is what is graded, widgets without a browser only slow grading down and
  would show as noise in formgrader and in the feedback;
- :class:`FillWrittenAnswers` copies each free-text answer from the answers file into its
  manually graded cell, followed by the rubric, so the trainer grades it in formgrader.
"""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from grader.build.assessment_notebook import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    is_widget_cell,
    quote_markdown,
)
from grader.course.i18n import LANGUAGES, message
from grader.learner.answers import AnswersFileError, answer_problem, answers_path, read_answers


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class KeepCourseCellsOnly(NbGraderPreprocessor):
    """Replace the cell list with the released cells, in order; drop everything else."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            source = gradebook.find_notebook(info["notebook"], info["assignment"])
            points = {cell.name: cell.max_score for cell in source.grade_cells}
            solutions = {cell.name for cell in source.solution_cells}
            released = [
                (cell.name, cell.cell_type, cell.source, cell.locked, cell.checksum)
                for cell in source.source_cells
            ]
        submitted: dict[str, NotebookNode] = {}
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id is None or grade_id in submitted:
                self.log.warning("Dropping a cell that is not part of the assignment")
            else:
                submitted[grade_id] = cell
        cells = []
        for name, cell_type, text, locked, checksum in released:
            if name in submitted:
                cells.append(submitted.pop(name))
                continue
            self.log.warning("Restoring cell %s, which was missing from the submission", name)
            make = (
                nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
            )
            metadata = {
                "grade": name in points,
                "grade_id": name,
                "locked": locked,
                "schema_version": 3,
                "solution": name in solutions,
                "task": False,
                "checksum": checksum,
            }
            if name in points:
                metadata["points"] = points[name]
            cells.append(make(text, id=name, metadata={"nbgrader": metadata}))
        for name in submitted:
            self.log.warning("Dropping cell %s, which is unknown to the gradebook", name)
        nb.cells = cells
        return nb, resources


class DropAnswerWidgets(NbGraderPreprocessor):
    """Remove the widget cells (setup and one per question) from the notebook to grade."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        nb.cells = [
            cell
            for cell in nb.cells
            if not (
                cell.cell_type == "code"
                and is_widget_cell(_grade_id(cell))
                and not cell.metadata.get("nbgrader", {}).get("grade")
            )
        ]
        return nb, resources


class FillWrittenAnswers(NbGraderPreprocessor):
    """Put each saved free-text answer, and the item's rubric, into its answer cell."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        try:
            answers = read_answers(answers_path(folder, info["notebook"]))
        except AnswersFileError as error:
            self.log.warning("No written answers for %s: %s", info["student"], error)
            return nb, resources
        rubrics = self._rubrics(info["assignment"], info["notebook"])
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            nbgrader = cell.metadata.get("nbgrader", {})
            if not (nbgrader.get("solution") and nbgrader.get("grade")) or grade_id not in answers:
                continue
            answer = answers[grade_id]
            if answer_problem("free-text", [], answer):
                self.log.warning("Ignoring an invalid written answer to %s", grade_id)
                continue
            language = notebook_language(info["notebook"])
            cell.source = written_answer_markdown(answer, rubrics.get(grade_id), language)
        return nb, resources

    def _rubrics(self, assignment: str, notebook: str) -> dict[str, str]:
        """Instructor versions of the answer cells (rubric and model answer), by grade id."""
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
        try:
            source = nbformat.read(folder / f"{notebook}.ipynb", as_version=4)
        except (OSError, ValueError) as error:
            self.log.warning("No rubrics for %s: %s", assignment, error)
            return {}
        return {
            _grade_id(cell): solution_region(cell.source)
            for cell in source.cells
            if _grade_id(cell) and BEGIN_SOLUTION in cell.source
        }


def notebook_language(notebook: str) -> str:
    """The language of a built assessment notebook, from its name (``...-nl``)."""
    suffix = notebook.rsplit("-", 1)[-1]
    return suffix if suffix in LANGUAGES else "en"


def solution_region(source: str) -> str:
    """The text between the solution markers of an instructor cell (the rubric)."""
    inside = source.split(BEGIN_SOLUTION, 1)[1]
    return inside.split(END_SOLUTION, 1)[0].strip()


def written_answer_markdown(answer: str, rubric: str | None, language: str = "en") -> str:
    """How a written answer appears to the trainer in formgrader (and later in feedback).

    The learner's text is HTML-escaped: it is shown as written, never run as markup.
    """
    quoted = quote_markdown(html.escape(answer, quote=False))
    parts = [f"**{message(language, 'learner_answer')}**", quoted]
    if rubric:
        parts += ["---", rubric]
    return "\n\n".join(parts)

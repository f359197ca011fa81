"""nbgrader sanitize preprocessors that make autograding tamper-proof.

nbgrader's own sanitizing restores locked cells it finds, but it still runs any code cell
a learner adds, keeps cells in the learner's order and leaves deleted cells missing.
These preprocessors run after nbgrader's ``OverwriteCells`` (see :mod:`grader.grading.config`):

- :class:`UseLearnersAnswersFile` (an autograde step, before the tests run) puts the
  learner's own submitted answers file (a regular file, never a link) in the grading
  folder, or none: nbgrader copies the source folder's files over the submission, and a
  file from there is never graded;
- :class:`KeepCourseCellsOnly` rebuilds the notebook from the gradebook's record of the
  released cells, in their released order: nothing of the submitted notebook is kept
  (sources, outputs, attachments, metadata), so only the course's own code ever runs
  and no learner markup reaches formgrader or the feedback;
- :class:`DropAnswerWidgets` leaves out the cells that only draw answer widgets: the
  answers file is what is graded, widgets without a browser only slow grading down and
  would show as noise in formgrader and in the feedback;
- :class:`FillWrittenAnswers` copies each free-text answer from the answers file into its
  manually graded cell as literal text (no markup, no link, no image), followed by the
  rubric, so the trainer grades it in formgrader.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode, from_dict
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
from grader.learner.answers import (
    MAX_FILE_BYTES,
    AnswersFileError,
    answer_problem,
    answers_path,
    read_answers,
)


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


KEPT_METADATA = ("kernelspec", "language_info")


class UseLearnersAnswersFile(NbGraderPreprocessor):
    """Grade the answers file the learner submitted, and nothing else under its name."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        student, assignment = info["student"], info["assignment"]
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        target = answers_path(folder, info["notebook"])
        content = learners_file(answers_path(submitted, info["notebook"]), MAX_FILE_BYTES)
        if target.is_symlink() or target.exists():
            target.unlink()
        if content is not None:
            target.write_bytes(content)
        return nb, resources


def learners_file(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file a learner submitted, or None (missing, a link, a FIFO or
    another special file, a file with more than one name, or larger than ``limit``).
    Links are never followed; a hard link could name a file the learner may not read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_nlink > 1 or status.st_size > limit:
            return None
        with os.fdopen(os.dup(handle), "rb") as stream:
            return stream.read(limit + 1)[:limit]
    finally:
        os.close(handle)


class KeepCourseCellsOnly(NbGraderPreprocessor):
    """Replace the notebook with the released cells, in order; keep nothing submitted."""

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
        submitted = {_grade_id(cell) for cell in nb.cells}
        released_names = {name for name, *_ in released}
        if None in submitted or len(submitted) < len(nb.cells):
            self.log.warning("Dropping cells that are not part of the assignment")
        for name in sorted(released_names - submitted - {None}):
            self.log.warning("Restoring cell %s, which was missing from the submission", name)
        for name in sorted(submitted - released_names - {None}):
            self.log.warning("Dropping cell %s, which is unknown to the gradebook", name)
        cells = []
        for name, cell_type, text, locked, checksum in released:
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
            cells.append(_cell(cell_type, text, name, {"nbgrader": metadata}))
        nb.cells = cells
        # Notebook metadata may carry widget state, which formgrader would render.
        nb.metadata = {key: nb.metadata[key] for key in KEPT_METADATA if key in nb.metadata}
        return nb, resources


def _cell(cell_type: str, source: str, cell_id: str, metadata: dict) -> NotebookNode:
    """A cell as nbformat's ``new_code_cell`` or ``new_markdown_cell`` makes it, without
    validating each one: nbconvert validates the whole notebook after this step."""
    cell = {"id": cell_id, "cell_type": cell_type, "metadata": metadata, "source": source}
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    return from_dict(cell)


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
    """Put each saved written answer, and the item's rubric, into its answer cell.

    The cells were rebuilt from the release (:class:`KeepCourseCellsOnly`), so a cell
    without a valid, non-empty answer keeps the released text: nbgrader then scores it
    zero as "No response" instead of asking the trainer to grade nothing.
    """

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
        language = notebook_language(info["notebook"])
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            nbgrader = cell.metadata.get("nbgrader", {})
            if not (nbgrader.get("solution") and nbgrader.get("grade")) or grade_id not in answers:
                continue
            answer = answers[grade_id]
            if answer_problem("free-text", [], answer):
                self.log.warning("Ignoring an invalid written answer to %s", grade_id)
            elif answer.strip():
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

    The learner's text is shown as written and never as markup: no HTML, no link, no
    image, no heading (see :func:`literal_markdown`).
    """
    parts = [f"**{message(language, 'learner_answer')}**", quote_markdown(literal_markdown(answer))]
    if rubric:
        parts += ["---", rubric]
    return "\n\n".join(parts)


MARKDOWN_SPECIAL = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def literal_markdown(text: str) -> str:
    """``text`` as Markdown that renders as exactly these characters.

    Every ASCII punctuation character is backslash-escaped (CommonMark renders any of them
    literally after a backslash), so ``<script>``, ``[x](javascript:…)``, ``![](http://…)``,
    autolinks and emphasis all come out as plain text. Lines keep their breaks, and their
    indent becomes no-break spaces, so an indented line is no code block.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = line.lstrip(" \t")
        indent = "\u00a0" * (len(line[: len(line) - len(body)].expandtabs(4)))
        lines.append(indent + "".join(f"\\{c}" if c in MARKDOWN_SPECIAL else c for c in body))
    return "  \n".join(line.rstrip() for line in lines)

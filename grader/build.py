"""Build step: item bank → nbgrader source notebooks → learner versions.

``build`` checks the whole bank first (nothing is written when it is malformed), writes
``solutions/<assessment>/`` (the instructor notebook and its public questions file) and
then runs the unmodified ``nbgrader generate_assignment`` into ``exercises/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.bank import Bank, load_bank
from grader.nbgrader_run import run_nbgrader
from grader.notebook import assessment_notebook
from grader.questions import SUFFIX as QUESTIONS_SUFFIX
from grader.questions import questions_json

SOURCE_DIR = "solutions"
RELEASE_DIR = "exercises"


@dataclass(frozen=True)
class BuildResult:
    assessments: list[str]
    written: list[Path]


def source_files(bank: Bank, assessment_id: str) -> dict[str, str]:
    """File name → text of the generated source files of one assessment."""
    items = bank.items_of(assessment_id)
    notebook = assessment_notebook(bank.assessments[assessment_id], items)
    return {
        f"{assessment_id}.ipynb": nbformat.writes(notebook) + "\n",
        f"{assessment_id}{QUESTIONS_SUFFIX}": questions_json(items),
    }


def build(
    course_root: Path | str = ".",
    assessment_ids: list[str] | None = None,
    *,
    release: bool = True,
) -> BuildResult:
    """Generate the source notebooks of the assessments (all by default) and release them.

    Raises :class:`grader.bank.BankError` for a malformed bank, before writing anything,
    and :class:`grader.nbgrader_run.NbgraderError` when nbgrader fails.
    """
    root = Path(course_root)
    bank = load_bank(root / SOURCE_DIR)
    wanted = assessment_ids or sorted(bank.assessments)
    unknown = [a for a in wanted if a not in bank.assessments]
    if unknown:
        known = ", ".join(sorted(bank.assessments))
        raise KeyError(f"unknown assessment {unknown[0]!r} (known: {known})")
    generated = {a: source_files(bank, a) for a in wanted}
    written = []
    for assessment_id, files in generated.items():
        folder = root / SOURCE_DIR / assessment_id
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = folder / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
    if release:
        for assessment_id in wanted:
            generate_assignment(root, assessment_id)
    return BuildResult(assessments=wanted, written=written)


def generate_assignment(course_root: Path, assessment_id: str) -> None:
    """Run ``nbgrader generate_assignment`` for one assessment in the course folder."""
    run_nbgrader(course_root, "generate_assignment", assessment_id, "--force")

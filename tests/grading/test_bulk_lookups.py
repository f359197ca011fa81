"""A grading worker's gradebook finds every cell's rows as nbgrader's does, with one query
per notebook, and writes a step's changes in one commit."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbgrader
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbformat.v4 import writes as notebook_text
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import OverwriteCells, SaveAutoGrades, overwritecells, saveautogrades
from sqlalchemy import create_engine, event, text
from traitlets.config import Config

from grader.grading.bulk_lookups import CHECKED_WITH, BulkGradebook
from grader.grading.worker import prepare_worker

from ..conftest import restore_nbgrader_afterwards

CELLS = {"grade": ["q1", "q2"], "solution": ["q1", "essay"], "task": ["task"]}


@pytest.fixture(scope="module")
def gradebook_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gradebook with two notebooks of one assignment and two learners' submissions."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as gradebook:
        gradebook.add_assignment("exam")
        for notebook in ("exam", "other"):
            gradebook.add_notebook(notebook, "exam")
            for name in CELLS["grade"]:
                gradebook.add_grade_cell(name, notebook, "exam", max_score=1, cell_type="code")
            for name in CELLS["solution"]:
                gradebook.add_solution_cell(name, notebook, "exam")
            gradebook.add_task_cell("task", notebook, "exam", max_score=2, cell_type="markdown")
            for name in {*CELLS["grade"], *CELLS["solution"], *CELLS["task"]}:
                gradebook.add_source_cell(
                    name, notebook, "exam", cell_type="code", source=f"# {name}", locked=True
                )
        for learner in ("ada", "bob"):
            gradebook.add_student(learner)
            gradebook.add_submission("exam", learner)
    return path


@pytest.fixture
def url(gradebook_file: Path, tmp_path: Path) -> str:
    """A copy of the gradebook, for one test."""
    shutil.copy(gradebook_file, tmp_path / "gradebook.db")
    return f"sqlite:///{tmp_path / 'gradebook.db'}"


LOOKUPS = [
    ("find_source_cell", ["q1", "q2", "essay", "task"], ()),
    ("find_graded_cell", ["q1", "q2", "task"], ()),
    ("find_grade", ["q1", "q2", "task"], ("ada",)),
    ("find_comment", ["q1", "essay", "task"], ("bob",)),
]


@pytest.mark.parametrize(("lookup", "names", "learner"), LOOKUPS)
def test_every_lookup_finds_the_row_nbgrader_finds(
    url: str, lookup: str, names: list[str], learner: tuple[str, ...]
) -> None:
    with Gradebook(url) as plain, BulkGradebook(url) as bulk:
        for notebook in ("exam", "other"):
            for name in names:
                expected = getattr(plain, lookup)(name, notebook, "exam", *learner)
                found = getattr(bulk, lookup)(name, notebook, "exam", *learner)
                assert (type(found), found.id) == (type(expected), expected.id)


@pytest.mark.parametrize(("lookup", "names", "learner"), LOOKUPS)
def test_a_name_that_is_not_there_raises_nbgraders_error(
    url: str, lookup: str, names: list[str], learner: tuple[str, ...]
) -> None:
    with Gradebook(url) as plain, pytest.raises(MissingEntry) as expected:
        getattr(plain, lookup)("nope", "exam", "exam", *learner)
    with BulkGradebook(url) as bulk:
        getattr(bulk, lookup)(names[0], "exam", "exam", *learner)
        with pytest.raises(MissingEntry) as raised:
            getattr(bulk, lookup)("nope", "exam", "exam", *learner)
    assert str(raised.value) == str(expected.value)


def test_a_notebooks_cells_are_found_with_one_query_each_kind(url: str) -> None:
    with BulkGradebook(url) as bulk:
        statements = _count_statements(bulk)
        for name in CELLS["grade"]:
            bulk.find_source_cell(name, "exam", "exam")
            bulk.find_graded_cell(name, "exam", "exam")
            bulk.find_grade(name, "exam", "exam", "ada")
        for name in CELLS["solution"]:
            bulk.find_comment(name, "exam", "exam", "ada")
        assert len(statements) == 4
        bulk.find_grade("q1", "exam", "exam", "bob")  # another learner: their own rows
        assert len(statements) == 5


def _count_statements(gradebook: Gradebook) -> list[str]:
    statements: list[str] = []
    event.listen(
        gradebook.engine, "before_cursor_execute", lambda *args: statements.append(args[2])
    )
    return statements


def test_changes_are_written_in_one_commit_when_the_step_ends(url: str) -> None:
    with BulkGradebook(url) as bulk:
        commits: list[int] = []
        event.listen(bulk.engine, "commit", lambda _connection: commits.append(1))
        for name, score in (("q1", 1.0), ("q2", 0.0)):
            bulk.find_grade(name, "exam", "exam", "ada").auto_score = score
            bulk.db.commit()  # as nbgrader's SaveAutoGrades commits after each cell
        assert commits == []
        assert _auto_score(url, "q1") is None
    assert commits == [1]
    assert (_auto_score(url, "q1"), _auto_score(url, "q2")) == (1.0, 0.0)


def test_a_step_that_fails_writes_nothing(url: str) -> None:
    with pytest.raises(RuntimeError), BulkGradebook(url) as bulk:
        bulk.find_grade("q1", "exam", "exam", "ada").auto_score = 1.0
        bulk.db.commit()
        raise RuntimeError("the step failed midway")
    assert _auto_score(url, "q1") is None


def _auto_score(url: str, cell: str) -> float | None:
    with Gradebook(url) as gradebook:
        return gradebook.find_grade(cell, "exam", "exam", "ada").auto_score


def _cell(kind: str, name: str, source: str, **flags: object):
    cell = (new_code_cell if kind == "code" else new_markdown_cell)(source, id=name)
    cell.metadata["nbgrader"] = {
        "grade": False, "solution": False, "task": False, "locked": False,
        "grade_id": name, "schema_version": 3, **flags,
    }  # fmt: skip
    cell.metadata.nbgrader["checksum"] = utils.compute_checksum(cell)
    return cell


def _released() -> list:
    return [
        _cell("code", "answer", "x = 1", grade=True, solution=True, points=1),
        _cell("code", "test", "assert x == 1", grade=True, points=2, locked=True),
        _cell("markdown", "essay", "Write here.", grade=True, solution=True, points=4),
        _cell("markdown", "note", "Your view.", solution=True),
        _cell("markdown", "task", "Do this.", task=True, points=3, locked=True),
    ]


@pytest.fixture
def regrade(tmp_path: Path) -> str:
    """A gradebook of one submission graded before, with a trainer's grades in it."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment("exam")
        gradebook.add_notebook("exam", "exam")
        for cell in _released():
            flags, name = cell.metadata.nbgrader, cell.metadata.nbgrader["grade_id"]
            if flags["grade"]:
                gradebook.add_grade_cell(
                    name, "exam", "exam", max_score=flags["points"], cell_type=cell.cell_type
                )
            if flags["solution"]:
                gradebook.add_solution_cell(name, "exam", "exam")
            if flags["task"]:
                gradebook.add_task_cell(
                    name, "exam", "exam", max_score=flags["points"], cell_type=cell.cell_type
                )
            gradebook.add_source_cell(
                name, "exam", "exam", cell_type=cell.cell_type, source=cell.source,
                locked=flags["locked"], checksum=flags["checksum"],
            )  # fmt: skip
        gradebook.add_student("ada")
        gradebook.add_submission("exam", "ada")
        for cell, score in (("test", 1.5), ("essay", 2.0)):
            gradebook.find_grade(cell, "exam", "exam", "ada").manual_score = score
        gradebook.db.commit()
    return url


def _grade_with(gradebook_class: type, url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """nbgrader's two steps on a submission with a changed answer, a failed test, a
    tampered locked cell and a cell the gradebook does not know."""
    monkeypatch.setattr(overwritecells, "Gradebook", gradebook_class)
    monkeypatch.setattr(saveautogrades, "Gradebook", gradebook_class)
    notebook = new_notebook(cells=_released())
    notebook.cells[0].source = "x = 2"
    notebook.cells[1].outputs = [new_output("error", ename="AssertionError", traceback=[])]
    notebook.cells[4].source = "Tampered."
    notebook.cells.append(_cell("code", "unknown", "print(1)", grade=True, points=1))
    where = {"notebook": "exam", "assignment": "exam", "student": "ada", "db_url": url}
    notebook, resources = OverwriteCells().preprocess(notebook, {"nbgrader": where})
    notebook.cells = notebook.cells[:-1]  # its grade id dropped: SaveAutoGrades cannot take it
    notebook, _ = SaveAutoGrades().preprocess(notebook, resources)
    return notebook_text(notebook)


def _tables(url: str) -> dict[str, list]:
    engine = create_engine(url)
    with engine.connect() as db:
        names = db.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
        tables = {
            name: sorted(map(repr, db.execute(text(f"SELECT * FROM {name}")))) for name in names
        }
    engine.dispose()
    return tables


def test_nbgraders_steps_write_the_same_gradebook_and_notebook_with_either(
    regrade: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_url = f"sqlite:///{tmp_path / 'bulk.db'}"
    shutil.copy(tmp_path / "gradebook.db", tmp_path / "bulk.db")
    plain_notebook = _grade_with(Gradebook, regrade, monkeypatch)
    bulk_notebook = _grade_with(BulkGradebook, bulk_url, monkeypatch)
    assert bulk_notebook == plain_notebook
    assert _tables(bulk_url) == _tables(regrade)
    with Gradebook(regrade) as gradebook:  # the steps did grade: the comparison means something
        grade = gradebook.find_grade("test", "exam", "exam", "ada")
        assert (grade.auto_score, grade.needs_manual_grade) == (0.0, True)


def test_a_worker_uses_it_with_the_nbgrader_it_was_checked_against(
    monkeypatch: pytest.MonkeyPatch, worker_in_this_process: None
) -> None:
    """It relies on how nbgrader's two steps use their gradebook: a new nbgrader is
    checked again (and this test updated) before workers use it."""
    monkeypatch.setattr(overwritecells, "Gradebook", Gradebook)
    monkeypatch.setattr(saveautogrades, "Gradebook", Gradebook)
    assert nbgrader.__version__ == CHECKED_WITH
    prepare_worker(Config())
    assert overwritecells.Gradebook is saveautogrades.Gradebook is BulkGradebook
    monkeypatch.setattr(nbgrader, "__version__", "99.0")
    monkeypatch.setattr(overwritecells, "Gradebook", Gradebook)
    prepare_worker(Config())
    assert overwritecells.Gradebook is Gradebook


def _nbgrader_attributes() -> dict[tuple[str, str], int]:
    return {
        (name, attribute): id(value)
        for name, module in list(sys.modules.items())
        if name.split(".")[0] == "nbgrader" and module is not None
        for attribute, value in list(vars(module).items())
    }


def test_a_test_that_makes_a_worker_leaves_nbgrader_as_it_was() -> None:
    before = _nbgrader_attributes()
    with pytest.MonkeyPatch.context() as patch:
        restore_nbgrader_afterwards(patch)
        prepare_worker(Config())
        changed = {key for key, value in _nbgrader_attributes().items() if before.get(key) != value}
        assert ("nbgrader.preprocessors.saveautogrades", "Gradebook") in changed
    after = _nbgrader_attributes()
    assert {key: after[key] for key in before} == before

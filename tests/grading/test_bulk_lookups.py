"""A grading worker's gradebook finds every cell's rows as nbgrader's does, with one query
per notebook, and writes a step's changes in one commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import event

from grader.grading.bulk_lookups import BulkGradebook

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

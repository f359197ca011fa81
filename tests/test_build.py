"""The build: deterministic, up to date in the repository, and no key ever released."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.bank import Bank
from grader.build import RELEASE_DIR, SOURCE_DIR, build

from .conftest import ASSESSMENT, REPO

pytestmark = pytest.mark.nbgrader


def generated_files(course: Path) -> dict[str, bytes]:
    """Every generated file of the course, by path relative to the course folder."""
    files = {}
    for top in (SOURCE_DIR, RELEASE_DIR):
        for path in sorted((course / top).rglob("*")):
            if path.is_file() and path.parent != course / top:
                files[str(path.relative_to(course))] = path.read_bytes()
    return files


def test_committed_generated_files_are_up_to_date(built_course_template: Path) -> None:
    fresh = generated_files(built_course_template)
    committed = generated_files(REPO)
    assert sorted(committed) == sorted(fresh), "run `make build` and commit the result"
    for name, content in fresh.items():
        assert committed[name] == content, f"{name} is stale: run `make build` and commit it"


def test_same_input_gives_byte_identical_output(built_course: Path, tmp_path: Path) -> None:
    first = generated_files(built_course)
    for top in (SOURCE_DIR, RELEASE_DIR):
        for folder in (built_course / top).iterdir():
            if folder.is_dir():
                shutil.rmtree(folder)
    build(built_course)
    assert generated_files(built_course) == first


def test_notebooks_have_no_outputs(built_course_template: Path) -> None:
    notebooks = list(built_course_template.rglob("*.ipynb"))
    assert len(notebooks) == 2
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            assert not cell.get("outputs") and cell.get("execution_count") is None, path


def test_source_notebook_has_one_test_or_answer_cell_per_item(
    built_course_template: Path, bank: Bank
) -> None:
    path = built_course_template / SOURCE_DIR / ASSESSMENT / f"{ASSESSMENT}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    graded = {
        c["id"]: c["metadata"]["nbgrader"] for c in cells if c["metadata"]["nbgrader"]["grade"]
    }
    items = bank.items_of(ASSESSMENT)
    assert list(graded) == [item.id for item in items]
    for item in items:
        assert graded[item.id]["points"] == item.points
        assert graded[item.id]["solution"] == (item.kind == "free-text")
    assert all(c["metadata"]["nbgrader"]["locked"] for c in cells if c["id"] not in graded)


def released_texts(course: Path) -> dict[str, str]:
    return {
        str(path.relative_to(course)): path.read_text(encoding="utf-8")
        for path in (course / RELEASE_DIR).rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("where", ["repository", "fresh build"])
def test_nothing_released_reveals_a_key(
    where: str, built_course_template: Path, bank: Bank
) -> None:
    course = REPO if where == "repository" else built_course_template
    texts = released_texts(course)
    assert texts, "nothing was released"
    for name, text in texts.items():
        assert "HIDDEN TESTS" not in text and "check_answer" not in text, name
        assert '"key"' not in text and '"explanation"' not in text, name
        for item in bank.items.values():
            secrets = [item.explanation.strip(), *(c.criterion.strip() for c in item.rubric)]
            if item.model_answer:
                secrets.append(item.model_answer.strip())
            for secret in secrets:
                assert secret not in text, f"{name} reveals part of the key of {item.id}"
            for option_id in item.key:
                # A key's option id may appear only once, as the option's own id in
                # the questions file, never as a marked answer or in a notebook.
                expected = 0 if name.endswith(".ipynb") else 1
                assert text.count(f'"{option_id}"') == expected, (name, item.id, option_id)
                assert text.count(f"'{option_id}'") == 0, (name, item.id, option_id)


def test_questions_file_holds_only_public_fields(built_course_template: Path) -> None:
    path = built_course_template / RELEASE_DIR / ASSESSMENT / f"{ASSESSMENT}.questions.json"
    for question in json.loads(path.read_text(encoding="utf-8"))["questions"]:
        assert set(question) <= {"id", "kind", "question", "points", "options"}
        for option in question.get("options", []):
            assert set(option) == {"id", "text"}

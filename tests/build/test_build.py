"""The build: deterministic, up to date in the repository, and no key ever released."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.build.assignments import build
from grader.course.content import load_course
from grader.course.i18n import LANGUAGES
from grader.course.items import Bank
from grader.course.paths import LESSONS_DIR, RELEASE_DIR, SOURCE_DIR

from ..conftest import ASSESSMENT, ASSIGNMENT, REPO

pytestmark = pytest.mark.nbgrader

GENERATED = (SOURCE_DIR, RELEASE_DIR, *(f"{LESSONS_DIR}/{language}" for language in LANGUAGES))


def generated_files(course: Path) -> dict[str, bytes]:
    """Every generated file of the course, by path relative to the course folder."""
    files = {}
    for top in GENERATED:
        for path in sorted((course / top).rglob("*")):
            generated = path.suffix in {".ipynb", ".json"}
            if path.is_file() and generated and ".answers" not in path.name:
                files[str(path.relative_to(course))] = path.read_bytes()
    return files


def test_committed_generated_files_are_up_to_date(built_course_template: Path) -> None:
    fresh = generated_files(built_course_template)
    committed = generated_files(REPO)
    assert sorted(committed) == sorted(fresh), "run `make build` and commit the result"
    for name, content in fresh.items():
        assert committed[name] == content, f"{name} is stale: run `make build` and commit it"


def test_same_input_gives_byte_identical_output(built_course: Path) -> None:
    first = generated_files(built_course)
    for top in GENERATED:
        for path in (built_course / top).rglob("*"):
            if path.is_dir() and path.parent == built_course / top:
                shutil.rmtree(path)
            elif path.suffix in {".ipynb", ".json"}:
                path.unlink(missing_ok=True)
    build(built_course)
    assert generated_files(built_course) == first


def test_notebooks_have_no_outputs(built_course_template: Path) -> None:
    notebooks = [p for p in built_course_template.rglob("*.ipynb") if "checkpoint" not in str(p)]
    assert len(notebooks) > 2 * len(LANGUAGES)
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            assert not cell.get("outputs") and cell.get("execution_count") is None, path


def test_source_notebook_has_one_test_or_answer_cell_per_item(
    built_course_template: Path, bank: Bank
) -> None:
    path = built_course_template / SOURCE_DIR / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
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


def learner_texts(course: Path) -> dict[str, str]:
    """Every file a learner receives: released exercises and lessons."""
    folders = [course / RELEASE_DIR, *(course / LESSONS_DIR / lang for lang in LANGUAGES)]
    return {
        str(path.relative_to(course)): path.read_text(encoding="utf-8")
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("where", ["repository", "fresh build"])
def test_nothing_a_learner_receives_reveals_a_key(where: str, built_course_template: Path) -> None:
    course = REPO if where == "repository" else built_course_template
    texts = learner_texts(course)
    assert any(name.startswith(RELEASE_DIR) for name in texts), "nothing was released"
    banks = [load_course(REPO, language).bank for language in LANGUAGES]
    for name, text in texts.items():
        assert "HIDDEN TESTS" not in text and "check_answer" not in text, name
        assert "BEGIN SOLUTION" not in text, name
        released = name.startswith(RELEASE_DIR)
        if released:
            assert '"key"' not in text and '"explanation"' not in text, name
        for bank in banks:
            for item in bank.items.values():
                secrets = [item.explanation, *(c.criterion for c in item.rubric)]
                secrets += [item.model_answer] if item.model_answer else []
                for secret in secrets:
                    assert secret.strip() not in text, f"{name} reveals part of {item.id}"
                if not released:
                    continue
                for option_id in item.key:
                    # A key's option id appears at most once, as the option's own id in a
                    # questions file: never marked as the answer, never in a notebook.
                    most = 0 if name.endswith(".ipynb") else 1
                    assert text.count(f'"{option_id}"') <= most, (name, item.id, option_id)
                    assert f"'{option_id}'" not in text, (name, item.id, option_id)


def test_questions_files_hold_only_public_fields(built_course_template: Path) -> None:
    files = list((built_course_template / RELEASE_DIR).rglob("*.questions.json"))
    assert files
    for path in files:
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            assert set(question) <= {"id", "kind", "question", "points", "options", "shuffle"}, path
            for option in question.get("options", []):
                assert set(option) == {"id", "text"}, path


def test_every_assessment_is_released_in_every_language(built_course_template: Path) -> None:
    bank = load_course(REPO, "en").bank
    for assessment_id in bank.assessments:
        for language in LANGUAGES:
            name = f"{assessment_id}-{language}"
            path = built_course_template / RELEASE_DIR / name / f"{name}.ipynb"
            assert path.exists(), name


@pytest.mark.parametrize(
    ("names", "built"),
    [
        (["certification-exam"], {"certification-exam-en", "certification-exam-nl"}),
        (["certification-exam-en"], {"certification-exam-en"}),
        (
            ["exercise-01-confidential-nl", "certification-exam-en"],
            {
                "exercise-01-confidential-nl",
                "certification-exam-en",
            },
        ),
    ],
)
def test_build_takes_an_assessment_or_one_of_its_assignments(names, built) -> None:
    """``grader build certification-exam-en`` builds what every other command calls by that name."""
    from grader.build.assignments import generated_files as files_of

    folders = {path.parent.name for path in files_of(REPO, names)}
    assert folders == built


@pytest.mark.parametrize("name", ["exercise-99-gossip", "certification-exam-de", "-en"])
def test_build_refuses_an_unknown_assessment_naming_the_known_ones(name: str) -> None:
    from grader.build.assignments import generated_files as files_of

    with pytest.raises(KeyError, match=rf"unknown assessment '{name}' \(known: certification-exam"):
        files_of(REPO, [name])


def test_build_refuses_a_language_the_course_is_not_built_in(tmp_path: Path) -> None:
    from grader.build.assignments import generated_files as files_of
    from grader.course.settings import SETTINGS_FILE

    from ..conftest import new_course

    course = new_course(tmp_path / "course")
    settings = course / SETTINGS_FILE
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("languages: [en, nl]", "languages: [en]"),
        encoding="utf-8",
    )
    with pytest.raises(KeyError, match=r"certification-exam-nl: not built in .*\(en\)"):
        files_of(course, ["certification-exam-nl"])

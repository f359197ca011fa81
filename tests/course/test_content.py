"""The course content: complete in both languages, varied, and enough of it."""

from __future__ import annotations

import collections
import html
import json
from pathlib import Path

import pytest

from grader.build.released_files import practice_json
from grader.course.content import Course, current_settings_and_bank, load_course
from grader.course.guidelines import GUIDELINES
from grader.course.i18n import LANGUAGES
from grader.course.paths import SOURCE_DIR
from grader.course.settings import SETTINGS_FILE, SettingsError
from grader.learner.practice import feedback_html, load_practice

from ..conftest import ASSESSMENT, REPO, new_course

MODULES = 13  # introduction, eight guidelines, ambassadorship, workshop, wrap-up, glossary


@pytest.fixture(scope="module", params=LANGUAGES)
def course(request: pytest.FixtureRequest) -> Course:
    """The repository's course in one language: loading it checks every file and text."""
    return load_course(REPO, request.param)


def test_every_module_exists(course: Course) -> None:
    assert len(course.lessons) == MODULES
    guideline_modules = [lesson.guideline for lesson in course.lessons if lesson.guideline]
    assert guideline_modules == [g.slug for g in GUIDELINES]


def test_every_guideline_module_has_at_least_three_practice_scenarios(course: Course) -> None:
    for lesson in course.lessons:
        if lesson.guideline:
            assert len(lesson.practice) >= 3, lesson.id
            assert {item.guideline for item in lesson.practice} == {lesson.guideline}


def test_every_guideline_has_six_graded_items_of_mixed_kinds(course: Course) -> None:
    items = list(course.bank.items.values())
    assert len(items) >= 48
    for rule in GUIDELINES:
        kinds = collections.Counter(i.kind for i in items if i.guideline == rule.slug)
        assert sum(kinds.values()) >= 6, rule.slug
        assert set(kinds) == {"choice", "multi-select", "free-text"}, rule.slug
    for item in items:
        if item.kind == "free-text":
            assert item.rubric and item.model_answer, item.id


def test_every_module_has_a_graded_exercise_and_the_exam_covers_every_guideline(
    course: Course,
) -> None:
    assessments = course.bank.assessments
    for lesson in course.lessons:
        if lesson.id != "12-glossary":  # the one module without an exercise
            assert f"exercise-{lesson.id}" in assessments, lesson.id
    exam = course.bank.items_of(ASSESSMENT)
    assert {item.guideline for item in exam} == {g.slug for g in GUIDELINES}
    practised = {
        item_id
        for assessment_id, assessment in assessments.items()
        if assessment_id != ASSESSMENT
        for item_id in assessment.item_ids
    }
    assert not practised & set(assessments[ASSESSMENT].item_ids), "exam items leak into exercises"


def test_scenarios_vary_in_role_and_platform(course: Course) -> None:
    scenarios = [item.scenario for item in [*course.bank.items.values(), *course.practice]]
    assert len({s.role for s in scenarios}) >= 20
    assert len({s.platform for s in scenarios}) >= 8


def test_no_scenario_text_is_used_twice(course: Course) -> None:
    texts = [
        " ".join(i.scenario.situation.split())
        for i in [*course.bank.items.values(), *course.practice]
    ]
    assert len(texts) == len(set(texts))


def test_no_placeholder_is_left_unfilled(course: Course) -> None:
    for lesson in course.lessons:
        for section in lesson.sections:
            assert "{" not in section.body and "}" not in section.body, lesson.id


def test_each_practice_feedback_names_the_guideline_and_explains(course: Course) -> None:
    for lesson in course.lessons:
        scenarios = load_practice_from(lesson.practice)
        for item in lesson.practice:
            rule = next(g for g in GUIDELINES if g.slug == item.guideline)
            wrong = next((o for o in item.option_ids if o not in item.key), None)
            answer = wrong if item.kind == "choice" else [wrong] if wrong else []
            feedback = feedback_html(scenarios[item.id], answer, course.language)
            assert html.escape(rule.title(course.language)) in feedback, item.id
            assert html.escape(item.explanation) in feedback, item.id


def load_practice_from(items) -> dict:
    return {s["id"]: s for s in json.loads(practice_json(list(items)))["practice"]}


def test_both_languages_share_ids_but_not_texts() -> None:
    english, dutch = (load_course(REPO, language) for language in ("en", "nl"))
    assert english.bank.items.keys() == dutch.bank.items.keys()
    assert [lesson.id for lesson in english.lessons] == [lesson.id for lesson in dutch.lessons]
    same = [
        item_id
        for item_id, item in english.bank.items.items()
        if item.question == dutch.bank.items[item_id].question
        or item.explanation == dutch.bank.items[item_id].explanation
    ]
    assert not same, f"not translated: {same}"


def test_practice_files_load(tmp_path) -> None:
    course = load_course(REPO, "en")
    lesson = next(lesson for lesson in course.lessons if lesson.practice)
    path = tmp_path / f"{lesson.id}.practice.json"
    path.write_text(practice_json(list(lesson.practice)))
    scenarios = load_practice(path)
    assert list(scenarios) == [item.id for item in lesson.practice]
    assert all("points" not in scenario for scenario in scenarios.values()), "practice is ungraded"


def test_a_long_lived_process_reads_the_bank_again_once_a_file_changes(tmp_path: Path) -> None:
    """A grading worker keeps the settings and bank it read, and a trainer's fix (here a
    pass mark, then an item file) shows in the next result, not after a restart."""
    folder = new_course(tmp_path / "course")
    first = current_settings_and_bank(folder, "en")
    assert current_settings_and_bank(folder, "en") is first
    settings_file = folder / SETTINGS_FILE
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8").replace("pass_mark: 70", "pass_mark: 75"),
        encoding="utf-8",
    )
    changed, _ = current_settings_and_bank(folder, "en")
    assert (first[0].pass_mark, changed.pass_mark) == (70, 75)
    items_file = sorted((folder / SOURCE_DIR).glob("*.items.yaml"))[0]
    items_file.write_text(items_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert current_settings_and_bank(folder, "en")[1] is not first[1]
    settings_file.unlink()
    with pytest.raises(SettingsError, match="is missing"):
        current_settings_and_bank(folder, "en")

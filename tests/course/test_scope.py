"""An organisation that is not listed gets a course without the black-period guideline.

Its staff never see a black-period lesson, exercise, exam item or practice scenario, the
exam blueprint and the per-guideline minimum follow, and the other lessons no longer
speak of eight guidelines or of black periods.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from grader.build.assignments import build
from grader.course.content import load_course, load_settings_and_bank
from grader.course.paths import LESSONS_DIR, SOURCE_DIR
from grader.course.settings import SETTINGS_FILE, SettingsError, load_settings

from ..conftest import new_course

BLACK_PERIOD_WORDS = {
    "en": re.compile(r"black[ -]period|closed period|eight guidelines", re.IGNORECASE),
    "nl": re.compile(r"gesloten periode|black period|acht richtlijnen", re.IGNORECASE),
}


def set_settings(course: Path, **changes: object) -> None:
    path = course / SETTINGS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def unlisted(tmp_path: Path) -> Path:
    course = new_course(tmp_path / "course")
    set_settings(course, listed=False, black_periods=None)
    return course


@pytest.mark.parametrize("language", ["en", "nl"])
def test_unlisted_course_has_no_black_period_lesson_item_or_exercise(
    unlisted: Path, language: str
) -> None:
    course = load_course(unlisted, language)
    assert "02-black-period" not in [lesson.id for lesson in course.lessons]
    assert all(item.guideline != "black-period" for item in course.bank.items.values())
    assert all(item.guideline != "black-period" for item in course.practice)
    assert "exercise-02-black-period" not in course.bank.assessments
    exam = course.bank.items_of("certification-exam")
    assert len(exam) == 28
    assert {item.guideline for item in exam} == {
        "confidential",
        "work-private",
        "transparency",
        "expertise",
        "count-to-ten",
        "relevance",
        "respect",
    }


def test_listed_course_keeps_all_eight_guidelines(tmp_path: Path) -> None:
    _, bank = load_settings_and_bank(new_course(tmp_path / "course"), "en")
    assert len(bank.items_of("certification-exam")) == 32
    assert "exercise-02-black-period" in bank.assessments


def test_unlisted_build_speaks_of_seven_guidelines_and_no_black_period(unlisted: Path) -> None:
    build(unlisted, release=False)
    assert not (unlisted / SOURCE_DIR / "exercise-02-black-period-en").exists()
    for language, words in BLACK_PERIOD_WORDS.items():
        folder = unlisted / LESSONS_DIR / language
        assert not (folder / "02-black-period.ipynb").exists()
        notebooks = sorted(folder.glob("*.ipynb")) + sorted(
            (unlisted / SOURCE_DIR).glob(f"*-{language}/*.ipynb")
        )
        assert len(notebooks) > 10
        for notebook in notebooks:
            found = words.findall(notebook.read_text(encoding="utf-8"))
            assert not found, f"{notebook.name} still says {found}"
    intro = (unlisted / LESSONS_DIR / "en" / "00-introduction.ipynb").read_text(encoding="utf-8")
    assert "seven guidelines" in intro


def test_listed_organisation_without_black_periods_is_refused(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")
    set_settings(course, black_periods=[])
    with pytest.raises(SettingsError, match=r"black_periods.*listed: false"):
        load_settings(course)


def test_unlisted_organisation_with_black_periods_is_refused(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")
    set_settings(course, listed=False)
    with pytest.raises(SettingsError, match=r"black_periods.*'listed' is false"):
        load_settings(course)

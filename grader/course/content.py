"""The whole course in one language: settings, item bank and lessons, checked together.

Besides each file's own checks, the course as a whole must not reuse an id between the
item bank and the practice scenarios, nor the same scenario text twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader.course.bank import load_bank
from grader.course.content_files import BankError, Problem
from grader.course.items import Bank, Item
from grader.course.lessons import Lesson, load_lessons
from grader.course.paths import CONTENT_DIR, SOURCE_DIR
from grader.course.scope import scoped_bank, scoped_lessons
from grader.course.settings import SETTINGS_FILE, Settings, load_settings, placeholders


@dataclass(frozen=True)
class Course:
    language: str
    settings: Settings
    bank: Bank
    lessons: list[Lesson]

    @property
    def practice(self) -> list[Item]:
        return [item for lesson in self.lessons for item in lesson.practice]


def load_course(course_root: Path | str, language: str) -> Course:
    """Load settings, bank and lessons of ``course_root`` in ``language``; raise on any problem."""
    root = Path(course_root)
    settings = load_settings(root)
    values = placeholders(settings, language)
    problems: list[Problem] = []
    bank, lessons = None, []
    try:
        bank = load_bank(root / SOURCE_DIR, language, values)
    except BankError as error:
        problems += error.problems
    try:
        lessons = load_lessons(root / CONTENT_DIR, language, values)
    except BankError as error:
        problems += error.problems
    if bank is not None:
        practice = [(lesson.source, item) for lesson in lessons for item in lesson.practice]
        problems += course_problems([(item.source, item) for item in bank.items.values()], practice)
    if problems:
        raise BankError(problems)
    assert bank is not None
    slugs = settings.left_out
    return Course(language, settings, scoped_bank(bank, slugs), scoped_lessons(lessons, slugs))


def load_settings_and_bank(course_root: Path | str, language: str) -> tuple[Settings, Bank]:
    """The settings and item bank alone, without the lessons: all that reading grades needs."""
    settings = load_settings(course_root)
    bank = load_bank(Path(course_root) / SOURCE_DIR, language, placeholders(settings, language))
    return settings, scoped_bank(bank, settings.left_out)


def current_settings_and_bank(course_root: Path | str, language: str) -> tuple[Settings, Bank]:
    """:func:`load_settings_and_bank`, read again only once one of its files has changed:
    a process that lives long, such as a grading worker, reads them once."""
    root = Path(course_root)
    try:
        stamp = tuple(
            (path.name, status.st_ino, status.st_mtime_ns, status.st_ctime_ns, status.st_size)
            for path in [root / SETTINGS_FILE, *sorted((root / SOURCE_DIR).glob("*.yaml"))]
            for status in [path.stat()]
        )
    except OSError:  # reading them says what is missing
        return load_settings_and_bank(root, language)
    return _settings_and_bank(str(root.resolve()), language, stamp)


@lru_cache(maxsize=8)
def _settings_and_bank(root: str, language: str, _stamp: tuple) -> tuple[Settings, Bank]:
    return load_settings_and_bank(root, language)


def course_problems(
    items: Iterable[tuple[str, Item]], practice: Iterable[tuple[str, Item]]
) -> list[Problem]:
    """Ids shared by a graded item and a practice scenario; scenario texts used twice."""
    problems = []
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, tuple[str, str]] = {}
    for source, item in [*items, *practice]:
        if item.id in seen_ids and seen_ids[item.id] != source:
            message = f"id also used in {seen_ids[item.id]}"
            problems.append(Problem(source, message, item.id, "id"))
        seen_ids.setdefault(item.id, source)
        text = " ".join(item.scenario.situation.split()).lower()
        if text in seen_texts:
            other_source, other_id = seen_texts[text]
            message = f"same situation as {other_id!r} in {other_source}"
            problems.append(Problem(source, message, item.id, "scenario.situation"))
        seen_texts.setdefault(text, (source, item.id))
    return problems

"""Lesson modules: texts and practice scenarios, loaded from ``course/content/*.yaml``.

Each file is one module of the course (introduction, one per guideline, ambassadorship,
workshop, wrap-up), written in every language and checked like the item bank: by a JSON
Schema, then for meaning, with every problem naming the file, the entry and the field.
Practice scenarios have the shape of choice and multi-select items, key and explanation
included: they give instant feedback and are never graded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.course.bank import item_from, item_problems
from grader.course.content_files import (
    BankError,
    Localizer,
    Problem,
    read_yaml,
    schema_problems,
    texts_of,
)
from grader.course.guidelines import BY_SLUG
from grader.course.items import Item
from grader.course.settings import placeholder_message, unknown_placeholders


@dataclass(frozen=True)
class Section:
    heading: str
    body: str
    guideline: str | None = None  # left out with this guideline (see grader.course.scope)
    # The body to show instead when a guideline is left out, by guideline slug.
    body_without: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    """One module in one language; ``guideline`` is set for the eight guideline modules."""

    id: str
    guideline: str | None
    title: str
    summary: str
    sections: tuple[Section, ...]
    practice: tuple[Item, ...]
    source: str


def load_lessons(
    content_dir: Path | str, language: str = "en", values: Mapping[str, str] | None = None
) -> list[Lesson]:
    """Every lesson module in ``content_dir``, in file-name order, in one language.

    Raises :class:`grader.course.bank.BankError` listing every problem of every file.
    """
    localize = Localizer(language, values)
    problems: list[Problem] = []
    lessons = []
    files = sorted(Path(content_dir).glob("*.yaml"))
    if not files:
        problems.append(Problem(str(content_dir), "no lesson modules (*.yaml) found"))
    for path in files:
        lesson = _load_lesson(path, problems, localize)
        if lesson is not None:
            lessons.append(lesson)
    practice_ids: dict[str, str] = {}
    for lesson in lessons:
        for item in lesson.practice:
            if item.id in practice_ids:
                message = f"duplicate id: also used in {practice_ids[item.id]}"
                problems.append(Problem(lesson.source, message, item.id, "id"))
            practice_ids[item.id] = lesson.source
    if problems:
        raise BankError(problems)
    return lessons


def _load_lesson(path: Path, problems: list[Problem], localize: Localizer) -> Lesson | None:
    already = len(problems)
    data = read_yaml(path, problems)
    if len(problems) > already:
        return None
    found = schema_problems(path, data, "lesson.schema.json", "practice")
    problems.extend(problem for _, problem in found)
    if any(index is None for index, _ in found):
        return None
    file = str(path)
    if data["id"] != path.stem:
        problems.append(Problem(file, f"must be the file name ({path.stem!r})", None, "id"))
    tagged = [("guideline", data.get("guideline"))]
    for index, section in enumerate(data["sections"]):
        tagged.append((f"sections[{index}].guideline", section.get("guideline")))
        tagged += [
            (f"sections[{index}].body_without", slug) for slug in section.get("body_without", {})
        ]
    for field_name, slug in tagged:
        if slug is not None and slug not in BY_SLUG:
            message = f"unknown guideline {slug!r} (known: {', '.join(BY_SLUG)})"
            problems.append(Problem(file, message, None, field_name))
    for key in ("title", "summary", "sections"):
        for field_name, text in texts_of(data[key], key):
            for name in unknown_placeholders(text):
                problems.append(Problem(file, placeholder_message(name), None, field_name))
    broken = {index for index, _ in found}
    practice = []
    for index, raw in enumerate(data.get("practice", [])):
        if index in broken:
            continue
        raw_problems = list(item_problems(file, {**raw, "points": 1}))
        problems.extend(raw_problems)
        if not raw_problems:
            practice.append(item_from({**raw, "points": 1}, file, localize))
    if len(problems) > already:
        return None
    return Lesson(
        id=data["id"],
        guideline=data.get("guideline"),
        title=localize(data["title"]),
        summary=localize(data["summary"]),
        sections=tuple(
            Section(
                localize(s["heading"]),
                localize(s["body"]),
                s.get("guideline"),
                {slug: localize(body) for slug, body in s.get("body_without", {}).items()},
            )
            for s in data["sections"]
        ),
        practice=tuple(practice),
        source=file,
    )

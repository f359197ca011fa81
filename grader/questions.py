"""The public side of an item: what a learner's widget needs, and nothing that grades.

``build`` writes one ``<notebook>.questions.json`` per assessment beside its notebook;
it holds question texts and options but never a key, an explanation or a rubric.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the learner's kernel imports this module: keep it light
    from grader.bank import Item

SUFFIX = ".questions.json"


def public_question(item: Item) -> dict[str, Any]:
    """The fields of ``item`` a learner may see before grading."""
    question: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind,
        "question": item.question,
        "points": item.points,
    }
    if item.options:
        question["options"] = [{"id": o.id, "text": o.text} for o in item.options]
    if not item.shuffle:
        question["shuffle"] = False
    return question


def questions_json(items: list[Item]) -> str:
    """The questions file's text for these items: stable, sorted, newline-terminated."""
    data = {"questions": [public_question(item) for item in items]}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_questions(path: Path | str) -> dict[str, dict[str, Any]]:
    """The public questions in ``path``, by item id."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {question["id"]: question for question in data["questions"]}

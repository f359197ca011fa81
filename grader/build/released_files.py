"""The files build writes beside each released notebook for the learner's widgets to read.

- ``<assessment>.questions.json``: question texts and options, never a key, an
  explanation or a rubric (the exam is graded later, by nbgrader);
- ``<lesson>.practice.json``: practice scenarios with key and explanation, since practice
  gives instant feedback and is never graded.

Both are stable (sorted keys, one item per entry) so the same bank gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from grader.course.items import Item


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


def practice_json(items: list[Item]) -> str:
    """The practice file of a lesson: question data plus key and explanation (no points:
    practice is never graded)."""
    data = {
        "practice": [
            {
                **{k: v for k, v in public_question(item).items() if k != "points"},
                "guideline": item.guideline,
                "key": list(item.key),
                "explanation": item.explanation,
            }
            for item in items
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

"""Simulated learners: submissions in a course folder, as if learners had answered.

Used by ``grader demo``, the end-to-end tests and the benchmarks. A submission is the
released notebook and questions file copied to ``submitted/<learner>/<assignment>/``
plus an answers file, exactly what ``nbgrader collect`` or an LMS download would give.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.course.items import Item
from grader.course.paths import RELEASE_DIR
from grader.learner.answers import FORMAT_VERSION, answers_path

SAMPLE_WRITTEN_ANSWER = (
    "Thanks for asking! I can't comment on that myself, but our press office can: "
    "press@example.com. I'll make sure your question reaches them."
)


def submit(
    course_root: Path,
    assignment: str,
    learner: str,
    answers: dict[str, Any] | None,
    *,
    answers_text: str | None = None,
    edit_notebook: Callable[[dict], None] | None = None,
    timestamp: datetime | None = None,
) -> Path:
    """Write one learner's submission and return its folder.

    ``answers`` are stored as a valid answers file; ``answers_text`` instead writes the
    file's raw text (to simulate a corrupt file); with neither, no answers file is made.
    ``edit_notebook`` may change the notebook's JSON (to simulate tampering).
    """
    released = Path(course_root) / RELEASE_DIR / assignment
    folder = Path(course_root) / "submitted" / learner / assignment
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(released, folder)
    target = answers_path(folder, assignment)
    if answers is not None:
        data = {"version": FORMAT_VERSION, "answers": answers}
        target.write_text(json.dumps(data, indent=1), encoding="utf-8")
    elif answers_text is not None:
        target.write_text(answers_text, encoding="utf-8")
    if edit_notebook is not None:
        notebook_file = folder / f"{assignment}.ipynb"
        notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
        edit_notebook(notebook)
        notebook_file.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    moment = timestamp or datetime.now(UTC)
    (folder / "timestamp.txt").write_text(moment.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return folder


def correct_answer(item: Item) -> Any:
    """The key as a learner would store it (free text: a sample answer)."""
    if item.kind == "choice":
        return item.key[0]
    if item.kind == "multi-select":
        return list(item.key)
    return SAMPLE_WRITTEN_ANSWER


def wrong_answer(item: Item) -> Any:
    """A valid answer that earns nothing (free text: none given)."""
    wrong = [option_id for option_id in item.option_ids if option_id not in item.key]
    if item.kind == "choice":
        return wrong[0]
    if item.kind == "multi-select":
        return wrong
    return None


def all_right(items: list[Item]) -> dict[str, Any]:
    """Every item answered with its key (free text: a sample answer)."""
    return {item.id: correct_answer(item) for item in items}


def all_wrong(items: list[Item]) -> dict[str, Any]:
    """Every item answered validly but for no points (free text left unanswered)."""
    return {item.id: wrong_answer(item) for item in items if wrong_answer(item) is not None}


def realistic_answers(items: list[Item], skill: float, rng: random.Random) -> dict[str, Any]:
    """Answers of a learner who gets each item right with probability ``skill``.

    Multi-select answers mix right and wrong picks; some items are left unanswered.
    """
    answers: dict[str, Any] = {}
    for item in items:
        if rng.random() < 0.03:
            continue
        if item.kind == "multi-select":
            picked = [o for o in item.key if rng.random() < skill]
            picked += [o for o in item.option_ids if o not in item.key and rng.random() > skill]
            answers[item.id] = sorted(picked)
        elif item.kind == "choice":
            answers[item.id] = correct_answer(item) if rng.random() < skill else wrong_answer(item)
        elif rng.random() < skill + 0.2:
            answers[item.id] = written_answer(item, skill, rng)
    return answers


def written_answer(item: Item, skill: float, rng: random.Random) -> str:
    """A written answer as a learner of ``skill`` might write it: the model answer from a
    strong one, its first sentences from others, so no two learners need write the same."""
    sentences = [s.strip() for s in (item.model_answer or SAMPLE_WRITTEN_ANSWER).split(". ")]
    kept = max(1, round(len(sentences) * min(1.0, skill + rng.uniform(-0.2, 0.2))))
    text = ". ".join(sentences[:kept])
    return text if text.endswith((".", "!", "?")) else text + "."

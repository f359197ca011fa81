"""Turn an assessment of the item bank into its nbgrader source notebook.

Every cell carries nbgrader metadata and a stable id derived from the item id, so the
same bank always gives the same notebook, byte for byte. Per item:

- a locked markdown cell with the scenario (``<item>-scenario``);
- a locked code cell showing the question widget (``<item>-answer``);
- choice and multi-select: a locked autograder test cell (``<item>``) whose hidden part
  carries the key and the points;
- free text: a manually graded markdown answer cell (``<item>``) whose instructor version
  holds the rubric and model answer (nbgrader replaces it with a stub on release).
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from grader.answers import SUFFIX as ANSWERS_SUFFIX
from grader.bank import Assessment, Item
from grader.guidelines import guideline

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
TEST_NOTE = "# This question is scored when your trainer grades the assessment."
TEXT_STUB = "*Type your answer in the box above; it is saved there. Your trainer reads it here.*"


def _metadata(
    grade_id: str, *, grade: bool = False, solution: bool = False, points: float | None = None
) -> dict:
    nbgrader = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        nbgrader["points"] = points
    return {"nbgrader": nbgrader}


def _markdown(grade_id: str, source: str, **nbgrader: object) -> NotebookNode:
    return nbformat.v4.new_markdown_cell(
        source, id=grade_id, metadata=_metadata(grade_id, **nbgrader)
    )


def _code(grade_id: str, source: str, **nbgrader: object) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, id=grade_id, metadata=_metadata(grade_id, **nbgrader))


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def scenario_markdown(number: int, item: Item) -> str:
    """The scenario as the learner reads it, above the question widget."""
    scenario = item.scenario
    parts = [
        f"## Question {number}",
        f"**You are:** {scenario.role}  \n**Where:** {scenario.platform}",
        scenario.situation.strip(),
    ]
    if scenario.post:
        parts.append(_quote(scenario.post))
    return "\n\n".join(parts)


def test_source(notebook: str, item: Item) -> str:
    """The autograder test cell: a visible note and a hidden call carrying the key."""
    options = "".join(f"        {o.id!r}: {o.text!r},\n" for o in item.options)
    return (
        f"{TEST_NOTE}\n"
        "### BEGIN HIDDEN TESTS\n"
        "from grader.check import check_answer\n"
        "\n"
        "check_answer(\n"
        f"    {notebook + ANSWERS_SUFFIX!r},\n"
        f"    item={item.id!r},\n"
        f"    kind={item.kind!r},\n"
        "    options={\n"
        f"{options}"
        "    },\n"
        f"    key={list(item.key)!r},\n"
        f"    points={item.points:g},\n"
        f"    explanation={item.explanation.strip()!r},\n"
        ")\n"
        "### END HIDDEN TESTS"
    )


def rubric_markdown(item: Item) -> str:
    """The instructor version of a free-text answer cell: rubric, model answer, why."""
    lines = [f"**Rubric ({item.points:g} points)**", ""]
    lines += [f"- {c.points:g} pt: {c.criterion.strip()}" for c in item.rubric]
    if item.model_answer:
        lines += ["", "**Model answer**", "", _quote(item.model_answer)]
    lines += ["", f"**Why:** {item.explanation.strip()}"]
    return "\n".join(lines)


def introduction_markdown(assessment: Assessment, items: list[Item]) -> str:
    total = sum(item.points for item in items)
    covered = sorted({guideline(item.guideline).number for item in items})
    return "\n\n".join(
        [
            f"# {assessment.title}",
            assessment.introduction.strip(),
            f"{len(items)} questions, {total:g} points in all, on guidelines "
            f"{', '.join(map(str, covered))}.",
            "**How it works.** Run the notebook from the top (or open it as a web page). "
            "Each answer is saved the moment you give it, so you can stop and come back "
            "later. When you are done, submit the assignment; your trainer grades it and "
            "you receive feedback with an explanation for every question.",
        ]
    )


def assessment_notebook(assessment: Assessment, items: list[Item]) -> NotebookNode:
    """The nbgrader source notebook (instructor version) of one assessment."""
    name = assessment.id
    cells = [
        _markdown("intro", introduction_markdown(assessment, items)),
        _code("setup", f"from grader.widgets import Quiz\n\nquiz = Quiz({name!r})"),
    ]
    for number, item in enumerate(items, start=1):
        cells.append(_markdown(f"{item.id}-scenario", scenario_markdown(number, item)))
        cells.append(_code(f"{item.id}-answer", f"quiz.ask({item.id!r})"))
        if item.kind == "free-text":
            cells.append(
                _markdown(
                    item.id, rubric_markdown(item), grade=True, solution=True, points=item.points
                )
            )
        else:
            cells.append(_code(item.id, test_source(name, item), grade=True, points=item.points))
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    )
    notebook.nbformat_minor = 5
    return notebook

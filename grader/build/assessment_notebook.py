"""Turn an assessment of the item bank into its nbgrader source notebook.

Every cell carries nbgrader metadata and a stable id derived from the item id, so the
same bank always gives the same notebook, byte for byte. Per item:

- a locked markdown cell with the scenario (``<item>-scenario``);
- a locked code cell showing the question widget (``<item>-answer``);
- choice and multi-select: a locked autograder test cell (``<item>``) whose hidden part
  carries the key and the points;
- free text: a manually graded markdown answer cell (``<item>``) whose instructor version
  holds the rubric and model answer in a solution region, which nbgrader removes on release.

An assessment is built once per language; the grade cells keep the item ids, so grades in
either language can be compared item by item.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from grader.course.guidelines import guideline
from grader.course.i18n import message
from grader.course.items import Assessment, Item
from grader.course.paths import ANSWERS_SUFFIX

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"


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


def quote_markdown(text: str) -> str:
    """A post as a Markdown quote; a line starting with # (hashtags) is not a heading."""
    quoted = []
    for line in text.strip().splitlines():
        escaped = "\\" + line if line.startswith("#") else line
        quoted.append(f"> {escaped}" if line.strip() else ">")
    return "\n".join(quoted)


def scenario_markdown(item: Item, language: str, heading: str) -> str:
    """The scenario as the learner reads it, above the question widget."""
    scenario = item.scenario
    you_are, where = message(language, "you_are"), message(language, "where")
    parts = [
        heading,
        f"**{you_are}:** {scenario.role}  \n**{where}:** {scenario.platform}",
        scenario.situation.strip(),
    ]
    if scenario.post:
        parts.append(quote_markdown(scenario.post))
    return "\n\n".join(parts)


def test_source(notebook: str, item: Item, language: str) -> str:
    """The autograder test cell: a visible note and a hidden call carrying the key."""
    options = "".join(f"        {o.id!r}: {o.text!r},\n" for o in item.options)
    return (
        f"{message(language, 'scored_later')}\n"
        "### BEGIN HIDDEN TESTS\n"
        "from grader import check_answer\n"
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
        f"    language={language!r},\n"
        ")\n"
        "### END HIDDEN TESTS"
    )


SETUP_CELL = "setup"
WIDGET_CELL_SUFFIX = "-answer"


def is_widget_cell(grade_id: str | None) -> bool:
    """Whether a cell only draws answer widgets (the setup cell and each question's widget)."""
    return grade_id is not None and (
        grade_id == SETUP_CELL or grade_id.endswith(WIDGET_CELL_SUFFIX)
    )


def rubric_markdown(item: Item, language: str) -> str:
    """The trainer's guide to a written answer: rubric, model answer and why."""
    lines = [f"**{message(language, 'rubric', points=f'{item.points:g}')}**", ""]
    lines += [f"- {c.points:g} pt: {c.criterion.strip()}" for c in item.rubric]
    if item.model_answer:
        lines += [
            "",
            f"**{message(language, 'model_answer')}**",
            "",
            quote_markdown(item.model_answer),
        ]
    lines += ["", f"**{message(language, 'why_heading')}:** {item.explanation.strip()}"]
    return "\n".join(lines)


def answer_cell_source(item: Item, language: str) -> str:
    """The instructor version of a written-answer cell: the learner's stub, then the rubric
    in a solution region that nbgrader removes on release."""
    stub = message(language, "written_answer_stub")
    return f"{stub}\n{BEGIN_SOLUTION}\n{rubric_markdown(item, language)}\n{END_SOLUTION}"


def introduction_markdown(assessment: Assessment, items: list[Item], language: str) -> str:
    total = sum(item.points for item in items)
    covered = sorted({guideline(item.guideline).number for item in items})
    summary = message(
        language,
        "assessment_summary",
        count=len(items),
        points=f"{total:g}",
        numbers=", ".join(map(str, covered)),
    )
    return "\n\n".join(
        [
            f"# {assessment.title}",
            assessment.introduction.strip(),
            summary,
            message(language, "how_it_works"),
        ]
    )


def assessment_notebook(
    assessment: Assessment, items: list[Item], language: str, name: str
) -> NotebookNode:
    """The nbgrader source notebook (instructor version) of one assessment in one language.

    ``name`` is the notebook's (and assignment's) name, e.g. ``certification-exam-nl``.
    """
    cells = [
        _markdown("intro", introduction_markdown(assessment, items, language)),
        _code(
            SETUP_CELL,
            f"from grader import Quiz\n\nquiz = Quiz({name!r}, language={language!r})",
        ),
    ]
    for number, item in enumerate(items, start=1):
        heading = f"## {message(language, 'question_number', number=number)}"
        cells.append(_markdown(f"{item.id}-scenario", scenario_markdown(item, language, heading)))
        cells.append(_code(f"{item.id}{WIDGET_CELL_SUFFIX}", f"quiz.ask({item.id!r})"))
        if item.kind == "free-text":
            source = answer_cell_source(item, language)
            cells.append(_markdown(item.id, source, grade=True, solution=True, points=item.points))
        else:
            source = test_source(name, item, language)
            cells.append(_code(item.id, source, grade=True, points=item.points))
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    )
    notebook.nbformat_minor = 5
    return notebook

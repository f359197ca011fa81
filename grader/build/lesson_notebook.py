"""Turn a lesson module into its notebook for one language.

The notebook reads top to bottom: title and progress, the sections, the organisation's
own note on the guideline (from the settings), the practice scenarios with their widgets,
a pointer to the module's graded exercise, and the progress again. Cell ids derive from
the lesson id, so the same content and settings always give the same notebook.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from grader.build.assessment_notebook import KERNELSPEC, scenario_markdown
from grader.course.guidelines import guideline
from grader.course.i18n import message
from grader.course.items import Assessment
from grader.course.lessons import Lesson
from grader.course.settings import Settings, placeholders


def _markdown(cell_id: str, source: str) -> NotebookNode:
    return nbformat.v4.new_markdown_cell(source.strip(), id=cell_id)


def _code(cell_id: str, source: str) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, id=cell_id)


def lesson_notebook(
    lesson: Lesson,
    language: str,
    settings: Settings,
    exercise: tuple[str, Assessment] | None = None,
) -> NotebookNode:
    """The lesson notebook; ``exercise`` is the graded exercise's assignment name and assessment."""
    title = [f"# {lesson.title}"]
    if lesson.guideline:
        rule = guideline(lesson.guideline)
        title.append(
            f"**{message(language, 'guideline', number=rule.number, title=rule.title(language))}**"
        )
    title.append(f"*{lesson.summary.strip()}*")
    cells = [
        _markdown("title", "\n\n".join(title)),
        _code(
            "setup",
            "from grader import Lesson\n\n"
            f"lesson = Lesson({lesson.id!r}, language={language!r})\n"
            "lesson.progress()",
        ),
    ]
    for number, section in enumerate(lesson.sections, start=1):
        cells.append(_markdown(f"section-{number}", f"## {section.heading}\n\n{section.body}"))
    note = settings.guideline_notes.get(lesson.guideline or "", {}).get(language)
    if note:
        values = placeholders(settings, language)
        heading = message(language, "local_note", organisation=settings.organisation)
        cells.append(_markdown("local-note", f"> **{heading}:** {note.format_map(values)}"))
    if lesson.practice:
        intro = (
            f"## {message(language, 'practice_heading')}\n\n{message(language, 'practice_intro')}"
        )
        cells.append(_markdown("practice", intro))
        for number, item in enumerate(lesson.practice, start=1):
            heading = f"### {message(language, 'situation_number', number=number)}"
            cells.append(
                _markdown(f"{item.id}-scenario", scenario_markdown(item, language, heading))
            )
            cells.append(_code(f"{item.id}-answer", f"lesson.practice({item.id!r})"))
    if exercise is not None:
        assignment, assessment = exercise
        text = message(language, "exercise_text", title=assessment.title, assignment=assignment)
        cells.append(_markdown("exercise", f"## {message(language, 'exercise_heading')}\n\n{text}"))
    cells.append(_markdown("progress-heading", f"## {message(language, 'your_progress')}"))
    cells.append(_code("progress", "lesson.progress()"))
    notebook = nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    notebook.nbformat_minor = 5
    return notebook

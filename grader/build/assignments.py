"""Build step: course content → lesson notebooks, nbgrader source notebooks, learner versions.

``build`` loads and checks the settings, the item bank and the lessons in every language
of the course first (nothing is written when anything is wrong). It then writes

- ``course/<language>/<lesson>.ipynb`` and its practice file, for every lesson;
- ``solutions/<assessment>-<language>/`` (instructor notebook and public questions file),
  for every assessment;

and runs the unmodified ``nbgrader generate_assignment`` into ``exercises/``. Only files
whose content changed are rewritten, and the same input always gives the same bytes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.build.assessment_notebook import assessment_notebook
from grader.build.lesson_notebook import lesson_notebook
from grader.build.released_files import practice_json, questions_json
from grader.course.content import Course, load_course
from grader.course.i18n import split_assignment
from grader.course.item_writing import check_banks
from grader.course.nbgrader_course import run_nbgrader
from grader.course.paths import (
    ANSWERS_SUFFIX,
    LESSONS_DIR,
    PRACTICE_SUFFIX,
    QUESTIONS_SUFFIX,
    SOURCE_DIR,
)
from grader.course.settings import Settings, load_settings
from grader.errors import GraderError


@dataclass(frozen=True)
class BuildResult:
    assignments: list[str]
    written: list[Path]
    item_writing: list[str]  # the bank's item-writing figures, one line per language and scope


def assignment_name(assessment_id: str, language: str) -> str:
    """The nbgrader assignment (and notebook) name of an assessment in one language."""
    return f"{assessment_id}-{language}"


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def generated_files(course_root: Path, assessment_ids: list[str] | None = None) -> dict[Path, str]:
    """Path → text of every file the build generates (raises on malformed content)."""
    return _files(course_root, *_courses(course_root), assessment_ids)


def _courses(course_root: Path) -> tuple[Settings, list[Course]]:
    settings = load_settings(course_root)
    return settings, [load_course(course_root, language) for language in settings.languages]


def _files(
    course_root: Path, settings: Settings, courses: list[Course], assessment_ids: list[str] | None
) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for course in courses:
        language, bank = course.language, course.bank
        wanted = sorted(bank.assessments)
        if assessment_ids:
            wanted = [
                a for name in assessment_ids for a in _wanted(name, bank.assessments, language)
            ]
        for assessment_id in wanted:
            name = assignment_name(assessment_id, language)
            items = bank.items_of(assessment_id)
            notebook = assessment_notebook(bank.assessments[assessment_id], items, language, name)
            folder = course_root / SOURCE_DIR / name
            files[folder / f"{name}.ipynb"] = notebook_text(notebook)
            files[folder / f"{name}{QUESTIONS_SUFFIX}"] = questions_json(items)
        if assessment_ids:
            continue
        for lesson in course.lessons:
            exercise_id = f"exercise-{lesson.id}"
            exercise = None
            if exercise_id in bank.assessments:
                name = assignment_name(exercise_id, language)
                exercise = (name, bank.assessments[exercise_id])
            notebook = lesson_notebook(lesson, language, settings, exercise)
            folder = course_root / LESSONS_DIR / language
            files[folder / f"{lesson.id}.ipynb"] = notebook_text(notebook)
            if lesson.practice:
                files[folder / f"{lesson.id}{PRACTICE_SUFFIX}"] = practice_json(
                    list(lesson.practice)
                )
    if assessment_ids and not files:
        languages = ", ".join(settings.languages)
        raise KeyError(
            f"{', '.join(assessment_ids)}: not built in this course's languages ({languages})"
        )
    return files


def _wanted(name: str, assessments: dict, language: str) -> list[str]:
    """What ``name`` asks to build in ``language``: an assessment id builds every language,
    an assignment name (``certification-exam-en``) only its own; anything else is refused."""
    if name in assessments:
        return [name]
    with contextlib.suppress(KeyError):
        assessment, suffix = split_assignment(name)
        if assessment in assessments:
            return [assessment] if suffix == language else []
    known = ", ".join(sorted(assessments))
    raise KeyError(f"unknown assessment {name!r} (known: {known}, each optionally with -en or -nl)")


class SourceFolderError(GraderError):
    """The source folder holds files nbgrader would hand out to every learner."""


def refuse_answers_files(course_root: Path) -> None:
    """Stop before releasing when an answers file sits in the source folder.

    nbgrader copies every file of ``solutions/<assignment>/`` into the learners' release
    and over each submission when grading, so an answers file left there (a trainer who
    tried the instructor version with an older package) would be every learner's answers.
    """
    found = sorted((course_root / SOURCE_DIR).glob(f"*/*{ANSWERS_SUFFIX}*"))
    if found:
        names = ", ".join(str(path.relative_to(course_root)) for path in found)
        raise SourceFolderError(
            f"answers files in the source folder would be released to every learner: {names};"
            " delete them (or move them out of the course) and build again"
        )


def build(
    course_root: Path | str = ".",
    assessment_ids: list[str] | None = None,
    *,
    release: bool = True,
) -> BuildResult:
    """Generate lessons and assessments (all by default) and release the assessments.

    Raises :class:`grader.course.content_files.BankError` or
    :class:`grader.course.settings.SettingsError` for malformed content and
    :class:`grader.course.item_writing.ItemWritingError` for a bank a test-wise learner can
    pass, before writing anything, and
    :class:`grader.course.nbgrader_course.NbgraderError` when nbgrader fails.
    """
    root = Path(course_root)
    settings, courses = _courses(root)
    files = _files(root, settings, courses, assessment_ids)
    item_writing = check_banks({course.language: course.bank for course in courses})
    refuse_answers_files(root)
    written = []
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    assignments = sorted({p.parent.name for p in files if p.parent.parent.name == SOURCE_DIR})
    if release:
        # One nbgrader run releases everything ("*"); several runs cost a start-up each.
        for pattern in ["*"] if assessment_ids is None else assignments:
            run_nbgrader(root, "generate_assignment", pattern, "--force")
    return BuildResult(assignments=assignments, written=written, item_writing=item_writing)

"""What a quiz page says about itself: its title in the browser's tab, the organisation,
who is taking part (the name the roster gave, else the id of the link) and, on an exam,
how many questions are answered.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import sqlalchemy

from grader.course.paths import LESSONS_DIR, RELEASE_DIR
from grader.course.settings import Settings, load_settings
from grader.learner.widgets import html_widget
from grader.quiz.site import QuizServer
from grader.quiz.texts import answered, text

NAME_WAIT_SECONDS = 2
STUDENT_NAME = sqlalchemy.text("SELECT first_name, last_name FROM student WHERE id = :id")

NAME_LIMIT = 120  # characters of a learner's name or a page title shown


def settings_of(course: Path) -> Settings | None:
    """The organisation settings, read again only when the file changes; None when they
    cannot be read (a page still opens, without the organisation's name)."""
    path = course / "organisation.yaml"
    try:
        return _settings(path, os.stat(path).st_mtime_ns)
    except Exception:
        return None


@lru_cache(maxsize=4)
def _settings(path: Path, _changed: int) -> Settings:
    return load_settings(path.parent)


def notebook_title(notebook: Path) -> str:
    """The first ``# heading`` of a course notebook ("" if it has none)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return ""
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("# "):
                return line[2:].strip()[:NAME_LIMIT]
        return ""
    return ""


def page_notebook(course: Path, params: Mapping[str, str], language: str) -> Path | None:
    """The exam or lesson notebook a link names (the link is checked elsewhere)."""
    from grader.quiz.gate import NAME

    assignment, lesson = params.get("assignment", ""), params.get("lesson", "")
    if assignment and NAME.fullmatch(assignment):
        return course / RELEASE_DIR / assignment / f"{assignment}.ipynb"
    if lesson and NAME.fullmatch(lesson):
        return course / LESSONS_DIR / language / f"{lesson}.ipynb"
    return None


def page_title(course: Path, params: Mapping[str, str], language: str) -> str:
    """The browser tab's title: the exam or lesson, and the organisation."""
    notebook = page_notebook(course, params, language)
    page = notebook_title(notebook) if notebook else ""
    settings = settings_of(course)
    organisation = settings.organisation if settings else ""
    if page and organisation and organisation not in page:
        return text(language, "page_title", page=page, organisation=organisation)
    return page or organisation or "Quiz"


def learner_name(server: QuizServer, learner: str) -> str:
    """The learner's name as the roster gave it to the gradebook, else their id.

    Read with a plain query on nbgrader's ``student`` table: importing nbgrader would
    cost each page kernel more than a second of processor time."""
    if not server.gradebook:
        return learner
    try:
        engine = sqlalchemy.create_engine(server.gradebook, connect_args=_quick(server.gradebook))
        try:
            with engine.connect() as db:
                row = db.execute(STUDENT_NAME, {"id": learner}).first()
        finally:
            engine.dispose()
    except Exception:
        return learner
    name = " ".join(filter(None, row or ())).strip()
    return (name or learner)[:NAME_LIMIT]


def _quick(url: str) -> dict[str, int]:
    """Connection options that give up within seconds (a name is not worth a wait)."""
    if url.startswith("sqlite"):
        return {"timeout": NAME_WAIT_SECONDS}
    if url.startswith("postgresql"):
        return {"connect_timeout": NAME_WAIT_SECONDS}
    return {}


class PageHeader:
    """The strip above a page: organisation, learner and (on an exam) progress."""

    def __init__(self, organisation: str, name: str, language: str, count: int = 0) -> None:
        self.language, self.count = language, count
        self.organisation, self.name = organisation, name
        self.widget = html_widget(self._html(0))
        self.widget.add_class("grader-page-header")

    def answered(self, done: int) -> None:
        self.widget.value = self._html(done)

    def _html(self, done: int) -> str:
        parts = []
        if self.organisation:
            parts.append(f"<span class='grader-org'>{html.escape(self.organisation)}</span>")
        if self.name:
            learner = text(self.language, "learner", name=self.name)
            parts.append(f"<span class='grader-learner'>{html.escape(learner)}</span>")
        if self.count:
            parts.append(progress_html(self.language, done, self.count))
        label = html.escape(text(self.language, "page_header"), quote=True)
        inner = "".join(parts)
        return f"<div class='grader-header' role='group' aria-label='{label}'>{inner}</div>"


def progress_html(language: str, done: int, count: int) -> str:
    """``12 of 32 questions answered`` with a bar that says the same."""
    words = html.escape(answered(language, done, count))
    return (
        f"<span class='grader-answered'><progress value='{done}' max='{count}' "
        f"aria-hidden='true'></progress> <span class='grader-answered-text'>{words}</span></span>"
    )

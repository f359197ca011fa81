"""A lesson as a quiz page: its text and practice, answers kept per learner on the server.
A visitor without a valid link gets no lesson (and no kernel): see :mod:`grader.quiz.gate`.

The lesson ends with links: to its graded exercise, by its title, with a personal link
of the learner's own (same learner, same expiry as the link they came with; exercises
only, never an exam), and to the next lesson with the learner's own link.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlencode

import ipywidgets as widgets

from grader.course.i18n import message
from grader.course.paths import PRACTICE_SUFFIX, RELEASE_DIR
from grader.learner.practice import Lesson
from grader.learner.widgets import html_widget
from grader.quiz.header import PageHeader, notebook_title
from grader.quiz.parts import notebook_parts
from grader.quiz.site import QuizServer
from grader.quiz.texts import text
from grader.quiz.tokens import Claims, load_secret, make_token

EXERCISE_PREFIX = "exercise-"


def lesson_page(
    server: QuizServer,
    notebook: Path,
    language: str,
    claims: Claims,
    organisation: str = "",
    name: str = "",
) -> widgets.Widget:
    """A lesson with its practice; the learner's practice answers kept on the server."""
    learner = claims.learner
    folder = server.lessons_dir(learner, language)
    folder.mkdir(parents=True, exist_ok=True)
    for practice in notebook.parent.glob(f"*{PRACTICE_SUFFIX}"):
        copy = folder / practice.name
        if not copy.exists() or copy.read_bytes() != practice.read_bytes():
            copy.write_bytes(practice.read_bytes())
    lesson = Lesson(notebook.stem, folder, language=language, learner=learner)
    ending = lesson_end(server, notebook, language, claims)
    parts = list(
        notebook_parts(
            notebook,
            lesson.practice,
            {"setup": lesson.progress, "progress": lesson.progress},
            replace={"exercise": lambda: ending},
        )
    )
    if ending not in parts:  # a lesson without a graded exercise
        parts.append(ending)
    header = PageHeader(organisation, name, language)
    return widgets.VBox([header.widget, *parts])


def lesson_end(server: QuizServer, notebook: Path, language: str, claims: Claims) -> widgets.HTML:
    """The graded exercise (by title, linked when a link can be made) and the next lesson."""
    exercise = f"{EXERCISE_PREFIX}{notebook.stem}-{language}"
    released = server.course / RELEASE_DIR / exercise / f"{exercise}.ipynb"
    parts = []
    if released.is_file():
        title = notebook_title(released) or exercise
        token = exercise_token(server, claims, exercise)
        if token is not None:
            link = _link({"assignment": exercise, **token}, title)
            parts.append(f"<p>{html.escape(text(language, 'exercise_ready'))} {link}</p>")
        else:
            parts.append(f"<p>{html.escape(text(language, 'exercise_ask', title=title))}</p>")
        parts.append(f"<p>{html.escape(text(language, 'exercise_counts'))}</p>")
        heading = html.escape(message(language, "exercise_heading"))
        parts.insert(0, f"<h2>{heading}</h2>")
    lessons = sorted(notebook.parent.glob("*.ipynb"))
    later = lessons[lessons.index(notebook) + 1 :] if notebook in lessons else []
    parts.append(f"<h2>{html.escape(text(language, 'next_heading'))}</h2>")
    if later:
        query = {"lesson": later[0].stem, "language": language}
        if claims.expires:
            query["token"] = _own_token(server, claims)
        title = notebook_title(later[0]) or later[0].stem
        parts.append(f"<p>{_link(query, title)}</p>")
    else:
        parts.append(f"<p>{html.escape(text(language, 'course_done'))}</p>")
    return html_widget(f"<div class='grader-lesson-end'>{''.join(parts)}</div>")


def exercise_token(server: QuizServer, claims: Claims, exercise: str) -> dict[str, str] | None:
    """The query's token for a personal link to ``exercise``: made for the learner of the
    link they came with, valid as long as that link; none under JupyterHub (the hub says
    who they are); None when no link can be made (never for an exam)."""
    if not exercise.startswith(EXERCISE_PREFIX):
        return None
    if not claims.expires:  # JupyterHub: no token needed
        return {}
    try:
        secret = load_secret(server.secret_file, create=False)
    except Exception:
        return None
    return {"token": make_token(secret, claims.learner, exercise, claims.expires)}


def _own_token(server: QuizServer, claims: Claims) -> str:
    secret = load_secret(server.secret_file, create=False)
    return make_token(secret, claims.learner, claims.assignment, claims.expires)


def _link(query: dict[str, str], title: str) -> str:
    """A link to another page of this site (relative: same server, same base URL)."""
    href = html.escape("?" + urlencode(query), quote=True)
    return f"<a href='{href}'>{html.escape(title)}</a>"

"""What every quiz page is made of: Markdown rendered on the server, a course notebook's
cells as widgets, short notices for the learner, and callbacks that log a failure on the
server instead of showing a traceback.
"""

from __future__ import annotations

import functools
import html
import json
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import mistune

from grader.course.i18n import message
from grader.learner.widgets import html_widget


def log_error(context: str) -> None:
    """The current exception's traceback, in the server's log (never in the page)."""
    print(f"grader quiz page: {context}", file=sys.__stderr__)
    traceback.print_exc(file=sys.__stderr__)
    sys.__stderr__.flush()


def notice(text: str, role: str = "alert") -> widgets.HTML:
    """A short message for the learner, read out by screen readers."""
    return widgets.HTML(
        f"<div role='{role}' class='grader-notice' style='font-size: 1.1em; "
        f"padding: 1em; border-left: 4px solid #9a6700; background: #fff8c5;'>"
        f"{html.escape(text)}</div>"
    )


def friendly(language: str, status: Callable[[], widgets.HTML]):
    """Wrap a widget callback: a failure is logged and shown in ``status()``, not raised."""

    def wrap(callback):
        @functools.wraps(callback)
        def run(*args: Any) -> None:
            try:
                callback(*args)
            except Exception:
                log_error(f"callback {callback.__name__} failed")
                status().value = notice(message(language, "page_error")).value

        return run

    return wrap


def markdown(text: str) -> widgets.HTML:
    """Markdown as an HTML widget, rendered here and styled as JupyterLab styles Markdown
    (one small model, where an output widget would make the browser render it again)."""
    rendered = mistune.html(text)
    return html_widget(f"<div class='jp-RenderedHTMLCommon jp-RenderedMarkdown'>{rendered}</div>")


def notebook_parts(
    notebook_file: Path,
    answer: Callable[[str], widgets.Widget],
    code: Mapping[str, Callable],
    text: Callable[[str], str] = str,
) -> Iterator[widgets.Widget]:
    """The page of a course notebook, part by part: its text as Markdown, its question
    cells as widgets.

    Cells ``<item>-answer`` become ``answer(item)``; other code cells named in ``code``
    become ``code[name]()``; grade cells and the rest are left out. ``text`` may adapt
    Markdown written for JupyterLab to the web page. Parts are made as they are taken.
    """
    cells = json.loads(notebook_file.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        name = meta.get("grade_id") or cell.get("id", "")
        if meta.get("grade"):
            continue
        if cell["cell_type"] == "markdown":
            yield markdown(text("".join(cell["source"])))
        elif name.endswith("-answer"):
            yield answer(name.removesuffix("-answer"))
        elif name in code:
            yield code[name]()

"""What every quiz page is made of: Markdown rendered on the server, a course notebook's
cells as widgets, short notices for the learner, and callbacks that log a failure on the
server instead of showing a traceback.

Emoji in course texts are each wrapped in ``<span role="img" aria-label="name">``: a
screen reader says the name, and the page's ``page.js`` shows ``[name]`` where the
learner's machine has no font to draw it.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
import sys
import traceback
import unicodedata
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


# A pictographic character, with its variation selector, skin tone or joined partners;
# or a flag (two regional indicators).
_PICTURE = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]"
_FLAG = "[\U0001f1e6-\U0001f1ff]{2}"
EMOJI = re.compile(f"{_FLAG}|{_PICTURE}(?:[\ufe0f\U0001f3fb-\U0001f3ff]|\u200d{_PICTURE})*")
TAG = re.compile(r"(<[^>]*>)")
FOCUS_COUNTER = itertools.count(1)


def emoji_name(emoji: str) -> str:
    """What an emoji is called (its first character's Unicode name, in lower case)."""
    if re.fullmatch(_FLAG, emoji):
        return "flag " + "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in emoji)
    return unicodedata.name(emoji[0], "emoji").lower()


def mark_emoji(rendered: str) -> str:
    """HTML with each emoji in its text (never in a tag) wrapped as a named image."""

    def wrap(found: re.Match[str]) -> str:
        name = html.escape(emoji_name(found.group()), quote=True)
        return (
            f"<span class='grader-emoji' role='img' aria-label='{name}' lang='en'>"
            f"{found.group()}</span>"
        )

    parts = TAG.split(rendered)
    return "".join(part if part.startswith("<") else EMOJI.sub(wrap, part) for part in parts)


def focus_mark() -> str:
    """An attribute that has ``page.js`` move the focus to its element once it is shown
    (a new value each time, so each result or question gets the focus once)."""
    return f"data-grader-focus='{next(FOCUS_COUNTER)}' tabindex='-1'"


def focus_class(widget: widgets.DOMWidget) -> None:
    """The same for a widget that is not HTML (a button): a class of its own."""
    for name in [n for n in widget._dom_classes if n.startswith("grader-focus-")]:
        widget.remove_class(name)
    widget.add_class(f"grader-focus-{next(FOCUS_COUNTER)}")


def markdown(text: str) -> widgets.HTML:
    """Markdown as an HTML widget, rendered here and styled as JupyterLab styles Markdown
    (one small model, where an output widget would make the browser render it again)."""
    return html_widget(markdown_html(text))


@functools.lru_cache(maxsize=2048)  # the same texts on every page of a course
def markdown_html(text: str) -> str:
    rendered = mark_emoji(mistune.html(text))
    return f"<div class='jp-RenderedHTMLCommon jp-RenderedMarkdown'>{rendered}</div>"


def notebook_parts(
    notebook_file: Path,
    answer: Callable[[str], widgets.Widget],
    code: Mapping[str, Callable],
    text: Callable[[str], str] = str,
    replace: Mapping[str, Callable[[], widgets.Widget | None]] | None = None,
) -> Iterator[widgets.Widget]:
    """The page of a course notebook, part by part: its text as Markdown, its question
    cells as widgets.

    Cells ``<item>-answer`` become ``answer(item)``; other code cells named in ``code``
    become ``code[name]()``; grade cells and the rest are left out. ``text`` may adapt
    Markdown written for JupyterLab to the web page; a Markdown cell whose id is in
    ``replace`` becomes ``replace[id]()`` instead (left out when that is None). Parts are
    made as they are taken.
    """
    cells = json.loads(notebook_file.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        name = meta.get("grade_id") or cell.get("id", "")
        if meta.get("grade"):
            continue
        if cell["cell_type"] == "markdown" and replace and cell.get("id") in replace:
            part = replace[cell["id"]]()
            if part is not None:
                yield part
        elif cell["cell_type"] == "markdown":
            yield markdown(text("".join(cell["source"])))
        elif name.endswith("-answer"):
            yield answer(name.removesuffix("-answer"))
        elif name in code:
            yield code[name]()

"""A quiz page's first paint: its widgets written out as plain HTML, shown at once.

Voila's front end needs a second or two before live widgets answer (its JavaScript, the
kernel connection, every widget's state). The page therefore starts as a snapshot of the
same widgets, rendered into the HTML Voila sends: the learner reads and answers at once.
When the live widgets are drawn, ``snapshot.js`` (beside the ``quiz`` Voila template)
hands every answer given so far to them, where it is saved as usual, and removes the
snapshot. Nothing is saved from the snapshot itself.

The snapshot holds exactly what the widgets show, so it carries nothing the widgets do
not (no keys, no explanations). The page is built :func:`unconnected`: its widgets reach
the browser only when :func:`connect` sends them, after the snapshot has gone out.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import ipywidgets as widgets
from IPython.display import HTML

from grader.course.i18n import message
from grader.learner.option_group import OptionGroup

SNAPSHOT_METADATA = "grader-snapshot"  # the ``quiz`` template writes such outputs as HTML
LIVE_CLASS = "grader-live"  # the widget the snapshot stands in for


def attribute(text: str) -> str:
    return html.escape(text, quote=True)


class SnapshotWriter:
    """Writes one widget tree as HTML; option groups are numbered in the order written.

    ``styles`` collects the style sheets of the widgets written (an option group's is
    ``option_group.css``, the very rules its live widget uses: the first paint is laid
    out as the live page will be).
    """

    def __init__(self) -> None:
        self.groups = itertools.count(1)
        self.styles: dict[str, str] = {}

    def write(self, widget: widgets.Widget) -> Iterator[str]:
        layout = getattr(widget, "layout", None)
        if layout is not None and layout.display == "none":
            return
        if isinstance(widget, widgets.Box):
            yield from self.box(widget)
        elif isinstance(widget, widgets.HTML | widgets.HTMLMath):
            yield f"<div class='grader-snap-html'>{widget.value}</div>"
        elif isinstance(widget, widgets.Label):
            yield f"<div class='grader-snap-html'>{html.escape(widget.value)}</div>"
        elif isinstance(widget, OptionGroup):
            yield from self.option_group(widget)
        elif isinstance(widget, widgets.Textarea):
            yield self.textarea(widget)
        elif isinstance(widget, widgets.Button):
            yield f"<button type='button' disabled>{html.escape(widget.description)}</button>"
        elif isinstance(widget, widgets.IntProgress | widgets.FloatProgress):
            yield (
                f"<progress value='{widget.value - widget.min}' "
                f"max='{widget.max - widget.min}'></progress>"
            )

    def box(self, box: widgets.Box) -> Iterator[str]:
        kind = "grader-snap-row" if isinstance(box, widgets.HBox) else "grader-snap-box"
        classes = " ".join([kind, *(f"snap-{name}" for name in box._dom_classes)])
        yield f"<div class='{attribute(classes)}'>"
        for child in box.children:
            yield from self.write(child)
        yield "</div>"

    def option_group(self, group: OptionGroup) -> Iterator[str]:
        """The markup ``option_group.js`` draws, with the answer shown so far."""
        self.styles["options"] = str(group._css)
        name = f"grader-snap-{next(self.groups)}"
        kind, role, field = (
            ("many", "group", "checkbox") if group.multiple else ("one", "radiogroup", "radio")
        )
        yield (
            f"<div class='grader-options-widget'><fieldset class='grader-options"
            f" grader-options-{kind}' role='{role}' aria-labelledby='{name}-legend'>"
            f"<legend class='grader-legend' id='{name}-legend'>"
        )
        if group.heading:
            yield f"<span class='grader-visually-hidden'>{html.escape(group.heading)}: </span>"
        yield f"<span class='grader-legend-text'>{html.escape(group.question)}</span>"
        if group.points:
            yield f" <span class='grader-points'>{html.escape(group.points)}</span>"
        yield "</legend>"
        for place, text in enumerate(group.options):
            checked = " checked" if str(place) in group.picked else ""
            yield (
                f"<label class='grader-option'><input type='{field}' name='{name}'"
                f" value='{place}'{checked}><span class='grader-option-text'>"
                f"{html.escape(text)}</span></label>"
            )
        yield "</fieldset></div>"

    @staticmethod
    def textarea(area: widgets.Textarea) -> str:
        return (
            f"<textarea rows='{area.rows or 6}' aria-label='{attribute(area.description)}'"
            f" placeholder='{attribute(area.placeholder)}'>{html.escape(area.value)}</textarea>"
        )


def snapshot_html(page: widgets.Widget, language: str, status: str = "") -> str:
    """The page as HTML, with the texts ``snapshot.js`` shows while it waits; ``status``
    (HTML) replaces the line saying the page is connecting."""
    status = status or html.escape(message(language, "page_connecting"))
    writer = SnapshotWriter()
    body = "".join(writer.write(page))
    styles = "".join(f"<style>{css}</style>" for css in writer.styles.values())
    return (
        f"<div class='grader-snapshot'"
        f" data-pending='{attribute(message(language, 'page_pending'))}'"
        f" data-stalled='{attribute(message(language, 'page_stalled'))}'>"
        f"<p class='grader-snap-connecting' role='status'>{status}</p>{styles}{body}</div>"
    )


def snapshot_output(page: widgets.Widget, language: str) -> tuple[HTML, dict[str, bool]]:
    """What to display before ``page``: the snapshot and the metadata marking it; ``page``
    is marked as the widget the snapshot stands in for."""
    page.add_class(LIVE_CLASS)
    return HTML(snapshot_html(page, language)), {SNAPSHOT_METADATA: True}


@contextmanager
def unconnected() -> Iterator[None]:
    """Widgets made inside are not sent to the browser until :func:`connect` sends them.

    Sending a widget (its comm and whole state) is most of the time a page takes to
    build; this way the snapshot goes out first. Changing an unsent widget sends
    nothing (ipywidgets sends changes only over an open comm).
    """
    send = widgets.Widget.open
    widgets.Widget.open = _not_yet
    try:
        yield
    finally:
        widgets.Widget.open = send


def _not_yet(widget: widgets.Widget) -> None:
    """``Widget.open`` inside :func:`unconnected`."""


def connect(widget: widgets.Widget) -> None:
    """Send ``widget`` and every widget it holds, inner ones first (a widget's state names
    the widgets it holds by their comm)."""
    seen: set[int] = set()

    def send(each: widgets.Widget) -> None:
        if id(each) in seen:
            return
        seen.add(id(each))
        for name in each.keys:
            value = getattr(each, name)
            for inner in value if isinstance(value, list | tuple) else (value,):
                if isinstance(inner, widgets.Widget):
                    send(inner)
        each.open()

    send(widget)

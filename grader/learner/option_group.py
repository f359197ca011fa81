"""The options of a choice or multi-select question: one anywidget, native form controls.

The browser draws a ``<fieldset>`` named by its ``<legend>`` (the question's heading, such
as "Question 5", for screen readers, then the question) with one native radio button or
checkbox per option inside its ``<label>``: arrow keys move within a radio group, Tab
between groups, Space ticks a box, and the whole label is the tap target. The front end
is ``option_group.js`` and ``option_group.css`` beside this module.

The browser never sees an option id (they can hint at the key): it knows the options by
their place on screen, ``"0"``, ``"1"``, ..., and sends back those it shows picked. What it
sends is checked as any answer is (:func:`grader.learner.answers.answer_problem`) and, when
refused, undone; only a valid pick becomes :attr:`OptionGroup.value`, in option ids.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from grader.learner.answers import answer_problem

HERE = Path(__file__).parent


def exact_list(value: Any, _widget: object) -> list[Any]:
    """A list as the browser sent it: traitlets would make ``"01"`` into ``["0", "1"]``."""
    if type(value) is not list:
        raise traitlets.TraitError(f"picked must be a list, not {type(value).__name__}")
    return value


class OptionGroup(anywidget.AnyWidget):
    """Pick one option (radio buttons) or, if ``multiple``, any number (checkboxes).

    ``value`` is the picked option id or None, or with ``multiple`` a list of option ids.
    """

    # anywidget gives each widget these as traits of its own, which builds a new class
    # per widget (1.4 ms each, 45 ms for an exam's page): here they are the class's.
    _esm = traitlets.Unicode((HERE / "option_group.js").read_text("utf-8")).tag(sync=True)
    _css = traitlets.Unicode((HERE / "option_group.css").read_text("utf-8")).tag(sync=True)
    _anywidget_id = traitlets.Unicode(f"{__name__}.OptionGroup").tag(sync=True)

    heading = traitlets.Unicode("").tag(sync=True)  # read out before the question
    question = traitlets.Unicode("").tag(sync=True)
    points = traitlets.Unicode("").tag(sync=True)
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)  # texts, in the order shown
    multiple = traitlets.Bool(False).tag(sync=True)
    # The places of the picked options ("0" is the first shown).
    picked = traitlets.List(traitlets.Unicode()).tag(sync=True, from_json=exact_list)
    value = traitlets.Any(None)  # never sent: option ids

    def __init__(
        self, option_ids: list[str], texts: list[str], language: str = "en", **traits: Any
    ) -> None:
        self.option_ids = list(option_ids)
        self.places = [str(place) for place in range(len(self.option_ids))]
        self.language = language
        self._refused: list[Callable[[str], None]] = []
        super().__init__(options=list(texts), **traits)

    def add_traits(self, **traits: Any) -> None:
        """anywidget's traits are the class's already (see ``_anywidget_id``)."""
        own = ("_esm", "_css", "_anywidget_id")
        rest = {name: trait for name, trait in traits.items() if name not in own}
        if rest:
            super().add_traits(**rest)

    @property
    def kind(self) -> str:
        return "multi-select" if self.multiple else "choice"

    def on_refused(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(reason)`` when the browser sends a pick that is not valid."""
        self._refused.append(callback)

    @traitlets.validate("value")
    def _check_value(self, proposal: traitlets.Bunch) -> Any:
        value = proposal["value"]
        problem = None if value is None else answer_problem(self.kind, self.option_ids, value)
        if problem:
            raise traitlets.TraitError(problem)
        return value

    @traitlets.observe("value")
    def _show_value(self, change: traitlets.Bunch) -> None:
        value = change["new"]
        ids = [] if value is None else value if self.multiple else [value]
        self.picked = [self.places[self.option_ids.index(option_id)] for option_id in ids]

    @traitlets.observe("picked")
    def _take_pick(self, change: traitlets.Bunch) -> None:
        """What the browser sent, as the same kind of answer by place: valid, or undone."""
        sent: Any = list(change["new"])
        if not self.multiple:
            sent = sent[0] if len(sent) == 1 else sent or None
        problem = (
            None if sent is None else answer_problem(self.kind, self.places, sent, self.language)
        )
        if problem:
            self._show_value(traitlets.Bunch(new=self.value))
            for callback in self._refused:
                callback(problem)
            return
        if sent is None or self.multiple:
            self.value = None if sent is None else [self.option_ids[int(key)] for key in sent]
        else:
            self.value = self.option_ids[int(sent)]

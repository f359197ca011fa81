"""One rule for learner ids, wherever they come from: the roster, an LMS mapping, a folder
name in a download or in the exchange.

A learner id names folders (``submitted/<id>/``) and exchange entries (``<id>+…``), so it
is a plain name: letters, digits, ``.``, ``_``, ``@`` and ``-``, starting with a letter or
digit, at most 100 characters. ``..``, ``.hidden``, ``a/b`` and ``a+b`` are refused.
"""

from __future__ import annotations

import re

from grader.errors import GraderError

LEARNER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")


class LearnerIdError(GraderError, ValueError):
    """A learner id that could not safely name a folder."""


def learner_id_problem(value: object) -> str | None:
    """Why ``value`` is not a valid learner id, or None when it is."""
    if not isinstance(value, str) or not value:
        return "is empty"
    if not LEARNER_ID.fullmatch(value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return (
            f"{shown!r} is not a valid learner id (letters, digits, '.', '_', '@' and '-',"
            " starting with a letter or digit, at most 100 characters)"
        )
    return None


def checked_learner_id(value: object, where: str) -> str:
    """``value`` when it is a valid learner id; otherwise :class:`LearnerIdError` naming
    ``where`` it came from."""
    problem = learner_id_problem(value)
    if problem:
        raise LearnerIdError(f"{where}: learner id {problem}")
    return value  # type: ignore[return-value]

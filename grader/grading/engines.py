"""One SQLAlchemy engine per database in a process, so each query is compiled once.

SQLAlchemy compiles a statement once per engine and keeps it in that engine's cache.
nbgrader makes a new engine for every :class:`nbgrader.api.Gradebook` it opens, about ten
per graded submission, so every query is compiled again each time: a quarter of a warm
worker's time per submission. Callers still dispose the engine when they are done, as
nbgrader does: that closes its connections (a gradebook file replaced meanwhile is the
one opened next) and keeps the compiled statements.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

_engines: dict[tuple[str, tuple[tuple[str, Any], ...]], Engine] = {}
_lock = threading.Lock()


def shared_engine(db_url: str, **options: Any) -> Engine:
    """This process's engine for ``db_url`` with ``options`` (``create_engine``'s), made on
    first use."""
    key = (str(db_url), tuple(sorted(options.items())))
    with _lock:
        if key not in _engines:
            _engines[key] = create_engine(db_url, **options)
        return _engines[key]

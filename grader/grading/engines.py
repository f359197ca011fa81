"""One SQLAlchemy engine per database in a process, so each query is compiled once.

SQLAlchemy compiles a statement once per engine and keeps it in that engine's cache.
nbgrader makes a new engine for every :class:`nbgrader.api.Gradebook` it opens, about ten
per graded submission, so every query is compiled again each time: a quarter of a warm
worker's time per submission. An SQLite engine keeps no connection between uses, so
a gradebook file that was replaced (restored from a backup, say) is the one opened
next, even after a call that failed; other databases keep a pool, which callers dispose
of when done, as nbgrader does.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import create_engine, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

_engines: dict[tuple[str, str], Engine] = {}
_lock = threading.Lock()


def shared_engine(db_url: str, **options: Any) -> Engine:
    """This process's engine for ``db_url`` with ``options`` (``create_engine``'s), made on
    first use."""
    key = (str(db_url), repr(sorted(options.items())))
    with _lock:
        if key not in _engines:
            if make_url(db_url).get_backend_name() == "sqlite":
                options = {"poolclass": NullPool, **options}
            _engines[key] = create_engine(db_url, **options)
        return _engines[key]

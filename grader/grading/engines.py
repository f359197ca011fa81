"""One SQLAlchemy engine per database in a process, so each query is compiled once.

SQLAlchemy compiles a statement once per engine and keeps it in that engine's cache.
nbgrader makes a new engine for every :class:`nbgrader.api.Gradebook` it opens, about ten
per graded submission, so every query is compiled again each time: a quarter of a warm
worker's time per submission. Callers still dispose of the engine when done, as nbgrader
does. A pooled SQLite connection whose file has been replaced since it was opened (a
gradebook restored from a backup, say) is never handed out again, even when a call that
failed left it in the pool: the next one opens the file that is there now.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

_engines: dict[tuple[str, str], Engine] = {}
_lock = threading.Lock()


def shared_engine(db_url: str, **options: Any) -> Engine:
    """This process's engine for ``db_url`` with ``options`` (``create_engine``'s), made on
    first use."""
    key = (str(db_url), repr(sorted(options.items())))
    with _lock:
        if key not in _engines:
            _engines[key] = _watched(create_engine(db_url, **options))
        return _engines[key]


def _watched(engine: Engine) -> Engine:
    """An SQLite file engine whose pool drops connections to a file that was replaced."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return engine
    path = url.database.removeprefix("file:").split("?")[0]

    def file_identity() -> tuple[int, int] | None:
        try:
            status = os.stat(path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    @event.listens_for(engine, "connect")
    def remember_file(_connection: Any, record: Any) -> None:
        record.info["file"] = file_identity()

    @event.listens_for(engine, "checkout")
    def same_file(_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.get("file") != file_identity():
            raise DisconnectionError("the gradebook file was replaced")

    return engine

"""What autograde runs record beside nbgrader's tables, in the gradebook's own database
(SQLite or PostgreSQL alike), so that a run can be trusted without watching it:

- a lock per submission: a second run of the same assignment stops at once and says who
  holds it (a single learner's grading waits for it); a lock left by a run that was
  killed on this machine is taken over;
- per submission, the digest of the files that were graded, or none while a worker is
  grading it. A run that was killed midway leaves "being graded" behind: the next run
  grades that submission again, and readers treat it as not graded, never half graded.
  "Unchanged" means the same digest, not an older timestamp. The digest covers the
  instructor version's tests too, so after a key is fixed (and ``grader build`` run) every
  submission graded with the old key is graded again, and the run says why.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import socket
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    inspect,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from grader.errors import GraderError
from grader.grading.engines import shared_engine

METADATA = MetaData()
LOCKS = Table(
    "grader_autograde_locks",
    METADATA,
    Column("assignment", String(128), primary_key=True),
    Column("learner", String(128), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("since", DateTime, nullable=False),
)
GRADED = Table(
    "grader_graded_submissions",
    METADATA,
    Column("assignment", String(128), primary_key=True),
    Column("learner", String(128), primary_key=True),
    Column("digest", String(64), nullable=True),  # None: being graded (or interrupted)
    Column("updated", DateTime, nullable=False),
)


BUSY_SECONDS = 60  # how long a gradebook busy with other writers is waited for


class AssignmentLocked(GraderError):
    """Another autograde run is grading the same assignment."""


def create_tables(engine: Engine, metadata: MetaData, tables: list[Table] | None = None) -> None:
    """Create missing tables, when another process may be doing the same at this moment
    (two runs started together): "already exists" is success, a busy SQLite is waited for."""
    for attempt in range(50):
        try:
            metadata.create_all(engine, tables=tables)
            return
        except (OperationalError, ProgrammingError, IntegrityError) as error:
            # PostgreSQL reports a table another process is creating at this moment as
            # a duplicate key in its catalogue (pg_type), an IntegrityError.
            if "already exists" in str(error).lower() or "duplicate" in str(error).lower():
                continue  # the other process made it: check again, then go on
            if attempt == 49 or "locked" not in str(error).lower():
                raise
            time.sleep(0.1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def grading_lock(
    db_url: str,
    assignment: str,
    learners: list[str],
    *,
    take_over: bool = False,
    wait_seconds: float = 0.0,
) -> Iterator[None]:
    """Hold the grading lock of these learners' submissions for the ``with`` block.

    All or none are taken. Raises :class:`AssignmentLocked` naming the run that holds one
    of them, after waiting up to ``wait_seconds`` for it. Locks of a run that died on this
    machine are taken over; ``take_over`` takes any (for a run that died elsewhere).
    """
    engine = shared_engine(db_url)
    create_tables(engine, METADATA, [LOCKS, GRADED])
    me = {"holder": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid()}
    deadline = time.monotonic() + wait_seconds
    busy_until = time.monotonic() + max(wait_seconds, BUSY_SECONDS)
    acquired = False
    try:
        while learners and not acquired:
            since = _now()
            rows = [
                {**me, "assignment": assignment, "learner": n, "since": since} for n in learners
            ]
            try:
                with engine.begin() as db:
                    db.execute(LOCKS.insert(), rows)
                acquired = True
            except OperationalError:  # SQLite busy with another writer: try again
                if time.monotonic() >= busy_until:
                    raise  # not busy after all (a read-only gradebook, say): say so
                time.sleep(0.2)
            except IntegrityError:
                held = _holders(engine, assignment, learners)
                live = [row for row in held if not (take_over or _stale(row, me["host"]))]
                if not live:
                    _release(engine, assignment, [(row.learner, row.pid, row.host) for row in held])
                elif time.monotonic() < deadline:
                    time.sleep(0.5)
                else:
                    first = live[0]
                    raise AssignmentLocked(
                        f"another autograde run is grading {assignment} ({first.learner} and "
                        f"{len(live) - 1} more): {first.holder}, process {first.pid} on "
                        f"{first.host}, since {first.since:%Y-%m-%d %H:%M} UTC; wait for it to"
                        " finish (if it was stopped on another machine, run again with"
                        " --take-over)"
                    ) from None
        yield
    finally:
        if acquired:
            _release(engine, assignment, [(name, me["pid"], me["host"]) for name in learners])
        engine.dispose()


def _holders(engine: Engine, assignment: str, learners: list[str]) -> list:
    with engine.connect() as db:
        query = select(LOCKS).where(
            (LOCKS.c.assignment == assignment) & LOCKS.c.learner.in_(learners)
        )
        return list(db.execute(query))


def _stale(row, host: str) -> bool:
    return row.host == host and not _alive(row.pid)


def _release(engine: Engine, assignment: str, held: list[tuple[str, int, str]]) -> None:
    with engine.begin() as db:
        for learner, pid, host in held:
            db.execute(
                delete(LOCKS).where(
                    (LOCKS.c.assignment == assignment)
                    & (LOCKS.c.learner == learner)
                    & (LOCKS.c.pid == pid)
                    & (LOCKS.c.host == host)
                )
            )


def _set_digest(db_url: str, assignment: str, learner: str, digest: str | None) -> bool:
    """Replace the submission's record; whether it had one."""
    engine = shared_engine(db_url)
    try:
        create_tables(engine, METADATA, [GRADED])
        key = (GRADED.c.assignment == assignment) & (GRADED.c.learner == learner)
        with engine.begin() as db:
            had_record = db.execute(delete(GRADED).where(key)).rowcount > 0
            db.execute(
                GRADED.insert().values(
                    assignment=assignment, learner=learner, digest=digest, updated=_now()
                )
            )
        return had_record
    finally:
        engine.dispose()


def mark_being_graded(db_url: str, assignment: str, learner: str) -> bool:
    """Record that ``learner``'s submission is being graded (until :func:`mark_graded`).

    Returns whether it had a record already: graded before, or being graded by a worker
    that was stopped midway (so nbgrader must grade it again in full, whatever its dates).
    """
    return _set_digest(db_url, assignment, learner, None)


def mark_graded(db_url: str, assignment: str, learner: str, digest: str) -> None:
    """Record that the submission with ``digest`` has been graded in full."""
    _set_digest(db_url, assignment, learner, digest)


def graded_digests(db_url: str, assignment: str) -> dict[str, str | None]:
    """Learner → digest of the graded submission (None: being graded or interrupted).

    Reads only: a gradebook without these records (or a read-only one) gives ``{}``.
    """
    engine = shared_engine(db_url)
    try:
        if not inspect(engine).has_table(GRADED.name):
            return {}
        with engine.connect() as db:
            rows = db.execute(
                select(GRADED.c.learner, GRADED.c.digest).where(GRADED.c.assignment == assignment)
            )
            return {row.learner: row.digest for row in rows}
    finally:
        engine.dispose()


def submission_digest(folder: Path) -> str:
    """SHA-256 over the names and contents of the regular files of a submission folder."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        if stat.S_ISREG(status.st_mode):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def tests_digest(source_folder: Path) -> str:
    """SHA-256 over the autograded test cells of an assignment's instructor notebooks: it
    changes when a key, an option or a point value changes, and with nothing else."""
    digest = hashlib.sha256()
    for path in sorted(source_folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            nbgrader = cell.get("metadata", {}).get("nbgrader", {})
            if nbgrader.get("grade") and not nbgrader.get("solution"):
                source = cell.get("source", "")
                text = source if isinstance(source, str) else "".join(source)
                digest.update(f"{nbgrader.get('grade_id')}\0{nbgrader.get('points')}\0".encode())
                digest.update(text.encode() + b"\0")
    return digest.hexdigest()


def graded_record(submission: str, tests: str) -> str:
    """What is recorded for a graded submission: its files and the tests that graded them."""
    return submission[: len(submission) // 2] + tests[: len(tests) // 2]


def graded_as(recorded: str | None, submission: str, tests: str) -> str:
    """``same``, ``tests changed`` (same files, other tests) or ``changed``.

    A record from before the tests were recorded is the submission's whole digest: the
    same files count as the same, as they did then.
    """
    if recorded in (submission, graded_record(submission, tests)):
        return "same"
    if recorded and recorded[: len(submission) // 2] == submission[: len(submission) // 2]:
        return "tests changed"
    return "changed"

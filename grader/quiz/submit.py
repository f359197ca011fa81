"""Submitting an exam taken in the browser: an nbgrader submission, graded by nbgrader.

The learner's answers (kept by the quiz server) go into an ordinary submission folder,
``submitted/<learner>/<assignment>/`` with the released notebook, the answers file and
nbgrader's ``timestamp.txt`` (so late penalties apply), exactly what ``nbgrader collect``
gives. nbgrader's autograder then grades that learner into the course's gradebook, and
the result is read back from it. Lock files, shared by every page kernel, keep each
learner's attempts in order and let as many submissions be graded at once as the server
has cores; the rest wait their turn.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.course.i18n import message
from grader.course.paths import RELEASE_DIR
from grader.course.points import total
from grader.errors import GraderError
from grader.learner.answers import (
    FORMAT_VERSION,
    AnswerRefused,
    AnswersFileError,
    answers_path,
    read_answers,
    save_answer,
    write_json_atomically,
)
from grader.quiz.grading_request import grade_by_server
from grader.quiz.site import QuizServer

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # what nbgrader writes and reads
SLOT_WAIT_SECONDS = 0.25
LOCK_WAIT_SECONDS = 600


class NoAttemptsLeft(GraderError):
    """The learner has used every attempt the settings allow."""


class GradingFailed(GraderError):
    """nbgrader could not grade the submission; the message carries its reason."""


@dataclass(frozen=True)
class ItemResult:
    """One graded item: its score (``None`` while a trainer still has to grade it)."""

    item: str
    score: float | None
    max_score: float
    feedback: str = ""


@dataclass(frozen=True)
class Result:
    """A learner's graded submission as the gradebook holds it."""

    learner: str
    assignment: str
    timestamp: str
    items: list[ItemResult] = field(default_factory=list)
    # Its view for the page (grader.quiz.result.slotted_view) when the grading worker made it.
    view: str = field(default="", compare=False)

    @property
    def score(self) -> float:
        return total(item.score or 0.0 for item in self.items)

    @property
    def max_score(self) -> float:
        return total(item.max_score for item in self.items)

    @property
    def pending(self) -> int:
        return sum(1 for item in self.items if item.score is None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        items = [ItemResult(**item) for item in data["items"]]
        return cls(
            data["learner"], data["assignment"], data["timestamp"], items, data.get("view", "")
        )


def attempts_used(server: QuizServer, assignment: str, learner: str) -> list[str]:
    """The times (ISO, UTC) of this learner's submissions of ``assignment``."""
    import json

    path = server.attempts_file(assignment, learner)
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["submitted"])


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (made if missing), held across all page kernels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def learner_lock(server: QuizServer, assignment: str, learner: str) -> AbstractContextManager[None]:
    """One submission at a time per learner and assignment."""
    return file_lock(server.attempts_file(assignment, learner).with_suffix(".lock"))


def answers_lock(server: QuizServer, assignment: str, learner: str) -> AbstractContextManager[None]:
    """Stored answers and submitting them, one at a time."""
    return file_lock(server.answers_file(assignment, learner).with_suffix(".lock"))


def submitting_marker(server: QuizServer, assignment: str, learner: str) -> Path:
    """Present from the moment an attempt is submitted until it is graded."""
    return server.attempts_file(assignment, learner).with_suffix(".submitting")


def answers_frozen(server: QuizServer, assignment: str, learner: str) -> bool:
    """Whether stored answers may no longer change: an attempt is being graded, or the
    last attempt is in."""
    if submitting_marker(server, assignment, learner).exists():
        return True
    return len(attempts_used(server, assignment, learner)) >= server.attempts


def store_unless_submitted(
    server: QuizServer, assignment: str, learner: str, language: str
) -> Callable[[Path, str, Any], None]:
    """How an exam page stores an answer: refused (:class:`AnswerRefused`) once submitted,
    so what is graded is what the page said was saved, in every tab."""

    def store(path: Path, item_id: str, answer: Any) -> None:
        with answers_lock(server, assignment, learner):
            if answers_frozen(server, assignment, learner):
                raise AnswerRefused(message(language, "answers_frozen"))
            save_answer(path, item_id, answer)

    return store


@contextmanager
def grading_slot(server: QuizServer, slots: int | None = None) -> Iterator[None]:
    """One of ``slots`` (default: the cores) grading places; waits while all are taken."""
    slots = slots or os.cpu_count() or 1
    server.state.mkdir(parents=True, exist_ok=True)
    while True:
        for number in range(slots):
            with (server.state / f"grading-{number}.lock").open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                return
        time.sleep(SLOT_WAIT_SECONDS)


def file_submission(
    course_root: Path, assignment: str, learner: str, answers_file: Path, moment: datetime
) -> Path:
    """Write ``submitted/<learner>/<assignment>/`` and return it.

    The folder is assembled beside its place and then moved in, so nbgrader never sees
    half a submission; an earlier attempt is replaced only once the new one is complete.
    """
    released = course_root / RELEASE_DIR / assignment
    target = course_root / "submitted" / learner / assignment
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{assignment}.", dir=target.parent))
    try:
        shutil.copytree(released, staging, dirs_exist_ok=True)
        try:
            answers = read_answers(answers_file)
        except AnswersFileError:
            answers = {}
        data = {"version": FORMAT_VERSION, "answers": answers}
        write_json_atomically(answers_path(staging, assignment), data)
        (staging / "timestamp.txt").write_text(moment.strftime(TIMESTAMP_FORMAT))
        if target.exists():
            old = target.with_name(f".{assignment}.replaced")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def submit_and_grade(
    server: QuizServer, assignment: str, learner: str, moment: datetime | None = None
) -> Result:
    """File this learner's answers as a submission, grade it with nbgrader, return the result
    (with its view when the quiz server graded it: the final one for the last attempt).

    Raises :class:`NoAttemptsLeft` when every attempt is used and :class:`GradingFailed`
    when nbgrader cannot grade it (the submission stays filed for the trainer).
    """
    with learner_lock(server, assignment, learner):
        moment = moment or datetime.now(UTC)
        used = attempts_used(server, assignment, learner)
        if len(used) >= server.attempts:
            raise NoAttemptsLeft(f"{learner} has used all {server.attempts} attempt(s)")
        marker = submitting_marker(server, assignment, learner)
        marker.parent.mkdir(parents=True, exist_ok=True)
        with answers_lock(server, assignment, learner):  # no answer changes from here on
            marker.write_text(moment.isoformat())
        answers = server.answers_file(assignment, learner)
        file_submission(server.course, assignment, learner, answers, moment)
        record = server.attempts_file(assignment, learner)
        write_json_atomically(record, {"submitted": [*used, moment.isoformat()]})
        try:
            final = len(used) + 1 >= server.attempts  # counted here, whatever a tab thinks
            graded = grade_by_server(assignment, learner, final)
            graded = graded or _grade_here(server, assignment, learner)
        finally:
            marker.unlink(missing_ok=True)  # a next attempt, if any, may change answers
    if graded["status"] == "failed":
        reason = graded["reason"]
        raise GradingFailed(f"{assignment} of {learner} could not be graded: {reason}")
    if "result" in graded:
        return Result.from_json(graded["result"])
    return read_result(server.course, assignment, learner)


def _grade_here(server: QuizServer, assignment: str, learner: str) -> dict[str, Any]:
    """Grade in a worker of this process's own, one of as many at once as there are
    cores (outside a quiz server, which grades in its warm workers instead)."""
    from grader.grading.autograde import autograde_cohort

    with grading_slot(server):
        # A trainer's cohort run may be grading this learner: wait for it.
        [outcome] = autograde_cohort(
            server.course,
            assignment,
            workers=1,
            force=True,
            learners=[learner],
            wait_seconds=LOCK_WAIT_SECONDS,
        )
    return {"status": outcome.status, "reason": outcome.reason}


def read_result(course_root: Path, assignment: str, learner: str) -> Result:
    """The graded submission from the gradebook, in the notebook's order, with each
    item's feedback from the autograded notebook."""
    from grader.cohort.gradebook import read_assignment
    from grader.course.nbgrader_course import course_db_url

    feedback = _feedback(course_root / "autograded" / learner / assignment / f"{assignment}.ipynb")
    record = read_assignment(course_db_url(course_root), assignment, learner)
    if not record.submissions:
        raise KeyError(f"no graded submission of {assignment!r} by {learner!r}")
    [submission] = record.submissions
    grades = {
        grade.name: (None if grade.pending else grade.score, grade.max_score)
        for grade in submission.grades
    }
    timestamp = submission.timestamp
    order = list(feedback) + sorted(set(grades) - set(feedback))
    items = [
        ItemResult(name, *grades[name], feedback=feedback.get(name, ""))
        for name in order
        if name in grades
    ]
    return Result(learner, assignment, timestamp, items)


def _feedback(notebook_file: Path) -> dict[str, str]:
    """The printed feedback of each grade cell, by grade id, in notebook order."""
    import nbformat

    if not notebook_file.exists():
        return {}
    notebook = nbformat.read(notebook_file, as_version=4)
    texts = {}
    for cell in notebook.cells:
        grader_meta = cell.metadata.get("nbgrader", {})
        if not grader_meta.get("grade"):
            continue
        lines = [
            output.get("text", "")
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream"
        ]
        texts[grader_meta["grade_id"]] = "".join(lines).strip()
    return texts

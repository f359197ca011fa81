"""Grading a submitted exam in the quiz server's own warm workers, not in the page kernel.

A page kernel that graded a submission itself would first import nbgrader (2 to 3 s of
processor time) and then grade; a room that submits together would pay that once per
learner. So the quiz server keeps one grading worker per core, started and warmed up
with the server (:func:`grader.grading.pool.open_course`: nbgrader imported, no kernel per
submission), and a page kernel asks it to grade at ``<base>grader/grade``
(:func:`grader.quiz.grading_request.grade_by_server`); the reply carries the result too, read in
the worker, since reading the gradebook would import nbgrader into the page kernel, and the
result's view for the page, made from the course's bank that the worker keeps loaded. Only the
server's own kernels may ask: they send the key the server gave them, as for Voila's
request-info socket. Submissions wait their turn in the workers' queue, first come first
served; each is graded with its grading lock held, as ``grader cohort autograde`` does.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tornado.web import HTTPError, RequestHandler

from grader.cohort.learner_ids import learner_id_problem
from grader.course.paths import RELEASE_DIR
from grader.grading.autograde import autograde_one_here
from grader.grading.pool import start_worker, worker_api
from grader.quiz.result import slotted_view
from grader.quiz.site import GRADE_PATH, KERNEL_KEY_ENV, KERNEL_KEY_HEADER, load_server
from grader.quiz.submit import read_result
from grader.quiz.warm_pool import WarmPool

LOCK_WAIT_SECONDS = 600  # a trainer's cohort run grading the same learner


class GradingWorkers(WarmPool):
    """One warm grading worker process per core, for one course."""

    def __init__(self, course_root: Path, workers: int | None = None) -> None:
        super().__init__(
            "grading workers", start_worker, (str(course_root.resolve()), True), workers
        )

    async def grade(self, assignment: str, learner: str, final: bool) -> dict[str, Any]:
        """Grade one submission (:func:`grade_for_page`)."""
        return await self.run(grade_for_page, assignment, learner, final)


def grade_for_page(assignment: str, learner: str, final: bool = False) -> dict[str, Any]:
    """In a grading worker: grade the submission and, once graded, read its result and
    make its view (``final``, or brief while attempts are left)."""
    outcome = autograde_one_here(assignment, learner, LOCK_WAIT_SECONDS)
    reply: dict[str, Any] = asdict(outcome)
    if outcome.status == "graded":
        course = Path(worker_api().coursedir.root)
        result = read_result(course, assignment, learner)
        try:
            view = slotted_view(course, result, final)
        except Exception:  # the bank unreadable (a trainer saving it): the page tries, and logs
            view = ""
        reply["result"] = {**result.to_json(), "view": view}
    return reply


class GradeHandler(RequestHandler):
    """``POST <base>grader/grade`` with ``{"assignment": …, "learner": …}``: grades that
    submission and answers with its outcome. For the server's own kernels only."""

    def initialize(self, workers: GradingWorkers, course: Path) -> None:
        self.grading = workers
        self.released = course / RELEASE_DIR

    def check_xsrf_cookie(self) -> None:
        """No cookie is involved: the caller proves itself with the kernel key."""

    async def post(self) -> None:
        given, key = self.request.headers.get(KERNEL_KEY_HEADER, ""), os.environ.get(KERNEL_KEY_ENV)
        if not key or not hmac.compare_digest(given.encode(), key.encode()):
            raise HTTPError(403)
        assignment, learner, final = self._request()
        reply = await self.grading.grade(assignment, learner, final)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(reply))

    def _request(self) -> tuple[str, str, bool]:
        try:
            body = json.loads(self.request.body[:4096])
            assignment, learner = body["assignment"], body["learner"]
            final = body.get("final", False)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise HTTPError(400, "expected {'assignment': ..., 'learner': ...}") from error
        if not (isinstance(assignment, str) and isinstance(learner, str)):
            raise HTTPError(400, "'assignment' and 'learner' are texts")
        if not isinstance(final, bool):
            raise HTTPError(400, "'final' is true or false")
        released = {path.name for path in self.released.iterdir() if path.is_dir()}
        if assignment not in released:
            raise HTTPError(404, "no such assignment")
        if learner_id_problem(learner):
            raise HTTPError(400, "not a learner id")
        return assignment, learner, final


def grading_route(base_url: str) -> tuple[str, type[RequestHandler], dict[str, object]]:
    """The service's route for the Voila app; its workers start now."""
    course = load_server().course
    settings = {"workers": GradingWorkers(course), "course": course}
    return f"{base_url.rstrip('/')}/{GRADE_PATH}", GradeHandler, settings

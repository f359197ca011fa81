"""Answers given on an exam's first paint, saved by the quiz server itself.

A learner who opens their exam while the server is busy gets its first paint at once
(:mod:`grader.quiz.first_paint`): the questions, without a kernel. The answers given
there are sent to ``POST <base>grader/answer`` and stored exactly as the live page stores
them: the same link check as the page itself, options known to the browser only by their
place on screen (turned into option ids in this learner's own order), the same validity
check (:func:`grader.learner.answers.answer_problem`), the same lock and file, and
refused once the exam is submitted. The live page that follows reads them from there.

A request proves itself with the personal link, sent in the body: another site cannot
send one it does not know, and a body that is not JSON is refused (a form on another
site cannot send JSON without the browser first asking this server, which says no).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from tornado.ioloop import IOLoop
from tornado.web import HTTPError, RequestHandler

from grader.course.i18n import message
from grader.course.paths import QUESTIONS_SUFFIX, RELEASE_DIR
from grader.learner.answers import MAX_TEXT_CHARS, AnswerRefused, answer_problem
from grader.learner.questions import load_questions
from grader.learner.widgets import shuffled
from grader.quiz.gate import NAME, page_language, refusal
from grader.quiz.site import ANSWER_PATH, QuizServer, load_server
from grader.quiz.submit import store_unless_submitted
from grader.quiz.tokens import load_secret, read_token

MAX_BODY = 6 * MAX_TEXT_CHARS + 8192  # a longest text, each character escaped, and the link
_QUESTIONS: dict[Path, tuple[int, dict[str, dict[str, Any]]]] = {}  # by file, with its mtime


class AnswerProblem(Exception):
    """Why an answer from a first paint is not stored; ``status`` is the HTTP status."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status


def exam_questions(server: QuizServer, assignment: str) -> dict[str, dict[str, Any]]:
    """The released exam's questions in page order (read again when the file changes)."""
    path = server.course / RELEASE_DIR / assignment / f"{assignment}{QUESTIONS_SUFFIX}"
    changed = path.stat().st_mtime_ns
    known = _QUESTIONS.get(path)
    if known is None or known[0] != changed:
        known = _QUESTIONS[path] = (changed, load_questions(path))
    return known[1]


def answer_from_page(
    question: dict[str, Any], learner: str, given: Mapping[str, Any], language: str
) -> Any:
    """The answer to store for what the page sent: option ids for the places picked, the
    text written; None (the answer removed) for nothing picked or a blank text. A
    ValueError says why what was sent is no answer."""
    kind = question["kind"]
    if kind == "free-text":
        written = given.get("text")
        if type(written) is not str:
            raise ValueError(message(language, "answer_not_text"))
        return written if written.strip() else None
    option_ids = [option["id"] for option in question.get("options", [])]
    order = shuffled(option_ids, learner, question["id"], question.get("shuffle", True))
    places = {str(place): option_id for place, option_id in enumerate(order)}
    picked = given.get("picked")
    if type(picked) is not list or any(type(place) is not str for place in picked):
        raise ValueError(message(language, "answer_not_list"))
    unknown = [place for place in picked if place not in places]
    if unknown:
        option = repr(unknown[0][:40])
        raise ValueError(message(language, "answer_unknown_option", option=option))
    if kind == "choice":
        if len(picked) != 1:
            raise ValueError(message(language, "answer_not_single"))
        return places[picked[0]]
    return sorted(places[place] for place in picked) or None


class AnswerHandler(RequestHandler):
    """``POST <base>grader/answer`` with ``{"query": "?assignment=…&token=…",
    "question": N, "picked": ["0"]}`` (or ``"text": …``); answers ``{"status": …}``, the
    line the page shows under the question."""

    def check_xsrf_cookie(self) -> None:
        """The personal link in the body is the proof; no cookie is involved."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": self._reason}))

    async def post(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        if len(self.request.body) > MAX_BODY:
            raise HTTPError(413, reason="too long")
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise HTTPError(415, reason="expected application/json")
        try:
            body = json.loads(self.request.body)
            query = parse_qs(str(body["query"]).lstrip("?"), keep_blank_values=True)
            number = body["question"]
        except (ValueError, KeyError, TypeError, RecursionError) as error:
            raise HTTPError(400, reason="expected {'query': ..., 'question': N, ...}") from error
        params = {key: values[0] for key, values in query.items()}
        language = page_language(params, self.request.headers)
        try:
            text = await self._store(params, body, number, language)
        except AnswerProblem as problem:
            self.set_status(problem.status)
            text = str(problem)
        self.finish(json.dumps({"status": text}))

    async def _store(
        self, params: Mapping[str, str], body: Mapping[str, Any], number: Any, language: str
    ) -> str:
        server = load_server()
        refused = refusal(server, params, self.request.headers)
        if refused is not None:
            raise AnswerProblem(refused.status, refused.text)
        assignment = params.get("assignment", "")
        if not NAME.fullmatch(assignment):  # a lesson's practice is answered on its live page
            raise AnswerProblem(404, message(language, "page_unknown"))
        # The link of this very exam (refusal() checked it so, as for the page itself).
        secret = load_secret(server.secret_file, create=False)
        learner = read_token(secret, params.get("token"), assignment).learner
        questions = list(exam_questions(server, assignment).values())
        if type(number) is not int or not 1 <= number <= len(questions):
            raise AnswerProblem(400, message(language, "page_unknown"))
        question = questions[number - 1]
        try:
            answer = answer_from_page(question, learner, body, language)
        except ValueError as problem:
            raise AnswerProblem(400, message(language, "not_saved", reason=problem)) from None
        option_ids = [option["id"] for option in question.get("options", [])]
        problem = answer is not None and answer_problem(
            question["kind"], option_ids, answer, language
        )
        if problem:
            raise AnswerProblem(400, message(language, "not_saved", reason=problem))
        path = server.answers_file(assignment, learner)
        path.parent.mkdir(parents=True, exist_ok=True)
        store = store_unless_submitted(server, assignment, learner, language)
        try:  # in a thread: the lock may wait for a submission being filed
            await IOLoop.current().run_in_executor(None, store, path, question["id"], answer)
        except AnswerRefused as refusal_:
            raise AnswerProblem(409, str(refusal_)) from refusal_
        except OSError as error:
            reason = error.strerror or str(error)
            raise AnswerProblem(503, message(language, "save_failed", reason=reason)) from error
        return message(language, "saved_at", time=time.strftime("%H:%M:%S"))


def answer_route(base_url: str) -> tuple[str, type[RequestHandler]]:
    """The route for the Voila app."""
    return f"{base_url.rstrip('/')}/{ANSWER_PATH}", AnswerHandler

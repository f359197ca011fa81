"""The quiz page in a Voila kernel: who is answering, then their exam or lesson as widgets.

The page notebook calls :func:`show_snapshot`, then :func:`show_live`. Everything a page
needs is imported with this module, so a preheated kernel has it before a visitor comes.
The page reads the link's query string (waiting for the request first when the kernel was
preheated), checks the personal token (or takes the JupyterHub user), and shows:

- ``?assignment=A&token=T``: exam A from the released notebook, answers saved per learner
  on the server, a submit button that files and grades the submission;
- ``?lesson=L&language=xx&token=T``: lesson L with practice and instant feedback, the
  learner's practice answers kept on the server.

Nothing that grades (keys, explanations, rubrics) is read here before the learner's final
submission is graded. A problem in any callback is logged on the server and shown to the
learner as a short message, never as a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

import ipywidgets as widgets
from IPython.display import HTML, display

from grader.course.i18n import LANGUAGES, message
from grader.course.paths import LESSONS_DIR, RELEASE_DIR
from grader.quiz.exam import ExamPage
from grader.quiz.gate import NAME, contact_html, page_language, refusal_html, token_message
from grader.quiz.header import learner_name, settings_of
from grader.quiz.lesson import lesson_page
from grader.quiz.parts import log_error
from grader.quiz.site import KERNEL_KEY_ENV, KERNEL_KEY_HEADER, QuizServer, load_server
from grader.quiz.snapshot import SNAPSHOT_METADATA, connect, snapshot_output, unconnected
from grader.quiz.tokens import Claims, TokenError, load_secret, read_token

# In the server's log once a preheated kernel has imported everything and waits for a
# visitor: until then a visit waits for the imports too.
READY_LINE = "grader quiz page: preheated kernel ready"


def request_query(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The page request's query parameters (the first value of each)."""
    if env.get("VOILA_PREHEAT") == "True":
        print(READY_LINE, file=sys.__stderr__, flush=True)
        wait_for_request()
        env = os.environ
    params = parse_qs(env.get("QUERY_STRING", ""), keep_blank_values=True)
    return {key: values[0] for key, values in params.items()}


def wait_for_request() -> None:
    """Wait for the visit this preheated kernel is given and put its request in the
    environment, as Voila's ``wait_for_request`` does, showing the server's kernel key."""
    import asyncio
    import threading

    import websockets

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    address = f"{env.get('VOILA_APP_IP', '127.0.0.1')}:{env.get('VOILA_APP_PORT', '8866')}"
    url = f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{address}{base}voila/query/"
    headers = {KERNEL_KEY_HEADER: env.get(KERNEL_KEY_ENV, "")}
    received: list[str | bytes] = []

    async def receive() -> None:
        async with websockets.connect(
            url + env["VOILA_KERNEL_ID"], additional_headers=headers, open_timeout=5
        ) as socket:
            received.append(await socket.recv())

    # The kernel's own event loop is running: wait on a loop of our own.
    thread = threading.Thread(target=lambda: asyncio.new_event_loop().run_until_complete(receive()))
    thread.start()
    thread.join()
    for key, value in json.loads(received[0]).items():
        os.environ[key] = value


def learner_of(
    server: QuizServer, params: Mapping[str, str], env: Mapping[str, str], assignment: str | None
) -> str:
    """Who is answering: the JupyterHub user, else the link's valid token (or TokenError)."""
    return claims_of(server, params, env, assignment).learner


def claims_of(
    server: QuizServer, params: Mapping[str, str], env: Mapping[str, str], assignment: str | None
) -> Claims:
    """The link's valid token (or TokenError); under JupyterHub, the hub user, no expiry."""
    if env.get("JUPYTERHUB_USER"):
        return Claims(env["JUPYTERHUB_USER"], "", 0)
    secret = load_secret(server.secret_file, create=False)
    return read_token(secret, params.get("token"), assignment)


@dataclass(frozen=True)
class Refused:
    """A page that only says why there is no exam or lesson here (and who to ask): shown
    as it is, with nothing to connect (no "connecting" banner, no widgets)."""

    value: str


def refused(server: QuizServer, text: str, language: str) -> Refused:
    title = message(language, "link_page_title")
    return Refused(refusal_html(text, title, contact_html(server, language)))


def build_page(
    server: QuizServer, params: Mapping[str, str], env: Mapping[str, str] = os.environ
) -> widgets.Widget | Refused:
    """The page for these query parameters: an exam, a lesson or an explanation."""
    language = page_language(params, env)
    assignment, lesson = params.get("assignment", ""), params.get("lesson", "")
    settings = settings_of(server.course)
    organisation = settings.organisation if settings else ""
    if assignment and NAME.fullmatch(assignment):
        released = server.course / RELEASE_DIR / assignment / f"{assignment}.ipynb"
        if released.is_file():
            try:
                learner = learner_of(server, params, env, assignment)
            except TokenError as error:
                return refused(server, token_message(error, language), language)
            name = learner_name(server, learner)
            return ExamPage(server, assignment, learner, language, organisation, name).root
    if lesson and NAME.fullmatch(lesson) and language in LANGUAGES:
        notebook = server.course / LESSONS_DIR / language / f"{lesson}.ipynb"
        if notebook.is_file():
            try:
                claims = claims_of(server, params, env, None)
            except TokenError as error:
                return refused(server, token_message(error, language), language)
            name = learner_name(server, claims.learner)
            return lesson_page(server, notebook, language, claims, organisation, name)
    return refused(server, message(language, "page_unknown"), language)


def refuse_browser_widgets() -> None:
    """Every widget of a page is made here: the browser may create none. Each could hold
    megabytes in this kernel, and one of a class the page never uses broke the page's
    widget-state request (with a traceback sent to the browser)."""
    from ipywidgets import comm

    manager = comm.get_comm_manager()
    if manager is not None and "jupyter.widget" in manager.targets:
        manager.unregister_target("jupyter.widget", widgets.Widget.handle_comm_opened)


def show_snapshot() -> widgets.Widget | Refused:
    """The page notebook's first cell: make the page this request asks for and show its
    snapshot, which the browser shows at once. The page's widgets are not sent yet: Voila
    sends this cell's output as soon as it ends."""
    refuse_browser_widgets()
    params: dict[str, str] = {}
    with unconnected():
        try:
            params = request_query()
            page = build_page(load_server(), params)
        except Exception:
            log_error(f"page for {sorted(params)} failed")
            language = page_language(params, os.environ)
            title = message(language, "link_page_title")
            page = Refused(refusal_html(message(language, "page_error"), title, ""))
        if isinstance(page, Refused):
            display(HTML(page.value), metadata={SNAPSHOT_METADATA: True})
            return page
        snapshot, metadata = snapshot_output(page, page_language(params, os.environ))
    display(snapshot, metadata=metadata)
    return page


def show_live(page: widgets.Widget | Refused) -> None:
    """The page notebook's second cell: send the page's widgets and show them; in the
    browser they take over from the snapshot. A refusal has nothing to send."""
    if isinstance(page, Refused):
        return
    connect(page)
    display(page)

"""Voila as the quiz server runs it: Voila's own app with two of its handlers replaced.

- The page handler checks the link before Voila gives the request a kernel
  (:mod:`grader.quiz.gate`): a request without a valid personal link gets a short page
  and costs no kernel.
- When more learners arrive than the server can draw pages for at once (one per core) or
  keep open (``--max-pages``, by default what memory holds), the later ones get a page
  without a kernel, with their place in line, which asks again by itself
  (:mod:`grader.quiz.admission`).
- Each page binds its kernel to the browser it was sent to: a cookie of its own
  (HttpOnly, SameSite=Strict) that only the page's response carries. The kernel's
  websocket, the kernel API and the "shut my kernel down" call accept that browser only,
  so a kernel id (in proxy logs, say) is not enough to read or change a learner's
  answers; the shutdown call needs no other token, so a closed tab frees its kernel
  (:mod:`grader.quiz.kernel_guard`). One link holds at most
  :data:`MAX_PAGES_PER_LEARNER` kernels: a new visit closes the oldest.
- A learner in line for an exam gets its first paint at once instead, without a kernel,
  where they read and answer (:mod:`grader.quiz.first_paint`); ``<base>grader/answer``
  saves those answers (:mod:`grader.quiz.answer_service`).
- Started by a JupyterHub, ``<base>start`` opens a logged-in hub user's own page, and a
  link of another learner is refused in a browser logged in to the hub
  (:mod:`grader.quiz.hub_login`).
- ``<base>grader/grade`` grades a submitted exam in the server's warm grading workers,
  for the server's own kernels (:mod:`grader.quiz.grading_service`).
- The request-info websocket (``/voila/query/<kernel id>``), through which a preheated
  kernel learns which page it serves, only accepts the server's own kernels: they send
  the key this server process gave them (``GRADER_QUIZ_KERNEL_KEY``). In Voila anyone
  who knew a kernel id could connect there and, by closing the socket, take that kernel
  off the list of kernels waiting for a visitor, so the next learners' pages hung; and
  would have received the next learner's query string, link included.

Run as ``python -m grader.quiz.voila_app`` with Voila's own options.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
from typing import Any
from urllib.parse import urlencode

from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from grader.course.i18n import message
from grader.quiz.admission import (
    POLL_HEADER,
    Admission,
    pages_for_memory,
    place_text,
    waiting_page,
)
from grader.quiz.answer_service import answer_route
from grader.quiz.first_paint import first_paint, start_painters
from grader.quiz.gate import (
    Refusal,
    contact_html,
    link_learner,
    page_language,
    refusal,
    refusal_page,
)
from grader.quiz.grading_service import grading_route
from grader.quiz.header import page_title
from grader.quiz.hub_login import START_PARAMS, START_PATH, hub_login, hub_routes, hub_user_of
from grader.quiz.kernel_guard import (
    BINDINGS,
    LEARNERS,
    BoundKernelHandler,
    BoundKernelWebsocketHandler,
    BoundShutdownHandler,
    KernelOnlyRequestInfoHandler,
)
from grader.quiz.site import ANSWER_PATH, MAX_PAGES_ENV, load_server

# Started by a JupyterHub (``grader quiz serve --hub``): the hub's login for this service.
HUB = hub_login()


# Pages drawn at once for learners already in line (on a first paint): three per core
# took the last of 50 live pages from 103 s to 57 s on 2 cores (benchmarks/quiz_load.py).
CATCHING_UP_PER_CORE = 3
# Pages drawn at once (one per core; more for learners in line) and open at once (set by
# ``grader quiz serve``).
ADMISSION = Admission(
    drawing=os.cpu_count() or 1,
    live=int(os.environ.get(MAX_PAGES_ENV) or pages_for_memory()),
    catching_up=CATCHING_UP_PER_CORE * (os.cpu_count() or 1),
)
MAX_PAGES_PER_LEARNER = 3  # pages (each a kernel) one link keeps open at once
HTML_LANG = re.compile(r'<html lang="[^"]*"')
TITLE = re.compile(r"<title>[^<]*</title>")
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


class LinkCheckedPageHandler(TornadoVoilaHandler):
    """Voila's page, for requests with a valid link only, bound to this browser."""

    binding: tuple[str, str] | None = None
    bound = False
    learner = ""
    language = "en"
    title = ""
    headed: frozenset[str] | set[str] = frozenset()  # which of lang and title are named
    before = ""  # the piece written before this one

    async def get(self, path: str | None = None) -> None:
        # The first value of each, as the page kernel reads them (grader.quiz.page).
        arguments = self.request.query_arguments
        params = {key: self.get_query_arguments(key, strip=False)[0] for key in arguments}
        if HUB is not None and not params.get("token"):  # a hub user's own page
            base = self.settings.get("base_url", "/")
            asked = {key: params[key] for key in START_PARAMS if key in params}
            self.redirect(f"{base}{START_PATH}?{urlencode(asked)}")
            return
        server = load_server()
        refused = refusal(server, params, self.request.headers)
        if refused is None:
            self.learner = link_learner(server, params)
            refused = await self._hub_refusal(params)
        if refused is None:
            self.language = page_language(params, self.request.headers)
            self.title = page_title(server.course, params, self.language)
            if not await self._admitted(params):
                return
            with ADMISSION.drawing_page():
                await self._page(path)
            return
        self.set_status(refused.status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        title = message(refused.language, "link_page_title")
        self.finish(refusal_page(refused, title, contact_html(server, refused.language)))

    async def _hub_refusal(self, params: dict[str, str]) -> Refusal | None:
        """A browser logged in to the hub as someone else than the link's learner is told
        the link is not theirs (a mix-up on a shared computer, say)."""
        user = await hub_user_of(HUB, self)
        if not user or user.casefold() == self.learner.casefold():
            return None
        language = page_language(params, self.request.headers)
        return Refusal(403, message(language, "link_other_learner", user=user), language)

    async def _admitted(self, params: dict[str, str]) -> bool:
        """Whether this visit gets its page now; else it has been answered: with the
        exam's first paint (grader.quiz.first_paint) or the waiting page, its place in line
        kept for this learner and page; or, when such a page asks, with whether it is its
        turn (grader.quiz.admission)."""
        base = self.settings.get("base_url", "/")
        # One place per learner and page, whatever cookies the browser sends or does not.
        page = params.get("assignment") or f"{params.get('lesson')}/{self.language}"
        ticket = f"{self.learner}\0{page}"
        asking = self.request.headers.get(POLL_HEADER) == "poll"
        alive = set(self.kernel_manager.list_kernel_ids())
        live = sum(1 for kernel in LEARNERS if kernel in alive)
        turn = ADMISSION.turn(ticket, live, hold=asking)
        self.set_header("Cache-Control", "no-store")
        if asking:
            self.set_header("Content-Type", "application/json")
            reply = {"ready": turn.admitted, "text": place_text(self.language, turn.place)}
            self.finish(json.dumps(reply if not turn.admitted else {"ready": True}))
            return False
        if turn.admitted:
            return True
        self.set_header("Content-Type", "text/html; charset=utf-8")
        answer_url = f"{base.rstrip('/')}/{ANSWER_PATH}"
        headers, place = self.request.headers, turn.place
        painted = await first_paint(
            ticket, params, headers, self.language, self.title, place, answer_url
        )
        ADMISSION.keep(ticket)  # the paint may have taken a while: still in line
        self.finish(painted or waiting_page(self.language, self.title, place))
        return False

    async def _page(self, path: str | None) -> None:
        """Voila's page, bound to this browser, for an admitted visit."""
        await self._close_oldest_pages(self.learner, keep=MAX_PAGES_PER_LEARNER - 1)
        name, value = f"grader-page-{secrets.token_hex(8)}", secrets.token_urlsafe(24)
        self.binding = (name, value)
        base = self.settings.get("base_url", "/")
        self.set_cookie(name, value, path=base, httponly=True, samesite="Strict", max_age=86400)
        await super().get(path)

    async def _close_oldest_pages(self, learner: str, keep: int) -> None:
        """Leave this learner at most ``keep`` open pages: the oldest kernels go (a tab
        left open elsewhere, or a browser that crashed), so a new visit always works and
        one link never holds more than :data:`MAX_PAGES_PER_LEARNER` kernels."""
        alive = set(self.kernel_manager.list_kernel_ids())
        for kernel_id in [k for k in LEARNERS if k not in alive]:
            LEARNERS.pop(kernel_id, None)
            BINDINGS.pop(kernel_id, None)
        mine = [kernel_id for kernel_id, owner in LEARNERS.items() if owner == learner]
        for kernel_id in mine[: max(0, len(mine) - keep)]:
            LEARNERS.pop(kernel_id, None)
            BINDINGS.pop(kernel_id, None)
            await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))

    def write(self, chunk: Any) -> None:
        # The template's head names the notebook ("quiz") in English: name the page, in
        # the page's language, before the browser sees it. Jinja sends the head in small
        # pieces, each value on its own after the text that opens it; a preheated
        # kernel's page comes rendered, in one piece.
        if self.binding and len(self.headed) < 2 and isinstance(chunk, str):
            if "lang" not in self.headed:
                if self.before.endswith('<html lang="'):
                    chunk, self.headed = self.language, {*self.headed, "lang"}
                elif HTML_LANG.search(chunk):
                    chunk = HTML_LANG.sub(f'<html lang="{self.language}"', chunk, count=1)
                    self.headed = {*self.headed, "lang"}
            if "title" not in self.headed:
                if self.before.endswith("<title>"):
                    chunk, self.headed = html.escape(self.title), {*self.headed, "title"}
                elif TITLE.search(chunk):
                    named = f"<title>{html.escape(self.title)}</title>"
                    chunk = TITLE.sub(named, chunk, count=1)
                    self.headed = {*self.headed, "title"}
            self.before = chunk
        # The page names its kernel once, in its page config: bind it to this browser.
        if self.binding and not self.bound and isinstance(chunk, str):
            found = KERNEL_ID.search(chunk)
            if found:
                BINDINGS[found.group(1)] = self.binding
                LEARNERS[found.group(1)] = self.learner
                self.bound = True
        super().write(chunk)


REPLACED = {
    TornadoVoilaHandler: LinkCheckedPageHandler,
    RequestInfoSocketHandler: KernelOnlyRequestInfoHandler,
    VoilaKernelWebsocketHandler: BoundKernelWebsocketHandler,
    KernelHandler: BoundKernelHandler,
    VoilaShutdownKernelHandler: BoundShutdownHandler,
}


class QuizVoila(Voila):
    """Voila with the quiz server's page and request-info handlers."""

    def init_handlers(self) -> list:
        handlers = [
            (pattern, REPLACED.get(handler, handler), *rest)
            for pattern, handler, *rest in super().init_handlers()
        ]
        start_painters()
        own = [grading_route(self.base_url), answer_route(self.base_url)]
        return [*own, *hub_routes(self.base_url, HUB), *handlers]


main = QuizVoila.launch_instance

if __name__ == "__main__":
    main()

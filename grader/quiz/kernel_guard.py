"""The guards of a page's kernel: only the browser the page was sent to may use it.

Each page binds its kernel to that browser with a cookie of its own (set by the page
handler, :mod:`grader.quiz.voila_app`). The kernel's websocket, the kernel API and the
"shut my kernel down" call accept that browser only, and a kernel takes at most
:data:`MAX_SOCKETS_PER_KERNEL` websockets at once. The request-info websocket, through
which a preheated kernel learns which page it serves, accepts the server's own kernels
only: they send the key this server process gave them (``GRADER_QUIZ_KERNEL_KEY``).
"""

from __future__ import annotations

import hmac
import os
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from tornado.web import HTTPError
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from grader.quiz.site import KERNEL_KEY_ENV, KERNEL_KEY_HEADER

MAX_SOCKETS_PER_KERNEL = 4  # a page, a reload and a second tab's worth of spares
# kernel id -> (cookie name, cookie value) of the browser its page was sent to
BINDINGS: dict[str, tuple[str, str]] = {}
LEARNERS: dict[str, str] = {}  # kernel id -> the learner whose link opened its page
OPEN_SOCKETS: dict[str, int] = {}  # kernel id -> its open websockets


def kernel_key() -> str:
    """This server's key for its kernels (set by ``grader quiz serve``; kernels inherit it).
    Without one, no connection is accepted."""
    return os.environ.get(KERNEL_KEY_ENV, "")


def bound_browser(handler: Any, kernel_id: str) -> bool:
    """Whether the request comes from the browser that page ``kernel_id`` was sent to."""
    cookie, value = BINDINGS.get(kernel_id, ("", ""))
    given = handler.get_cookie(cookie, "") if cookie else ""
    return bool(value) and hmac.compare_digest(given.encode(), value.encode())


class BoundKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """A kernel's websocket, for the browser its page was sent to, a few at a time."""

    async def pre_get(self) -> None:
        if not bound_browser(self, self.kernel_id):
            raise HTTPError(403)
        if OPEN_SOCKETS.get(self.kernel_id, 0) >= MAX_SOCKETS_PER_KERNEL:
            raise HTTPError(429)
        await super().pre_get()

    async def open(self, kernel_id: str) -> None:  # type: ignore[override]
        OPEN_SOCKETS[kernel_id] = OPEN_SOCKETS.get(kernel_id, 0) + 1
        self.counted = True
        await super().open(kernel_id)

    def on_close(self) -> None:
        if getattr(self, "counted", False):
            self.counted = False
            left = OPEN_SOCKETS.get(self.kernel_id, 1) - 1
            if left > 0:
                OPEN_SOCKETS[self.kernel_id] = left
            else:
                OPEN_SOCKETS.pop(self.kernel_id, None)
        super().on_close()


class BoundKernelHandler(KernelHandler):
    """``/api/kernels/<id>``: for the browser its page was sent to only."""

    async def prepare(self) -> None:
        kernel_id = self.path_kwargs.get("kernel_id") or (self.path_args or [""])[0]
        if not bound_browser(self, kernel_id):
            raise HTTPError(403)
        await ensure_async(super().prepare())


class BoundShutdownHandler(VoilaShutdownKernelHandler):
    """The page's "shut my kernel down" call on closing: from its own browser only, which
    the SameSite cookie already proves, so no XSRF token is asked (Voila's page sends
    none, and its kernels outlived closed tabs)."""

    def check_xsrf_cookie(self) -> None:
        """The binding cookie is SameSite=Strict: another site cannot send it."""

    async def post(self, kernel_id: str) -> None:
        if not bound_browser(self, kernel_id):
            raise HTTPError(403)
        BINDINGS.pop(kernel_id, None)
        LEARNERS.pop(kernel_id, None)
        await super().post(kernel_id)


class KernelOnlyRequestInfoHandler(RequestInfoSocketHandler):
    """Voila's request-info websocket, for the server's own kernels only."""

    async def get(self, *args: str, **kwargs: str) -> None:
        given, key = self.request.headers.get(KERNEL_KEY_HEADER, ""), kernel_key()
        if not key or not hmac.compare_digest(given.encode(), key.encode()):
            raise HTTPError(403)
        await super().get(*args, **kwargs)

    def on_close(self) -> None:
        # Remove this connection only: Voila's own removes whichever it finds last.
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id, waiter in list(waiters.items()):
            if waiter is self:
                del waiters[kernel_id]

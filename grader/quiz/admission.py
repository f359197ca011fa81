"""Pages in turn when many learners open their link at the same moment.

Drawing a page costs its kernel about a second of processor time. When more learners
arrive than there are cores, the cores are shared between all of them and every page
takes as long as the last: 50 learners on 2 cores each waited about a minute. So the
server draws at most one page per core at a time and keeps at most as many live pages
as its memory holds (a page kernel holds 80 to 140 MiB). A learner who arrives while the
places are taken gets at once a page without a kernel: an exam's first paint, where
they read and answer (:mod:`grader.quiz.first_paint`), or, for a lesson, a short page
that says why they wait. Either shows their place in line and asks every few seconds
whether it is its turn (a small request that draws nothing); when it is, the place is
held for the page, which then loads itself. Places are given in order of arrival; a
place in line not asked about for a while is given up. Without script, the waiting
page has a link to try again.
"""

from __future__ import annotations

import html
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

from grader.quiz.gate import small_page
from grader.quiz.texts import text

RETRY_SECONDS = 3  # how often a waiting page asks again
FORGET_SECONDS = 4 * RETRY_SECONDS  # a place not asked about for this long is given up
HOLD_SECONDS = 10  # a place given to a waiting page is kept this long for its reload
POLL_HEADER = "X-Grader-Wait"  # a waiting page asking whether it is its turn
PAGE_KERNEL_BYTES = 140 * 2**20  # the most a page kernel was seen to hold
MEMORY_SHARE = 0.75  # of the machine's memory, for page kernels


def pages_for_memory(total_bytes: int | None = None) -> int:
    """How many live pages this machine's memory holds (at least 4)."""
    total = total_bytes if total_bytes is not None else psutil.virtual_memory().total
    return max(4, int(total * MEMORY_SHARE // PAGE_KERNEL_BYTES))


@dataclass(frozen=True)
class Turn:
    """Whether a visitor may have a page now, and else their place in line (1 is next)."""

    admitted: bool
    place: int = 0


class Admission:
    """At most ``drawing`` pages drawn at once and ``live`` pages open; the rest in line.

    A visitor already in line, who reads and answers on a first paint or waits on the
    waiting page, may have their page drawn while up to ``catching_up`` pages are drawn
    (default: ``drawing``). A newcomer gets a place only while fewer than ``drawing``
    are: many pages drawn at once are each slow, which a newcomer would wait for, while
    a learner on a first paint is not waiting for theirs.
    """

    def __init__(
        self,
        drawing: int,
        live: int,
        clock: Callable[[], float] = time.monotonic,
        catching_up: int | None = None,
    ) -> None:
        self.drawing_limit, self.live_limit = drawing, live
        self.catching_up_limit = max(drawing, catching_up or drawing)
        self.drawing = 0
        self.clock = clock
        self.line: OrderedDict[str, float] = OrderedDict()  # ticket -> last asked
        self.held: dict[str, float] = {}  # ticket -> when its place was given

    def turn(self, ticket: str, live_pages: int, hold: bool = False) -> Turn:
        """Ask for a place; ``live_pages`` are the pages open now (their kernels live).

        With ``hold`` (a waiting page asking), a place given is held for the visit that
        follows instead of being taken now.
        """
        now = self.clock()
        for waiting, asked in list(self.line.items()):
            if now - asked > FORGET_SECONDS:
                del self.line[waiting]
        for waiting, given in list(self.held.items()):
            if now - given > HOLD_SECONDS:
                del self.held[waiting]
        if ticket in self.held:
            if not hold:
                del self.held[ticket]
            return Turn(True)
        busy = self.drawing + len(self.held)
        limit = self.catching_up_limit if ticket in self.line else self.drawing_limit
        free = min(limit - busy, self.live_limit - live_pages - busy)
        self.line[ticket] = now  # a new ticket goes last; a known one keeps its place
        place = list(self.line).index(ticket) + 1
        if place > free:
            return Turn(False, place)
        del self.line[ticket]
        if hold:
            self.held[ticket] = now
        return Turn(True)

    def keep(self, ticket: str) -> None:
        """A visitor in line is still there (their page took a while to send)."""
        if ticket in self.line:
            self.line[ticket] = self.clock()

    @contextmanager
    def drawing_page(self) -> Iterator[None]:
        """Hold a drawing place while a page is drawn."""
        self.drawing += 1
        try:
            yield
        finally:
            self.drawing -= 1


def place_text(language: str, place: int) -> str:
    """``You are number 3 in line.``"""
    if place == 1:
        return text(language, "wait_next")
    return text(language, "wait_place", place=place)


# Asks whether it is this page's turn; loads the page when it is. The place is announced
# (role=status) only when it changes.
ASK_SCRIPT = """<script>
(() => {
  const place = document.getElementById("grader-place");
  async function ask() {
    try {
      const reply = await fetch(location.href, {
        headers: {"%(header)s": "poll"}, cache: "no-store", credentials: "same-origin"});
      const turn = await reply.json();
      if (turn.ready) { location.reload(); return; }
      if (turn.text && place.textContent !== turn.text) place.textContent = turn.text;
    } catch (error) { /* the server is busy or restarting: ask again */ }
    setTimeout(ask, %(ms)d);
  }
  setTimeout(ask, %(ms)d);
})();
</script>"""


def waiting_page(language: str, title: str, place: int) -> str:
    """The page of a learner in line: why, their place; it asks by itself for its turn."""
    why, rest = text(language, "wait_why"), text(language, "wait_nothing_to_do")
    main = (
        f"<h1>{html.escape(text(language, 'wait_heading'))}</h1><div class='grader-wait'>"
        f"<p>{html.escape(why)}</p>"
        f"<p id='grader-place' role='status'>{html.escape(place_text(language, place))}</p>"
        f"<p>{html.escape(rest)}</p><noscript><p><a href=''>"
        f"{html.escape(text(language, 'wait_try_again'))}</a></p></noscript></div>"
    )
    style = ".grader-wait{padding:1rem;border-left:4px solid #0969da;background:#ddf4ff}"
    script = ASK_SCRIPT % {"header": POLL_HEADER, "ms": RETRY_SECONDS * 1000}
    return small_page(language, title, main, style, script, marker="data-grader-waiting")

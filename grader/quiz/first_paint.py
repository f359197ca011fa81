"""An exam's first paint: the page without a kernel, for a learner whose page must wait.

When many learners open their exam at once, the server draws the live pages (each with
its kernel) in turn (:mod:`grader.quiz.admission`). A learner whose turn has not come
does not wait for it: they get at once the exam's snapshot (:mod:`grader.quiz.snapshot`),
drawn by one of the server's warm paint workers in some 50 ms, where they read and
answer. Each answer goes to the server the moment it is given
(:mod:`grader.quiz.answer_service`). The page asks every few seconds whether its turn has
come; when it has, it sends what is still unsent and loads the live page in its place,
which shows the answers saved and the submit button. A learner who is typing gets a few
seconds to finish first.

Only exams have a first paint (a lesson's practice gives feedback, which needs its
kernel); a lesson's visitor gets the waiting page. The first paint carries exactly what
the live page shows (no keys, no explanations), and nothing the learner sent reaches it
unescaped: it is the snapshot, which escapes every text.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from grader.quiz.admission import HOLD_SECONDS, POLL_HEADER, RETRY_SECONDS, place_text
from grader.quiz.texts import text
from grader.quiz.warm_pool import WarmPool

HERE = Path(__file__).parent
STATIC = HERE / "share" / "voila" / "templates" / "quiz" / "static"
PAINT_SECONDS = 10  # longer than this (a server far behind), and the waiting page is sent
# At the learner's turn, at most this long to stop typing, then to send what is unsent:
# well within the time the place is held for the reload.
TYPING_GRACE_SECONDS = 4
SENDING_GRACE_SECONDS = 3
assert TYPING_GRACE_SECONDS + SENDING_GRACE_SECONDS < HOLD_SECONDS
LOG = logging.getLogger("grader.quiz")
PAINTERS: list[WarmPool] = []  # the server's paint workers, once started
REPAINT_SECONDS = 1.0  # one paint per visitor at a time, and at most one a second
MAX_REMEMBERED = 10_000  # visitors remembered before the old ones are forgotten
PAINTING: set[str] = set()
PAINTED: dict[str, float] = {}  # visitor -> when their last paint ended


def start_painters(workers: int | None = None) -> None:
    """Start the paint workers (one per core) with the server."""
    if not PAINTERS:
        PAINTERS.append(WarmPool("paint workers", start_paint_worker, (), workers))


def start_paint_worker() -> None:
    """A paint worker imports everything a page needs before its first request."""
    import grader.quiz.page  # noqa: F401


def paint_exam(params: dict[str, str], language: str, accept_language: str) -> str | None:
    """In a paint worker: the exam page these link parameters open, as its snapshot's
    HTML; None when it has no questions to answer (a refusal, or the result of the last
    attempt: the waiting page leads there), or when its questions are not in the order of
    the exam's questions file, by which the answers are saved."""
    from grader.quiz.answer_service import exam_questions
    from grader.quiz.page import Refused, build_page
    from grader.quiz.site import load_server
    from grader.quiz.snapshot import snapshot_html, unconnected

    server = load_server()
    with unconnected():
        page = build_page(server, params, {"HTTP_ACCEPT_LANGUAGE": accept_language})
    if isinstance(page, Refused):
        return None
    asked = list(questions_in(page))
    if not asked:
        return None
    if asked != list(exam_questions(server, params["assignment"])):
        LOG.error("grader quiz: %s asks its questions out of order", params["assignment"])
        return None
    status = "<span id='grader-place-line'></span>"  # filled in by first_paint_page
    return snapshot_html(page, language, status)


def questions_in(widget: Any) -> Iterator[str]:
    """The item ids of the questions a page shows, in page order."""
    from grader.learner.widgets import Question

    if isinstance(widget, Question):
        yield widget.item_id
    for child in getattr(widget, "children", ()):
        yield from questions_in(child)


async def first_paint(
    visitor: str,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    language: str,
    title: str,
    place: int,
    answer_url: str,
) -> str | None:
    """The first paint of the exam these parameters open, for the ``visitor`` (a learner
    and page) at ``place`` in line; None when there is none: not an exam, no paint
    workers, too slow, or this visitor's page is being painted or was a moment ago (one
    learner reloading in a loop must not keep the workers from everyone else)."""
    if not PAINTERS or not params.get("assignment") or not _may_paint(visitor):
        return None
    accept = headers.get("Accept-Language", "")
    PAINTING.add(visitor)
    try:
        snapshot = await asyncio.wait_for(
            PAINTERS[0].run(paint_exam, dict(params), language, accept), PAINT_SECONDS
        )
    except Exception:
        LOG.exception("grader quiz: first paint of %s failed", params.get("assignment"))
        return None
    finally:
        PAINTING.discard(visitor)
        PAINTED[visitor] = time.monotonic()
    if snapshot is None:
        return None
    return first_paint_page(language, title, snapshot, place, answer_url)


def _may_paint(visitor: str) -> bool:
    now = time.monotonic()
    if len(PAINTED) > MAX_REMEMBERED:
        for known in [k for k, when in PAINTED.items() if now - when > REPAINT_SECONDS]:
            del PAINTED[known]
    return (
        visitor not in PAINTING and now - PAINTED.get(visitor, -REPAINT_SECONDS) >= REPAINT_SECONDS
    )


def first_paint_page(language: str, title: str, snapshot: str, place: int, answer_url: str) -> str:
    """The whole page: the snapshot, the line on why it has no submit button yet, the
    quiz pages' style sheets and the script that saves and hands over."""
    line = (
        f"{html.escape(text(language, 'paint_now'))} "
        f"<span id='grader-place'>{html.escape(place_text(language, place))}</span>"
    )
    snapshot = snapshot.replace("<span id='grader-place-line'></span>", line, 1)
    data = {
        "answer-url": answer_url,
        "poll-header": POLL_HEADER,
        "retry-ms": str(RETRY_SECONDS * 1000),
        "typing-ms": str(TYPING_GRACE_SECONDS * 1000),
        "sending-ms": str(SENDING_GRACE_SECONDS * 1000),
        "saving": text(language, "paint_saving"),
        "retrying": text(language, "paint_retrying"),
        "submit-later": text(language, "paint_submit_later"),
        # "12 of 32 questions answered", counted as answers are saved
        "answered-one": text(language, "answered_one", done="{done}"),
        "answered-many": text(language, "answered_many", done="{done}", count="{count}"),
    }
    attributes = "".join(
        f" data-{key}='{html.escape(value, quote=True)}'" for key, value in data.items()
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{style_sheets()}</style></head>"
        f"<body class='grader-first-paint'><main id='rendered_cells' data-grader-first-paint"
        f"{attributes}><div>{snapshot}</div><noscript><p><a href=''>"
        f"{html.escape(text(language, 'wait_try_again'))}</a></p></noscript></main>"
        f"<script>{script()}</script></body></html>\n"
    )


@cache
def style_sheets() -> str:
    own = (
        "body.grader-first-paint{margin:0;font-family:var(--grader-fonts);color:#1f2328}"
        ".grader-first-paint .grader-snap-connecting{padding:.75rem 1rem;font-size:16px;"
        "border-left:4px solid #0969da;background:#ddf4ff;color:#1f2328}"
    )
    sheets = [(STATIC / name).read_text(encoding="utf-8") for name in ("snapshot.css", "quiz.css")]
    return "".join([*sheets, own])


@cache
def script() -> str:
    return (HERE / "first_paint.js").read_text(encoding="utf-8")

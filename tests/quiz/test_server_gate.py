"""Anyone who can reach the quiz server: no kernel without a valid link, and no way into
the request-info socket of Voila's preheated kernels. Real HTTP and websockets on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import websockets.sync.client
from websockets.exceptions import InvalidStatus

from ..conftest import ASSIGNMENT
from .server import RunningQuiz, running_quiz
from .test_site_http import get

pytestmark = [
    pytest.mark.browser,  # runs Voila and its kernels, like the browser tests
    # The tests hold several sockets open at once and close each one themselves.
    pytest.mark.filterwarnings("ignore:connect\\(\\) must be used as a context manager"),
]

KERNEL_STARTED = re.compile(r"Kernel started: ([0-9a-f-]{36})")
KERNEL_SHUTDOWN = re.compile(r"Kernel shutdown: ([0-9a-f-]{36})")


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    with running_quiz(built_course_template, tmp_path_factory.mktemp("gate"), 1) as running:
        yield running


def kernels_started(quiz: RunningQuiz) -> int:
    return len(KERNEL_STARTED.findall(quiz.log.read_text(errors="replace")))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_requests_without_a_valid_link_get_a_page_and_no_kernel(quiz: RunningQuiz) -> None:
    before = kernels_started(quiz)
    other_exam = path_of(quiz.link("ada", assignment="exercise-01-confidential-en"))
    expired = path_of(quiz.link("ada", valid_seconds=-10))
    altered = path_of(quiz.link("ada"))[:-3] + "AAA"
    cases = {
        f"/?assignment={ASSIGNMENT}": (403, "needs your personal link"),
        f"/?assignment={ASSIGNMENT}&token=abc.def": (403, "not valid"),
        altered: (403, "not valid"),
        expired: (403, "expired on"),
        other_exam.replace("exercise-01-confidential-en", ASSIGNMENT, 1): (403, "another exam"),
        # the gate reads the first value of each parameter, as the page kernel does
        f"/?assignment={ASSIGNMENT}&{other_exam.split('?', 1)[1]}": (403, "another exam"),
        f"/?assignment={ASSIGNMENT}&token={quote('é.ü')}": (403, "not valid"),
        "/?lesson=01-confidential&language=en": (403, "needs your personal link"),
        "/?assignment=no-such-exam": (404, "no exam or lesson at this address"),
        "/": (404, "no exam or lesson at this address"),
    }
    for _ in range(3):  # 27 requests in all
        for path, (status, text) in cases.items():
            got, body = get(quiz, path)
            assert (got, text in body) == (status, True), (path, got, body[:300])
            assert "<script" not in body and "kernel" not in body.lower()
    time.sleep(6)  # past the pool's refill delay: a request that took a kernel would show
    assert kernels_started(quiz) == before, "a request without a valid link took a kernel"


def test_the_refusal_page_speaks_the_exams_language(quiz: RunningQuiz) -> None:
    status, body = get(quiz, "/?assignment=certification-exam-nl")
    assert status == 403 and '<html lang="nl">' in body and "persoonlijke link" in body


def test_a_forged_request_info_socket_is_refused_and_pages_still_open(quiz: RunningQuiz) -> None:
    """Opening and closing ``/voila/query/<kernel id>`` used to take a waiting kernel off
    Voila's list, so the next learners' pages hung; it would also have received their
    query string, link included."""
    status, page = get(quiz, path_of(quiz.link("ada")))
    assert status == 200
    started = KERNEL_STARTED.findall(quiz.log.read_text(errors="replace"))
    host = urlsplit(quiz.url).netloc
    for kernel_id in set(started):
        for headers in ({}, {"X-Grader-Kernel-Key": "guessed"}):
            with pytest.raises(InvalidStatus) as refused:
                websockets.sync.client.connect(
                    f"ws://{host}/voila/query/{kernel_id}", additional_headers=headers
                ).close()
            assert refused.value.response.status_code == 403
    began = time.monotonic()
    status, page = get(quiz, path_of(quiz.link("bo")))
    assert status == 200 and "grader-snapshot" in page
    assert time.monotonic() - began < 30, "the next learner's page was held up"


def open_page(quiz: RunningQuiz, learner: str) -> tuple[str, str]:
    """GET a learner's page as a browser would: (its kernel id, its binding cookie)."""
    address = urlsplit(quiz.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    connection.request("GET", path_of(quiz.link(learner)))
    response = connection.getresponse()
    body = response.read().decode()
    set_cookies = response.msg.get_all("Set-Cookie") or []
    connection.close()
    ours = [c for c in set_cookies if c.startswith("grader-page-")]
    assert response.status == 200 and len(ours) == 1
    assert "HttpOnly" in ours[0] and "SameSite=Strict" in ours[0]
    cookie = "; ".join(c.split(";")[0] for c in set_cookies)
    return re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body).group(1), cookie


def request(quiz: RunningQuiz, method: str, path: str, cookie: str = "") -> int:
    address = urlsplit(quiz.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request(
        method,
        path,
        body=b"" if method == "POST" else None,
        headers={"Cookie": cookie} if cookie else {},
    )
    status = connection.getresponse().status
    connection.close()
    return status


def socket_status(quiz: RunningQuiz, kernel_id: str, cookie: str = "") -> int | object:
    """The kernel websocket's answer: 101 (open, returned) or the refusal's status."""
    session = uuid.uuid4().hex  # one session per socket, as a flood would use
    url = f"ws://{urlsplit(quiz.url).netloc}/api/kernels/{kernel_id}/channels?session_id={session}"
    try:
        return websockets.sync.client.connect(
            url, additional_headers={"Cookie": cookie} if cookie else {}, open_timeout=20
        )
    except InvalidStatus as refused:
        return refused.response.status_code


def test_a_kernel_id_alone_reaches_nothing_and_a_closed_page_frees_its_kernel(
    quiz: RunningQuiz,
) -> None:
    """With learner B's kernel id (in websocket URLs, so in proxy logs) one could read and
    rewrite B's answers; ``GET /api/kernels/<id>`` answered without authentication; and
    Voila's own page-close call was refused for a missing XSRF token."""
    kernel_id, cookie = open_page(quiz, "bo")
    assert request(quiz, "GET", f"/api/kernels/{kernel_id}") == 403
    assert request(quiz, "GET", f"/api/kernels/{kernel_id}", "grader-page-0=guess") == 403
    assert socket_status(quiz, kernel_id) == 403
    other_id, other_cookie = open_page(quiz, "cas")
    assert socket_status(quiz, kernel_id, other_cookie) == 403, "another learner's browser"
    assert request(quiz, "POST", f"/voila/api/shutdown/{kernel_id}") == 403

    assert request(quiz, "GET", f"/api/kernels/{kernel_id}", cookie) == 200
    sockets = [socket_status(quiz, kernel_id, cookie) for _ in range(4)]
    assert all(not isinstance(s, int) for s in sockets), sockets
    assert socket_status(quiz, kernel_id, cookie) == 429, "a fifth socket on one kernel"
    for socket in sockets:
        socket.close()
    assert request(quiz, "POST", f"/voila/api/shutdown/{kernel_id}", cookie) == 204
    assert request(quiz, "GET", f"/api/kernels/{kernel_id}", cookie) == 403
    assert request(quiz, "POST", f"/voila/api/shutdown/{other_id}", other_cookie) == 204


def kernel_message(msg_type: str, content: dict, metadata: dict | None = None) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": "attacker",
        "username": "attacker",
        "date": "2026-12-01T00:00:00Z",
        "version": "5.3",
    }
    message = {"header": header, "parent_header": {}, "metadata": metadata or {}}
    message["content"] = content
    return json.dumps({**message, "channel": "shell"})


def test_a_widget_made_by_the_browser_is_refused_and_the_page_still_draws(
    quiz: RunningQuiz,
) -> None:
    """A ``comm_open`` from the browser for a widget class used to break the kernel's
    widget-state request and send a traceback with server paths to the browser."""
    kernel_id, cookie = open_page(quiz, "dee")
    socket = socket_status(quiz, kernel_id, cookie)
    assert not isinstance(socket, int), socket
    big = {
        "_model_name": "IntSliderModel",
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        "description": "x" * 500_000,
    }
    socket.send(
        kernel_message(
            "comm_open",
            {
                "comm_id": "forged",
                "target_name": "jupyter.widget",
                "data": {"state": big, "buffer_paths": []},
            },
        )
    )
    socket.send(
        kernel_message(
            "comm_open",
            {"comm_id": "control", "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},  # the widget control protocol the browser speaks
        )
    )
    socket.send(
        kernel_message("comm_msg", {"comm_id": "control", "data": {"method": "request_states"}})
    )
    received, states = [], None
    deadline = time.monotonic() + 30
    while states is None and time.monotonic() < deadline:
        text = socket.recv(timeout=deadline - time.monotonic())
        received.append(text)
        message = json.loads(text)
        data = message.get("content", {}).get("data", {})
        if message.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
            states = data["states"]
    socket.close()
    kinds = [(json.loads(r).get("msg_type"), json.loads(r).get("channel")) for r in received]
    assert states and len(states) > 20, ("the page's widget state came back", kinds[:30])
    assert not any(s.get("description", "").startswith("xxx") for s in states.values())
    everything = "\n".join(received)
    assert "Traceback" not in everything and str(quiz.server.course) not in everything


def test_one_link_holds_at_most_three_kernels_and_a_new_visit_always_works(
    quiz: RunningQuiz,
) -> None:
    """Each page is a kernel (about 60 MiB): a learner, or anyone holding one link, could
    open pages until the server ran out of memory."""
    pages = [open_page(quiz, "eve") for _ in range(5)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        live = [k for k, c in pages if request(quiz, "GET", f"/api/kernels/{k}", c) == 200]
        if len(live) <= 3:
            break
        time.sleep(0.5)
    assert live == [k for k, _ in pages[-3:]], "the three newest pages stay, the oldest go"
    shut = KERNEL_SHUTDOWN.findall(quiz.log.read_text(errors="replace"))
    assert {k for k, _ in pages[:2]} <= set(shut)


def test_a_pool_sized_for_a_group_starts_every_kernel(
    built_course_template: Path, tmp_path: Path
) -> None:
    """With TCP, kernels starting together could be handed the same port ("Address
    already in use"): the pool stopped short and some learners' pages never went live."""
    with running_quiz(built_course_template, tmp_path, pool_size=8) as big:
        log = big.log.read_text(errors="replace")
        assert big.ready_kernels() >= 8
        assert "Address already in use" not in log
        status, page = get(big, path_of(big.link("ada")))
        assert status == 200 and "grader-snapshot" in page


def test_a_websocket_flood_on_ones_own_kernel_leaves_other_learners_served(
    quiz: RunningQuiz,
) -> None:
    """About 220 websockets opened on one kernel used to exhaust the server's ZeroMQ
    sockets, so new learners got HTTP 500. Now a kernel takes 4 and the rest are refused."""
    kernel_id, cookie = open_page(quiz, "flood")
    opened, refused = [], []
    for _ in range(60):  # bounded: enough to show the cap, far below the old failure point
        result = socket_status(quiz, kernel_id, cookie)
        (refused if isinstance(result, int) else opened).append(result)
    assert len(opened) == 4 and set(refused) == {429}
    status, page = get(quiz, path_of(quiz.link("newcomer")))
    assert status == 200 and "grader-snapshot" in page
    for socket in opened:
        socket.close()

"""What the quiz server gives to anyone who asks over HTTP: the rendered page and its
assets, never the page's source, the course, the item bank, the answers or the secret."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from grader.course.items import Bank
from grader.learner.answers import save_answer
from grader.quiz.tokens import load_secret

from ..conftest import ASSESSMENT, ASSIGNMENT
from .server import RunningQuiz, running_quiz

pytestmark = pytest.mark.browser  # runs Voila and its kernels, like the browser tests

ANSWER = "A written answer nobody else may read"


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    with running_quiz(built_course_template, tmp_path_factory.mktemp("http")) as running:
        store = running.answers_file
        store.parent.mkdir(parents=True, exist_ok=True)
        save_answer(store, "some-item", ANSWER)
        yield running


def get(quiz: RunningQuiz, path: str, redirects: int = 3) -> tuple[int, str]:
    """GET ``path`` exactly as written (no ``..`` resolved), following redirects."""
    address = urlsplit(quiz.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        location = response.getheader("Location")
    finally:
        connection.close()
    if response.status in (301, 302, 303, 307, 308) and location and redirects:
        return get(quiz, urlsplit(location)._replace(scheme="", netloc="").geturl(), redirects - 1)
    return response.status, body


def private_texts(quiz: RunningQuiz, bank: Bank) -> dict[str, str]:
    item = next(item for item in bank.items_of(ASSESSMENT) if item.kind == "choice")
    return {
        "page source": "show_snapshot",
        "secret": load_secret(quiz.server.secret_file).decode(),
        "stored answer": ANSWER,
        "server settings": str(quiz.server.state),
        "hidden tests": "BEGIN HIDDEN TESTS",
        "explanation": item.explanation.strip()[:50],
        "notebook json": '"nbformat"',
    }


PROBES = [
    "/quiz.ipynb",
    "/voila/files/quiz.ipynb",
    "/voila/files/../server.json",
    "/voila/files/..%2fserver.json",
    "/voila/files/%2e%2e/server.json",
    f"/voila/files/../answers/{ASSIGNMENT}/ada.answers.json",
    "/../server.json",
    "/server.json",
    "/api/contents",
    "/api/contents/quiz.ipynb",
    "/voila/api/contents",
    "/voila/api/contents/quiz.ipynb",
    "/tree",
    "/voila/tree",
    "/voila/render/quiz.ipynb",
    "/api/kernels",
    "/api/sessions",
    "/voila/static/../../../../../etc/passwd",
    "/voila/templates/../../../server.json",
    "/voila/api/themes/../../../server.json",
    "/voila/labextensions/../../../server.json",
    f"/voila/files/../../exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
    "/voila/files/../../solutions/01-confidential.items.yaml",
    "/voila/files/../../gradebook.db",
]


def test_no_source_bank_answers_or_secret_is_served(quiz: RunningQuiz, bank: Bank) -> None:
    needles = private_texts(quiz, bank)
    probes = [
        *PROBES,
        f"/voila/files{quiz.server.secret_file}",
        f"/voila/files{quiz.answers_file}",
        f"/voila/files/{quiz.server.course}/solutions/assessments.yaml",
    ]
    served = {}
    for path in probes:
        status, body = get(quiz, path)
        leaked = [name for name, needle in needles.items() if needle in body]
        assert not leaked, f"{path} ({status}) gave away: {leaked}"
        served[path] = status
    # 403/404, or 500 where Voila's template handler rejects a malformed path by assertion
    refused = {path: status for path, status in served.items() if status >= 400}
    assert refused == served, "every probe is refused"


def test_the_page_itself_is_served_without_its_code(quiz: RunningQuiz, bank: Bank) -> None:
    status, body = get(quiz, urlsplit(quiz.link("ada"))._replace(scheme="", netloc="").geturl())

    assert status == 200 and "<html" in body.lower()
    needles = private_texts(quiz, bank)
    assert [name for name, needle in needles.items() if needle in body] == []
    status, assets = get(quiz, "/voila/static/voila.js")
    assert status == 200 and len(assets) > 1000, "the page's own scripts are served"

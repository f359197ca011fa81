"""The quiz page in a real Chromium: personal link, answers kept on the server, submit, score.

``grader quiz serve`` runs on a copy of the built course. A learner opens a personal link,
answers with keyboard and mouse, reloads and finds the answers kept, submits and sees the
score that nbgrader wrote into the gradebook. Everything the browser received before
the result (every HTTP body and websocket frame) is searched for the key. Forged,
expired, missing and misdirected links show an explanation and no quiz.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from grader.cohort.gradebook import item_scores
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url
from grader.course.points import points_text
from grader.course.points import total as total_of
from grader.learner.answers import read_answers
from grader.learner.widgets import Question
from grader.quiz.page import Refused, build_page
from grader.quiz.site import QuizServer, quiz_server
from grader.quiz.tokens import load_secret

from ..conftest import ASSESSMENT, ASSIGNMENT
from ..learner.test_widgets_browser import (
    ACTION_MS,
    DESKTOP,
    FIRST_RENDER_MS,
    TEXT,
    answer_choice_by_keyboard,
    answer_free_text,
    answer_multi_by_mouse,
    browser,  # noqa: F401  (fixture)
    option_id,
    wait_for_questions,
    wait_for_saved,
    widget_of,
)
from .server import RunningQuiz, running_quiz

GRADING_MS = 180_000


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    with running_quiz(built_course_template, tmp_path_factory.mktemp("quiz")) as running:
        yield running


class Recorder:
    """Everything a page received: response bodies and websocket frames, as text."""

    def __init__(self, page: Page) -> None:
        self.received: list[str] = []
        page.on("response", self._response)
        page.on("websocket", self._websocket)

    def _response(self, response) -> None:
        try:
            self.received.append(response.body().decode("utf-8", "replace"))
        except Exception:  # a redirect or a body the browser dropped: nothing received
            self.received.append(f"(no body: {response.status} {response.url})")

    def _websocket(self, socket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        self.received.append(text)

    def found(self, needles: dict[str, str]) -> list[str]:
        """The names of the needles that occur in anything received so far."""
        everything = "\n".join(self.received)
        return [name for name, needle in needles.items() if needle in everything]


def fragment(text: str) -> str:
    """A distinctive plain-ASCII stretch of ``text`` (survives HTML and JSON escaping)."""
    chunks = re.split(r"[^A-Za-z0-9 ,]+", text)
    return max(chunks, key=len).strip()[:40]


def secrets_of(bank: Bank) -> dict[str, str]:
    """What would reveal the key: explanations, rubrics, model answers, key option ids."""
    needles = {"hidden test code": "check_answer"}
    for item in bank.items_of(ASSESSMENT):
        needles[f"{item.id} explanation"] = fragment(item.explanation)
        for number, line in enumerate(item.rubric):
            needles[f"{item.id} rubric {number}"] = fragment(line.criterion)
        if item.model_answer:
            needles[f"{item.id} model answer"] = fragment(item.model_answer)
        for key in item.key:
            needles[f"{item.id} key {key}"] = key
    return needles


def open_page(chromium: Browser, url: str) -> tuple[Page, Recorder]:
    """A new browser context on ``url``, recording everything it receives."""
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(ACTION_MS)
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(url, timeout=FIRST_RENDER_MS)
    return page, recorder


@pytest.mark.browser
@pytest.mark.nbgrader
def test_a_learner_answers_reloads_submits_and_sees_the_score(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    bank: Bank,
) -> None:
    page, recorder = open_page(browser, quiz.link("ada"))
    wait_for_questions(page, quiz)
    choice_id, choice_text = answer_choice_by_keyboard(page, quiz)
    multi_id, multi_texts = answer_multi_by_mouse(page, quiz)
    text_id = answer_free_text(page, quiz, TEXT)
    multi = quiz.questions[multi_id]
    wait_for_saved(quiz, choice_id, option_id(quiz.questions[choice_id], choice_text))
    wait_for_saved(quiz, multi_id, sorted(option_id(multi, text) for text in multi_texts))
    wait_for_saved(quiz, text_id, TEXT)

    page.reload(timeout=FIRST_RENDER_MS)
    wait_for_questions(page, quiz)
    choice = widget_of(page, quiz.questions[choice_id])
    expect(choice.get_by_role("radio", name=choice_text, exact=True)).to_be_checked()
    for text in multi_texts:
        expect(
            widget_of(page, multi).get_by_role("checkbox", name=text, exact=True)
        ).to_be_checked()
    expect(widget_of(page, quiz.questions[text_id]).get_by_role("textbox")).to_have_value(TEXT)

    needles = secrets_of(bank)
    assert len(recorder.received) > 20, "the recorder saw the page and its websocket"
    assert recorder.found(needles) == [], "the key reached the browser before grading"

    submit = page.get_by_role("button", name="Submit my exam")
    submit.click()
    expect(page.get_by_role("alertdialog")).to_contain_text("are not answered yet")
    page.get_by_role("button", name="Yes, submit now").click()
    score = page.locator(".grader-result .score")
    expect(score).to_be_visible(timeout=GRADING_MS)

    scores = item_scores(course_db_url(quiz.server.course), ASSIGNMENT)["ada"]
    earned = points_text(total_of(value or 0.0 for value in scores.values()))
    total = sum(item.points for item in bank.items_of(ASSESSMENT))
    expect(score).to_contain_text(re.compile(rf"{earned} of {total:g}"))
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_text("This exam is submitted; no attempts are left.")).to_be_visible()
    choice_item = next(i for i in bank.items_of(ASSESSMENT) if i.id == choice_id)
    shown = recorder.found({"explanation": fragment(choice_item.explanation)})
    assert shown == ["explanation"], "after the final grading the feedback explains"

    page.reload(timeout=FIRST_RENDER_MS)
    expect(page.locator(".grader-result .score")).to_have_text(
        score.inner_text(), timeout=ACTION_MS
    )
    expect(page.get_by_role("button", name="Submit my exam")).to_have_count(0)
    page.context.close()


@pytest.mark.browser
def test_answers_survive_a_closed_tab_and_a_server_restart(
    browser: Browser,  # noqa: F811
    built_course_template: Path,
    tmp_path: Path,
) -> None:
    with running_quiz(built_course_template, tmp_path, pool_size=0) as first:
        first.learner = "cleo"
        page, _ = open_page(browser, first.link("cleo"))
        wait_for_questions(page, first)
        choice_id, choice_text = answer_choice_by_keyboard(page, first)
        wait_for_saved(first, choice_id, option_id(first.questions[choice_id], choice_text))
        page.context.close()

    with running_quiz(built_course_template, tmp_path, pool_size=0) as second:
        page, _ = open_page(browser, second.link("cleo"))
        wait_for_questions(page, second)
        choice = widget_of(page, second.questions[choice_id])
        expect(choice.get_by_role("radio", name=choice_text, exact=True)).to_be_checked()
        expect(choice.get_by_role("status")).to_have_text("Your saved answer is shown.")
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing", "This page needs your personal link"),
        ("forged", "This link is not valid"),
        ("expired", "This link expired on"),
        ("other assignment", "This link belongs to another exam"),
    ],
)
def test_a_bad_link_shows_an_explanation_and_no_quiz(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    case: str,
    expected: str,
) -> None:
    good = quiz.link("bob")
    if case == "missing":
        url = good.split("&token=")[0]
    elif case == "forged":
        url = quiz.link("bob").replace("token=ey", "token=eY")
    elif case == "expired":
        url = quiz.link("bob", valid_seconds=-60)
    else:
        url = quiz.link("bob", assignment="certification-exam-nl").replace(
            "assignment=certification-exam-nl", f"assignment={ASSIGNMENT}"
        )
    page, recorder = open_page(browser, url)

    notice = page.get_by_role("alert")
    expect(notice).to_contain_text(expected, timeout=FIRST_RENDER_MS)
    expect(page.locator(".grader-question-widget")).to_have_count(0)
    expect(page.get_by_role("button")).to_have_count(0)
    first_question = next(iter(quiz.questions.values()))["question"]
    assert recorder.found({"a question": fragment(first_question)}) == []
    page.context.close()


@pytest.mark.browser
def test_a_lesson_gives_instant_feedback_and_keeps_the_learners_practice(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
) -> None:
    token = quiz.link("ada").split("token=")[1]
    url = f"{quiz.url}?lesson=01-confidential&language=nl&token={token}"
    page, _ = open_page(browser, url)
    first = page.locator(".grader-question-widget").first
    first.get_by_role("radio").first.check()
    expect(first.locator(".grader-feedback")).to_contain_text(re.compile("Goed|Niet helemaal"))
    page.context.close()
    kept = quiz.server.lessons_dir("ada", "nl") / "01-confidential.answers.json"
    deadline = time.monotonic() + 10
    while not kept.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert kept.exists(), "the practice answer is kept for the learner"


def built_page(server: QuizServer, params: dict[str, str], **env: str):
    """The page for these query parameters, with every question added."""
    root = build_page(server, params, env)
    deadline = time.monotonic() + 60
    while root.children and not any("grader-submit" in c._dom_classes for c in root.children):
        assert time.monotonic() < deadline, "the page did not finish"
        time.sleep(0.05)
    return root


@pytest.mark.nbgrader
def test_under_jupyterhub_the_hub_user_answers_without_a_link(
    built_course: Path, tmp_path: Path
) -> None:
    server = quiz_server(built_course, secret_file=tmp_path / "secret")

    root = built_page(server, {"assignment": ASSIGNMENT}, JUPYTERHUB_USER="zoe")

    questions = [c for c in root.children if isinstance(c, Question)]
    assert len(questions) == 32
    choice = next(q for q in questions if q.kind == "choice")
    choice.control.value = choice.option_ids[0]
    stored = read_answers(server.answers_file(ASSIGNMENT, "zoe"))
    assert stored == {choice.item_id: choice.option_ids[0]}


@pytest.mark.nbgrader
def test_without_a_valid_link_the_page_explains_in_the_exam_language(
    built_course: Path, tmp_path: Path
) -> None:
    server = quiz_server(built_course, secret_file=tmp_path / "secret")
    load_secret(server.secret_file)
    nl = ASSIGNMENT.replace("-en", "-nl")

    forged = build_page(server, {"assignment": nl, "token": "eyJh.bad"}, {})
    unknown = build_page(server, {"assignment": "../solutions"}, {"HTTP_ACCEPT_LANGUAGE": "nl"})
    missing = build_page(server, {"assignment": ASSIGNMENT}, {})

    assert "Deze link is niet geldig" in forged.value
    assert "Op dit adres staat geen examen of les" in unknown.value
    assert "This page needs your personal link" in missing.value
    for refused in (forged, unknown, missing):  # only the refusal, and who to ask
        assert isinstance(refused, Refused) and "Sanne de Vries" in refused.value
        assert "mailto:social@meridian.example" in refused.value
        assert "grader-snapshot" not in refused.value


@pytest.mark.browser
def test_a_double_click_on_submit_submits_nothing_and_can_be_cancelled(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
) -> None:
    """The confirmation used to be the same button, so a double click submitted an exam
    with 31 questions unanswered."""
    fay = dataclasses.replace(quiz, learner="fay")
    page, _ = open_page(browser, quiz.link("fay"))
    wait_for_questions(page, fay)
    question_id, text = answer_choice_by_keyboard(page, fay)
    wait_for_saved(fay, question_id, option_id(fay.questions[question_id], text))
    page.get_by_role("button", name="Submit my exam").dblclick()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("31 of 32 questions are not answered yet")
    page.wait_for_timeout(1500)
    assert not (quiz.server.course / "submitted" / "fay").exists(), "a double click submitted"
    page.get_by_role("button", name="Back to the exam").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Submit my exam")).to_be_enabled()
    page.context.close()


@pytest.mark.browser
@pytest.mark.nbgrader
def test_once_submitted_another_tab_cannot_change_the_answers(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
) -> None:
    """A change in a second tab, while grading ran or afterwards, used to say "Saved at"
    and change the stored answers, so what was graded and what was stored differed."""
    gus = dataclasses.replace(quiz, learner="gus")
    first, _ = open_page(browser, quiz.link("gus"))
    wait_for_questions(first, gus)
    question_id, text = answer_choice_by_keyboard(first, gus)
    wait_for_saved(gus, question_id, option_id(gus.questions[question_id], text))
    second, _ = open_page(browser, quiz.link("gus"))
    wait_for_questions(second, gus)
    first.get_by_role("button", name="Submit my exam").click()
    first.get_by_role("button", name="Yes, submit now").click()
    expect(first.locator(".grader-result .score")).to_be_visible(timeout=GRADING_MS)
    other = widget_of(second, gus.questions[question_id])
    other.locator("input[type=radio]:not(:checked)").first.check()
    expect(other.get_by_role("status")).to_contain_text("was not saved")
    stored = read_answers(gus.answers_file)
    graded = read_answers(
        quiz.server.course / "submitted" / "gus" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
    )
    assert stored == graded and list(stored) == [question_id]
    first.context.close()
    second.context.close()


@pytest.mark.browser
def test_reloads_and_a_closed_tab_leave_no_kernel_behind(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
) -> None:
    """Voila's "shut my kernel down" call on leaving a page was refused (no XSRF token),
    so 5 reloads and a closed tab left 6 kernels of about 60 MiB each."""
    hal = dataclasses.replace(quiz, learner="hal")
    page, _ = open_page(browser, quiz.link("hal"))
    kernels = []
    for visit in range(3):
        wait_for_questions(page, hal)
        kernels += re.findall(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())[:1]
        if visit < 2:
            page.reload(timeout=FIRST_RENDER_MS)
    page.close(run_before_unload=True)
    assert len(set(kernels)) == 3, kernels
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        shut = set(re.findall(r"Kernel shutdown: ([0-9a-f-]{36})", quiz.log.read_text()))
        if set(kernels) <= shut:
            break
        time.sleep(0.5)
    assert set(kernels) <= shut, "a page that was left kept its kernel"

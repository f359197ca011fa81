"""A cohort on a real JupyterHub, in Chromium: learners log in, fetch and submit an exercise
from JupyterLab's assignment list and take the exam as a quiz page through the hub; the
trainer collects, autogrades, grades a written answer in the formgrader through the hub
and releases feedback; each learner gets their own feedback only. Then what a learner may
not do: reach the formgrader, another learner's server, or the quiz page as someone else.

Figures (hub start, a learner's server start, exam page ready, memory per learner) are
printed at the end of the module.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import Browser, BrowserContext, Page, expect

from grader.course.items import Bank
from grader.course.paths import QUESTIONS_SUFFIX, RELEASE_DIR
from grader.course.points import points_text
from grader.learner.answers import FORMAT_VERSION, answers_path
from grader.learner.simulate import all_right
from grader.quiz.site import quiz_server
from grader.quiz.tokens import load_secret, make_token

from ..conftest import ASSIGNMENT
from ..learner.test_widgets_browser import (
    ACTION_MS,
    DESKTOP,
    answer_choice_by_keyboard,
    browser,  # noqa: F401  (fixture)
    option_id,
    wait_for_questions,
    wait_for_saved,
)
from ..quiz.server import RunningQuiz
from ..quiz.test_accessibility import WIDTHS, axe_script, check_axe
from .conftest import COURSE_ID, EXERCISE, EXERCISE_ID, LEARNERS, PASSWORD, TRAINER, Hub

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

LAB_MS = 90_000  # a learner's first server start, JupyterLab drawn
GRADING_MS = 180_000
WRITTEN = {
    "alice": "I would say I cannot comment before the results are out.",
    "bob": "Better to wait until the figures are published, then share the press release.",
}


def log_in(browser: Browser, hub: Hub, user: str) -> BrowserContext:  # noqa: F811
    """A browser logged in to the hub as ``user`` (the hub's own login form)."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(ACTION_MS)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(re.compile(r".*/(hub/spawn|hub/home|user/).*"))
    page.close()
    return context


@pytest.fixture(scope="module")
def sessions(browser: Browser, hub: Hub) -> Iterator[dict[str, BrowserContext]]:  # noqa: F811
    contexts = {user: log_in(browser, hub, user) for user in (*LEARNERS, TRAINER)}
    try:
        yield contexts
    finally:
        for context in contexts.values():
            context.close()


def processes() -> list[tuple[bytes, bytes]]:
    """The command line and starting environment of every process this test may read."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            found.append(((proc / "cmdline").read_bytes(), (proc / "environ").read_bytes()))
        except OSError:
            continue
    return found


def quiz_kernels() -> list[bytes]:
    """The starting environment of each page kernel of the quiz server."""
    return [env for cmd, env in processes() if b"ipykernel" in cmd and b"GRADER_QUIZ_KERNEL" in env]


def settled_kernel_starts(hub: Hub, quiet: float = 8) -> int:
    """How many kernels the quiz server has started, once none has started for ``quiet``
    seconds (a page taken from the pool is replaced a few seconds later)."""
    count, since, deadline = -1, time.monotonic(), time.monotonic() + 60
    while time.monotonic() < deadline:
        now = hub.log.read_text(errors="replace").count("[QuizVoila] Kernel started")
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return count
        time.sleep(0.5)
    raise AssertionError("the quiz server kept starting kernels for a minute")


def quiz_service_token() -> bytes:
    """The hub token of the quiz service, as the hub gave it to ``grader quiz serve``."""
    for cmd, env in processes():
        if b"quiz\0serve\0--hub" in cmd:
            for variable in env.split(b"\0"):
                if variable.startswith(b"JUPYTERHUB_API_TOKEN="):
                    return variable.partition(b"=")[2]
    raise AssertionError("no quiz service with a hub token runs")


def server_memory(hub: Hub, user: str) -> float:
    """The resident memory (MiB) of ``user``'s single-user server and its children."""
    total = 0
    for proc in Path("/proc").iterdir():
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            status = (proc / "status").read_text()
        except OSError:
            continue
        if f"JUPYTERHUB_USER={user}".encode() in environ and str(hub.state).encode() in b"".join(
            environ
        ):
            found = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(found.group(1)) if found else 0
    return total / 1024


def open_lab(context: BrowserContext, hub: Hub, user: str) -> Page:
    """The learner's JupyterLab, their server started by the hub on the way."""
    page = context.new_page()
    started = time.monotonic()
    page.goto(f"{hub.url}/hub/spawn", timeout=LAB_MS)
    page.wait_for_url(f"**/user/{user}/lab**", timeout=LAB_MS)
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=LAB_MS)
    hub.figures.setdefault(
        f"server start and JupyterLab drawn, {user} (s)", time.monotonic() - started
    )
    return page


def nbgrader_menu(page: Page, command: str) -> None:
    """Choose ``command`` from JupyterLab's Nbgrader menu."""
    page.locator('.lm-MenuBar-itemLabel:text-is("Nbgrader")').click()
    page.locator(f'#jp-mainmenu-nbgrader li[data-command="{command}"]').click()


def assignment_list(page: Page) -> None:
    """nbgrader's Assignments panel, opened from the Nbgrader menu."""
    nbgrader_menu(page, "nbgrader:open-assignment-list")
    expect(page.locator("#released_assignments_list")).to_be_attached()


def rows(page: Page, name: str, count: int):
    found = page.locator(f"#{name}_assignments_list > .list_item")
    expect(found).to_have_count(count, timeout=LAB_MS)
    return found


def answer_exercise(hub: Hub, learner: str, bank: Bank) -> None:
    """What the exercise's widgets save as the learner answers (in the fetched folder)."""
    folder = hub.home(learner) / EXERCISE
    items = bank.items_of(EXERCISE_ID)
    answers = all_right(items)
    for item in items:
        if item.kind == "free-text":
            answers[item.id] = WRITTEN[learner]
    data = {"version": FORMAT_VERSION, "answers": answers}
    answers_path(folder, EXERCISE).write_text(json.dumps(data), encoding="utf-8")


def test_learners_fetch_and_submit_the_exercise_from_jupyterlab(
    hub: Hub, sessions: dict[str, BrowserContext], bank: Bank
) -> None:
    for learner in LEARNERS:
        page = open_lab(sessions[learner], hub, learner)
        hub.figures[f"memory of {learner}'s server (MiB)"] = server_memory(hub, learner)
        assignment_list(page)
        released = rows(page, "released", 1)
        expect(released.first.locator(".item_name")).to_have_text(EXERCISE)
        expect(released.first.locator(".item_course")).to_have_text(COURSE_ID)
        released.first.locator(".item_status button").click()
        rows(page, "fetched", 1)
        answer_exercise(hub, learner, bank)
        page.locator('#fetched_assignments_list .item_status button:text("Submit")').click()
        submitted = rows(page, "submitted", 1)
        expect(submitted.first.locator(".item_name").first).to_have_text(EXERCISE)
        page.screenshot(path=str(hub.root / f"lab-{learner}.png"))
        page.close()
    inbound = sorted(p.name.split("+")[0] for p in (hub.exchange / COURSE_ID / "inbound").iterdir())
    assert inbound == sorted(LEARNERS), "each submission is named after its hub user"


def test_a_learner_takes_the_exam_through_the_hub_without_a_link(
    hub: Hub, sessions: dict[str, BrowserContext]
) -> None:
    server = quiz_server(hub.course, hub.state / "quiz" / "server", hub.secret)
    folder = hub.course / RELEASE_DIR / ASSIGNMENT
    questions = json.loads((folder / f"{ASSIGNMENT}{QUESTIONS_SUFFIX}").read_text())["questions"]
    quiz = RunningQuiz(
        server=server,
        url=f"{hub.url}/services/quiz/",
        log=hub.log,
        questions={q["id"]: q for q in questions},
        learner="alice",
    )
    page = sessions["alice"].new_page()
    started = time.monotonic()
    page.goto(f"{hub.url}/services/quiz/?assignment={ASSIGNMENT}", timeout=LAB_MS)
    wait_for_questions(page, quiz)
    hub.figures["exam page ready through the hub (s)"] = time.monotonic() - started
    assert "token=" in page.url, "the hub user got a personal token on the way"
    expect(page.locator(".grader-learner").first).to_contain_text(
        "Alice A"
    )  # the roster's name of the hub user
    choice_id, choice_text = answer_choice_by_keyboard(page, quiz)
    wait_for_saved(quiz, choice_id, option_id(quiz.questions[choice_id], choice_text))
    assert server.answers_file(ASSIGNMENT, "alice").is_file(), "kept under the hub user"
    token, kernels = quiz_service_token(), quiz_kernels()
    assert kernels, "the quiz server's page kernels run"
    assert not [env for env in kernels if token in env], "no page kernel has the hub token"
    page.screenshot(path=str(hub.root / "exam-through-hub.png"))
    page.get_by_role("button", name="Submit my exam").click()
    page.get_by_role("button", name="Yes, submit now").click()
    score = page.locator(".grader-result .score")
    expect(score).to_be_visible(timeout=GRADING_MS)
    with Gradebook(hub.gradebook) as gradebook:  # graded by nbgrader, under the hub user
        earned = points_text(gradebook.find_submission(ASSIGNMENT, "alice").score)
    expect(score).to_contain_text(re.compile(rf"You scored {re.escape(earned)} of "))
    page.close()


def test_the_trainer_grades_a_written_answer_in_formgrader_through_the_hub(
    hub: Hub, sessions: dict[str, BrowserContext]
) -> None:
    hub.trainer_command("cohort", "collect", EXERCISE)
    hub.trainer_command("cohort", "autograde", EXERCISE, "--workers", "1")
    with Gradebook(hub.gradebook) as gradebook:
        submission = gradebook.find_submission_notebook(EXERCISE, EXERCISE, "alice").id
    page = sessions[TRAINER].new_page()
    page.goto(f"{hub.url}/services/{COURSE_ID}/formgrader/submissions/{submission}/")
    page.wait_for_function("window.formgrader && formgrader.loaded")
    score = page.locator("input.score").first
    score.fill("1")
    score.press("Tab")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(hub.root / "formgrader-through-hub.png"))
    with Gradebook(hub.gradebook) as gradebook:
        grades = [
            g
            for g in gradebook.find_submission_notebook(EXERCISE, EXERCISE, "alice").grades
            if g.manual_score is not None
        ]
    assert [g.manual_score for g in grades] == [1]
    # The formgrader panel inside the trainers' JupyterLab is drawn (not a blank frame).
    lab = sessions[TRAINER].new_page()
    lab.goto(f"{hub.url}/services/{COURSE_ID}/lab", timeout=LAB_MS)
    expect(lab.locator("#jp-main-dock-panel")).to_be_visible(timeout=LAB_MS)
    nbgrader_menu(lab, "nbgrader:open-formgrader")
    frame = lab.frame_locator("iframe").first
    expect(frame.get_by_text("Manage Assignments").first).to_be_visible(timeout=LAB_MS)
    lab.screenshot(path=str(hub.root / "formgrader-panel.png"))
    page.close()
    lab.close()


def test_each_learner_fetches_their_own_feedback_only(
    hub: Hub, sessions: dict[str, BrowserContext]
) -> None:
    hub.trainer_command("cohort", "feedback", EXERCISE, "--release", "--workers", "1")
    for learner in LEARNERS:
        page = sessions[learner].new_page()
        page.goto(f"{hub.url}/user/{learner}/lab", timeout=LAB_MS)
        expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=LAB_MS)
        assignment_list(page)
        rows(page, "submitted", 1).first.locator('button:text("Fetch Feedback")').click()
        feedback = hub.home(learner) / EXERCISE / "feedback"
        deadline = time.monotonic() + 30
        while not list(feedback.glob("*/*.html")) and time.monotonic() < deadline:
            time.sleep(0.2)
        pages = list(feedback.glob("*/*.html"))
        assert len(pages) == 1, f"{learner} has their one feedback page"
        text = pages[0].read_text(encoding="utf-8")
        other = next(name for name in LEARNERS if name != learner)
        if WRITTEN[learner]:
            assert WRITTEN[learner] in text
        if WRITTEN[other]:
            assert WRITTEN[other] not in text, "another learner's answers are never shown"
        page.close()


def test_a_learner_cannot_reach_the_formgrader(
    hub: Hub, sessions: dict[str, BrowserContext]
) -> None:
    page = sessions["alice"].new_page()
    reply = page.goto(f"{hub.url}/services/{COURSE_ID}/formgrader")
    assert reply is not None and reply.status == 403, page.content()[:500]
    expect(page.get_by_text("Manage Assignments")).to_have_count(0)
    page.close()


def test_a_learner_cannot_reach_another_learners_server(
    hub: Hub, sessions: dict[str, BrowserContext]
) -> None:
    own = sessions["bob"].new_page()  # bob's server runs: a refusal is about alice
    reply = own.goto(f"{hub.url}/user/bob/api/contents/{EXERCISE}")
    assert reply is not None and reply.status == 200
    own.close()
    page = sessions["alice"].new_page()
    for path in ("/user/bob/lab", f"/user/bob/api/contents/{EXERCISE}"):
        reply = page.goto(f"{hub.url}{path}")
        assert reply is not None and reply.status == 403, f"{path}: {reply and reply.status}"
        assert WRITTEN["bob"] not in page.content()
    page.close()


def test_a_learner_cannot_take_the_exam_as_someone_else_through_the_hub(
    hub: Hub, sessions: dict[str, BrowserContext]
) -> None:
    """alice asks for bob's page by name: she gets her own. Then she opens bob's personal
    link (forwarded to her, say) while logged in: she is told it is not hers. A trainer who
    is not on the roster gets no exam page at all."""
    page = sessions["alice"].new_page()
    page.goto(f"{hub.url}/services/quiz/start?assignment={ASSIGNMENT}&learner=bob&user=bob")
    expect(page.locator(".grader-learner").first).to_contain_text("Alice A", timeout=LAB_MS)
    expect(page.get_by_text("Bob B")).to_have_count(0)  # nowhere on alice's page
    secret = load_secret(hub.secret)
    token = make_token(secret, "bob", ASSIGNMENT, int(time.time()) + 600)
    reply = page.goto(f"{hub.url}/services/quiz/?assignment={ASSIGNMENT}&token={token}")
    assert reply is not None and reply.status == 403
    expect(page.get_by_role("alert")).to_contain_text("logged in as alice")
    looks_finished(page, hub, "refused-other-learner")
    page.close()
    trainer = sessions[TRAINER].new_page()
    reply = trainer.goto(f"{hub.url}/services/quiz/?assignment={ASSIGNMENT}")
    assert reply is not None and reply.status == 403
    expect(trainer.get_by_role("alert")).to_contain_text("not on this course's list")
    expect(trainer.locator("main")).to_contain_text("Sanne de Vries")  # whom to ask
    expect(trainer).to_have_title("Not on the list of learners")
    looks_finished(trainer, hub, "refused-not-enrolled")
    trainer.close()


def looks_finished(page: Page, hub: Hub, name: str) -> None:
    """axe-core finds nothing on the page at phone and desktop width; screenshots of both."""
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        check_axe(page, axe_script(), f"{name} {width}")
        page.screenshot(path=str(hub.root / f"{name}-{width}.png"), full_page=True)


def test_an_anonymous_visitor_is_sent_to_the_hub_login_and_costs_no_kernel(
    hub: Hub,
    browser: Browser,  # noqa: F811
    sessions: dict[str, BrowserContext],
) -> None:
    before = settled_kernel_starts(hub)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for path in (f"?assignment={ASSIGNMENT}", f"start?assignment={ASSIGNMENT}&learner=bob"):
        page.goto(f"{hub.url}/services/quiz/{path}")
        assert "/hub/login" in page.url
        expect(page.locator("#username_input")).to_be_visible()
    context.close()
    assert settled_kernel_starts(hub) == before, "no page, so no kernel, for an anonymous visit"
    page = sessions["bob"].new_page()  # and the count does see a page that is drawn
    page.goto(f"{hub.url}/services/quiz/?assignment={ASSIGNMENT}", timeout=LAB_MS)
    expect(page.locator(".grader-learner").first).to_contain_text("Bob B", timeout=LAB_MS)
    page.close()
    assert settled_kernel_starts(hub) > before


def test_a_personal_link_works_without_a_hub_account(hub: Hub, browser: Browser) -> None:  # noqa: F811
    """Someone without a hub account (a contractor, say) opens the mailed link."""
    secret = load_secret(hub.secret)
    token = make_token(secret, "bob", ASSIGNMENT, int(time.time()) + 600)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{hub.url}/services/quiz/?assignment={ASSIGNMENT}&token={token}", timeout=LAB_MS)
    expect(page.locator(".grader-learner").first).to_contain_text("Bob B", timeout=LAB_MS)
    assert "/hub/login" not in page.url
    context.close()


def test_the_idle_culler_may_do_its_job(hub: Hub) -> None:
    """It lists users and their servers with its own role; a refusal would leave every idle
    server running."""
    lines = [line for line in hub.log.read_text().splitlines() if "(idle-culler@" in line]
    assert any(" 200 GET /hub/api/users" in line for line in lines), lines
    assert not [line for line in lines if " 403 " in line]

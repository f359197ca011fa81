"""The quiz page's snapshot: the page as plain HTML at once, answers handed to the live widgets.

The unit tests build pages in this process and read their snapshot. The browser test holds
Voila's JavaScript back, so the learner answers in the snapshot for certain, then lets it
through and checks that every answer reached the live widgets and the answers store.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import ipywidgets as widgets
import pytest
from playwright.sync_api import Browser, Route, expect

from grader.learner.answers import read_answers, save_answer
from grader.learner.widgets import Question, shared_layout, shared_style
from grader.quiz.page import build_page
from grader.quiz.site import quiz_server
from grader.quiz.snapshot import (
    LIVE_CLASS,
    SNAPSHOT_METADATA,
    connect,
    snapshot_html,
    snapshot_output,
    unconnected,
)

from ..conftest import ASSIGNMENT
from ..learner.test_widgets import widgets_in
from ..learner.test_widgets_browser import (
    ACTION_MS,
    DESKTOP,
    FIRST_RENDER_MS,
    browser,  # noqa: F401  (fixture)
    wait_for_saved,
)
from .server import RunningQuiz, running_quiz

FIELDS = re.compile(r"<(input|textarea)\b")
# The first option group under ``root``: its elements' tags and classes, and its labels' sizes.
FIRST_GROUP = """root => {
    const group = root.querySelector('.grader-options');
    const shape = element => [
        element.tagName, element.className, element.type || '', element.getAttribute('role'),
        [...element.children].map(shape),
    ];
    const sizes = [...group.querySelectorAll('label')].map(label => {
        const box = label.getBoundingClientRect();
        return [Math.round(box.width), Math.round(box.height)];
    });
    return {shape: shape(group), sizes};
}"""


def exam_page(built_course: Path, tmp_path: Path, learner: str = "zoe") -> widgets.VBox:
    server = quiz_server(built_course, secret_file=tmp_path / "secret")
    return build_page(server, {"assignment": ASSIGNMENT}, {"JUPYTERHUB_USER": learner})


def questions_of(page: widgets.VBox) -> list[Question]:
    return [child for child in page.children if isinstance(child, Question)]


@pytest.mark.nbgrader
def test_the_snapshot_shows_every_question_and_saved_answer_as_the_widgets_do(
    built_course: Path, tmp_path: Path
) -> None:
    server = quiz_server(built_course, secret_file=tmp_path / "secret")
    answers = server.answers_file(ASSIGNMENT, "zoe")
    first = exam_page(built_course, tmp_path)
    choice = next(q for q in questions_of(first) if q.kind == "choice")
    written = next(q for q in questions_of(first) if q.kind == "free-text")
    save_answer(answers, choice.item_id, choice.option_ids[2])
    save_answer(answers, written.item_id, "<script>alert(1)</script> & more")

    page = exam_page(built_course, tmp_path)
    html = snapshot_html(page, "en")

    questions = questions_of(page)
    fields = sum(len(q.option_ids) or 1 for q in questions)
    assert len(FIELDS.findall(html)) == fields, "one field per live input, in the same order"
    assert html.count("class='grader-snap-box snap-grader-question-widget'") == len(questions)
    for question in questions:
        shown = question.label.value if question.label else escape(question.control.question)
        assert shown in html
    place = choice.control.option_ids.index(choice.option_ids[2])
    shown = escape(choice.control.options[place])
    assert re.search(
        rf"value='{place}' checked><span class='grader-option-text'>{re.escape(shown)}</span>",
        html,
    )
    assert len(re.findall(r"<input [^>]* checked>", html)) == 1
    groups = sum(1 for question in questions if question.kind != "free-text")
    assert html.count("<fieldset class='grader-options") == groups
    assert html.count(str(choice.control._css)) == 1, "the options' style sheet, once"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</textarea>" in html
    assert "<script" not in html
    assert "<button type='button' disabled>Submit my exam</button>" in html
    assert "Connecting to the server" in html
    live_class = re.compile(r"class='([^']*\s)?grader-question-widget[\s']")
    assert not live_class.search(html), "test selectors for live widgets never match the snapshot"


def test_hidden_widgets_and_outputs_are_left_out_and_the_live_page_is_marked() -> None:
    hidden = widgets.Button(description="Save again", layout=widgets.Layout(display="none"))
    output = widgets.Output()
    output.append_stdout("printed")
    progress = widgets.HBox([widgets.IntProgress(value=2, max=5), widgets.Label("2 of 5")])
    page = widgets.VBox([widgets.HTML("<p>Shown</p>"), hidden, output, progress])

    snapshot, metadata = snapshot_output(page, "nl")

    assert "<p>Shown</p>" in snapshot.data
    assert (
        "<div class='grader-snap-row'><progress value='2' max='5'></progress>"
        "<div class='grader-snap-html'>2 of 5</div></div>" in snapshot.data
    )
    assert "Save again" not in snapshot.data
    assert "printed" not in snapshot.data
    assert "Verbinding maken met de server" in snapshot.data
    assert "data-pending='Wordt opgeslagen zodra de pagina verbonden is.'" in snapshot.data
    assert metadata == {SNAPSHOT_METADATA: True}
    assert LIVE_CLASS in page._dom_classes


@pytest.mark.nbgrader
def test_a_page_built_unconnected_is_sent_whole_by_connect(
    built_course: Path, tmp_path: Path
) -> None:
    shared_layout.cache_clear()  # as in a fresh page kernel: no shared widget sent yet
    shared_style.cache_clear()
    with unconnected():
        page = exam_page(built_course, tmp_path)
        snapshot_html(page, "en")
        everything = list(widgets_in(page, set()))
    assert len(everything) > 100
    sent = [type(w).__name__ for w in everything if w.comm is not None]
    assert sent == [], "nothing sent before connect"

    connect(page)

    assert all(widget.comm is not None for widget in everything)
    state = page.get_state()
    assert state["children"][0] == f"IPY_MODEL_{page.children[0].model_id}"
    later = widgets.HTML("made after")
    assert later.comm is not None, "widgets made afterwards are sent as usual"


@pytest.fixture(scope="module")
def quiz(built_course_template: Path, tmp_path_factory: pytest.TempPathFactory):
    with running_quiz(built_course_template, tmp_path_factory.mktemp("quiz")) as running:
        running.learner = "grace"
        yield running


@pytest.mark.browser
def test_answers_given_before_the_page_is_live_are_handed_over_and_saved(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(ACTION_MS)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    held: list[Route] = []
    released = False

    def hold_back_voila(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/voila/static/**", hold_back_voila)
    page.goto(quiz.link("grace"), wait_until="commit", timeout=FIRST_RENDER_MS)

    snapshot = page.locator(".grader-snapshot")
    expect(snapshot).to_be_visible(timeout=FIRST_RENDER_MS)
    expect(snapshot.get_by_role("status").first).to_have_text(re.compile("Connecting"))
    choice, multi, written = (quiz.first(kind) for kind in ("choice", "multi-select", "free-text"))
    # Several items ask "What do you do?": the first such group is the first choice item.
    radios = snapshot.get_by_role("radiogroup", name=choice["question"]).first.get_by_role("radio")
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    picked_choice = radios.nth(1).evaluate("radio => radio.parentElement.textContent")
    multi_group = snapshot.locator(".snap-grader-question-widget").filter(
        has_text=multi["question"]
    )
    ticked = [multi["options"][3]["text"], multi["options"][0]["text"]]
    for text in ticked:
        multi_group.locator("label").filter(has_text=text).click()
    box = snapshot.get_by_role("textbox", name=written["question"]).first
    box.click()
    box.press_sequentially("First line")
    box.press("Enter")
    box.press_sequentially("second")  # still typing when the page goes live

    question_of = snapshot.locator(".snap-grader-question-widget")
    first_choice = question_of.filter(has_text=choice["question"]).first  # questions repeat
    expect(first_choice.get_by_role("status")).to_have_text(
        "Saved as soon as the page is connected."
    )
    assert not quiz.answers_file.exists(), "nothing is saved from the snapshot itself"
    expect(page.locator(f".{LIVE_CLASS}")).to_have_count(0)
    first_paint = snapshot.evaluate(FIRST_GROUP)

    released = True
    for route in held:
        route.continue_()
    expect(snapshot).to_have_count(0, timeout=FIRST_RENDER_MS)
    expect(page.locator("body.grader-live-ready")).to_have_count(1)

    ids = {o["text"]: o["id"] for o in choice["options"]}
    wait_for_saved(quiz, choice["id"], ids[picked_choice])
    multi_ids = {o["text"]: o["id"] for o in multi["options"]}
    wait_for_saved(quiz, multi["id"], sorted(multi_ids[text] for text in ticked))
    wait_for_saved(quiz, written["id"], "First line\nsecond")
    live_box = page.locator(".grader-question-widget").get_by_role(
        "textbox", name=written["question"]
    )
    expect(live_box).to_be_focused()
    live_box.press_sequentially(" and more")
    page.keyboard.press("Tab")
    wait_for_saved(quiz, written["id"], "First line\nsecond and more")
    live_choice = page.locator(".grader-question-widget").filter(
        has=page.get_by_role("radio", name=picked_choice, exact=True)
    )
    expect(live_choice.get_by_role("radio", name=picked_choice, exact=True)).to_be_checked()
    expect(live_choice.get_by_role("status")).to_have_text(re.compile(r"Saved at \d"))
    live = page.locator(f".{LIVE_CLASS}")
    drawn = live.evaluate(FIRST_GROUP)
    assert drawn["shape"] == first_paint["shape"], "the first paint has the live markup"
    # The snapshot sits 4 px narrower (its 2 px padding); the texts wrap alike.
    heights = [[height for _, height in sizes] for sizes in (drawn["sizes"], first_paint["sizes"])]
    assert heights[0] == heights[1], "the options keep their height: nothing jumps"
    widths = zip(drawn["sizes"], first_paint["sizes"], strict=True)
    assert all(abs(live[0] - snap[0]) <= 4 for live, snap in widths)
    named = live.get_by_role("radiogroup", name=choice["question"]).first
    expect(named.get_by_role("radio")).to_have_count(len(choice["options"]))
    multi_named = live.get_by_role("group", name=multi["question"]).first
    expect(multi_named.get_by_role("checkbox")).to_have_count(len(multi["options"]))
    assert sorted(read_answers(quiz.answers_file)) == sorted(
        [choice["id"], multi["id"], written["id"]]
    )
    assert hosts == {urlsplit(quiz.url).netloc}, "the browser contacts the quiz server only"
    context.close()

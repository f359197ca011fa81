"""The question widgets in a real browser: the released notebook served by Voila, in Chromium.

A learner answers with the keyboard and the mouse, the answers reach the file beside the
notebook, a reload shows them again, and every option has a name a screen reader can read.
Run these alone with ``pytest -m browser``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.course.paths import ANSWERS_SUFFIX, QUESTIONS_SUFFIX, RELEASE_DIR
from grader.learner.answers import AnswersFileError, read_answers

from ..conftest import ASSIGNMENT

try:
    from playwright.sync_api import (
        Browser,
        Locator,
        Page,
        expect,
        sync_playwright,
    )
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # pragma: no cover - reported by the browser fixture
    sync_playwright = None  # type: ignore[assignment]

pytestmark = pytest.mark.browser

LEARNER = "browser-learner"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FIRST_RENDER_MS = 60_000  # Voila starts a kernel and runs the whole notebook first
ACTION_MS = 15_000
SAVE_SECONDS = 15.0
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# Set GRADER_SCREENSHOT=path to keep the full-page screenshot for a look, and
# GRADER_SCREENSHOTS=folder to keep widgets-phone.png and widgets-laptop.png.
SCREENSHOT_COPY = os.environ.get("GRADER_SCREENSHOT")
SCREENSHOTS = os.environ.get("GRADER_SCREENSHOTS")


def unavailable(reason: str) -> None:
    """Skip when the browser cannot run here, but fail in CI, where it must."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so the browser tests must run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Voila:
    """A running Voila serving one notebook from its exercise folder."""

    url: str
    folder: Path
    log: Path
    questions: dict[str, dict[str, Any]]

    @property
    def answers_file(self) -> Path:
        return self.folder / f"{ASSIGNMENT}{ANSWERS_SUFFIX}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def first(self, kind: str) -> dict[str, Any]:
        """The first question of this kind in the notebook."""
        return next(q for q in self.questions.values() if q["kind"] == kind)


@pytest.fixture(scope="module")
def voila(built_course_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Voila]:
    """Voila serving a copy of the released exercise folder, as a learner would open it."""
    root = tmp_path_factory.mktemp("voila")
    folder = root / ASSIGNMENT
    shutil.copytree(built_course_template / RELEASE_DIR / ASSIGNMENT, folder)
    questions_file = folder / f"{ASSIGNMENT}{QUESTIONS_SUFFIX}"
    questions = json.loads(questions_file.read_text(encoding="utf-8"))["questions"]

    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env.update(JUPYTER_PLATFORM_DIRS="1", NB_USER=LEARNER)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(root / "home" / name.lower())
    port = free_port()
    log = root / "voila.log"
    command = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=True",
        f"{ASSIGNMENT}.ipynb",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Voila(
        url=f"http://127.0.0.1:{port}/",
        folder=folder,
        log=log,
        questions={q["id"]: q for q in questions},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"Voila exited with {process.returncode}:\n{server.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"Voila did not listen on {port} in 60 s:\n{server.log_tail()}")
                time.sleep(0.2)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End Voila and the kernels it started (its whole process group)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright."""
    if sync_playwright is None:
        unavailable("the Python package playwright is not installed")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        unavailable("no chromium binary (install it with: apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            unavailable(f"{executable} did not start: {error.message.splitlines()[0]}")
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(voila: Voila, browser: Browser) -> Iterator[Page]:
    """The notebook page with no answers saved yet, once every question shows."""
    voila.answers_file.unlink(missing_ok=True)
    for kept in voila.folder.glob(f"{ASSIGNMENT}{ANSWERS_SUFFIX}.*"):
        kept.unlink()
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(ACTION_MS)
    try:
        opened = context.new_page()
        opened.goto(voila.url, timeout=FIRST_RENDER_MS)
        wait_for_questions(opened, voila)
        yield opened
    finally:
        context.close()


ERRORS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
ALL_SHOWN_OR_FAILED = """([count, errors]) =>
    document.querySelectorAll('.grader-question-widget').length >= count
    || Array.from(document.querySelectorAll(errors)).some(
        output => /Traceback|Error/.test(output.textContent))"""


def wait_for_questions(page: Page, voila: Voila) -> None:
    """Wait (up to a minute) until every question is on the page, or a cell has failed."""
    count = len(voila.questions)
    try:
        page.wait_for_function(ALL_SHOWN_OR_FAILED, arg=[count, ERRORS], timeout=FIRST_RENDER_MS)
        expect(page.locator(".grader-question-widget")).to_have_count(count, timeout=1_000)
    except (AssertionError, PlaywrightError) as error:
        errors = page.locator(ERRORS).all_inner_texts()
        shown = errors[0][-3000:] if errors else page.locator("body").inner_text()[-1500:]
        raise AssertionError(
            f"the {count} questions did not all appear: {error}\n"
            f"--- page ---\n{shown}\n--- voila log ---\n{voila.log_tail()}"
        ) from None


def widget_of(page: Page, question: dict[str, Any]) -> Locator:
    """The widget of one question (found by an option's text, as two questions share theirs)."""
    widgets = page.locator(".grader-question-widget")
    if question["kind"] == "free-text":
        found = widgets.filter(has_text=question["question"])
    else:
        role = "radio" if question["kind"] == "choice" else "checkbox"
        name = question["options"][0]["text"]
        found = widgets.filter(has=page.get_by_role(role, name=name, exact=True))
    expect(found).to_have_count(1)
    return found


def option_id(question: dict[str, Any], text: str) -> str:
    return next(o["id"] for o in question["options"] if o["text"] == text)


def label_of(control: Locator) -> str:
    """The visible text of the label around a radio or checkbox input."""
    return control.evaluate("input => input.closest('label').textContent")


def wait_for_saved(voila: Voila, item_id: str, expected: Any) -> None:
    """Wait until the answers file holds ``expected`` for ``item_id``."""
    deadline = time.monotonic() + SAVE_SECONDS
    seen: Any = "no answers file"
    while time.monotonic() < deadline:
        try:
            seen = read_answers(voila.answers_file).get(item_id, "not answered")
        except AnswersFileError as error:
            seen = str(error)
        if seen == expected:
            return
        time.sleep(0.2)
    raise AssertionError(
        f"after {SAVE_SECONDS:g} s the answers file holds {seen!r} for {item_id},"
        f" not {expected!r}\n--- voila log ---\n{voila.log_tail()}"
    )


def answer_choice_by_keyboard(page: Page, voila: Voila) -> tuple[str, str]:
    """Answer the first choice question with the keyboard; return its id and the text picked."""
    question = voila.first("choice")
    radios = widget_of(page, question).get_by_role("radio")
    expect(radios).to_have_count(len(question["options"]))
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    picked = radios.nth(1)
    expect(picked).to_be_focused()
    expect(picked).to_be_checked()
    expect(radios.first).not_to_be_checked()
    return question["id"], label_of(picked)


def answer_multi_by_mouse(page: Page, voila: Voila) -> tuple[str, list[str]]:
    """Tick two boxes of the first multi-select question by clicking their texts."""
    question = voila.first("multi-select")
    widget = widget_of(page, question)
    texts = [question["options"][3]["text"], question["options"][1]["text"]]
    for text in texts:
        widget.locator("label").filter(has_text=text).click()
        expect(widget.get_by_role("checkbox", name=text, exact=True)).to_be_checked()
    return question["id"], texts


def answer_free_text(page: Page, voila: Voila, text: str) -> str:
    """Type into the first free-text box and leave it with Tab."""
    question = voila.first("free-text")
    box = widget_of(page, question).get_by_role("textbox")
    box.click()
    box.press_sequentially(text)
    page.keyboard.press("Tab")
    expect(box).not_to_be_focused()
    return question["id"]


TEXT = "Sorry, I can't say more than the newspaper.\nWe'll hear more at the end of the month."


def test_a_choice_answered_with_the_keyboard_is_saved(page: Page, voila: Voila) -> None:
    item_id, text = answer_choice_by_keyboard(page, voila)

    wait_for_saved(voila, item_id, option_id(voila.questions[item_id], text))
    status = widget_of(page, voila.questions[item_id]).get_by_role("status")
    expect(status).to_contain_text("Saved at")


def test_a_multi_select_answered_with_the_mouse_is_saved(page: Page, voila: Voila) -> None:
    item_id, texts = answer_multi_by_mouse(page, voila)

    question = voila.questions[item_id]
    wait_for_saved(voila, item_id, sorted(option_id(question, text) for text in texts))


def test_free_text_is_saved_when_the_learner_leaves_the_box(page: Page, voila: Voila) -> None:
    item_id = answer_free_text(page, voila, TEXT)

    wait_for_saved(voila, item_id, TEXT)


def test_a_reload_shows_the_saved_answers(page: Page, voila: Voila) -> None:
    choice_id, choice_text = answer_choice_by_keyboard(page, voila)
    multi_id, multi_texts = answer_multi_by_mouse(page, voila)
    text_id = answer_free_text(page, voila, TEXT)
    multi = voila.questions[multi_id]
    wait_for_saved(voila, text_id, TEXT)
    wait_for_saved(voila, multi_id, sorted(option_id(multi, text) for text in multi_texts))
    wait_for_saved(voila, choice_id, option_id(voila.questions[choice_id], choice_text))

    page.reload(timeout=FIRST_RENDER_MS)
    wait_for_questions(page, voila)

    choice = widget_of(page, voila.questions[choice_id])
    expect(choice.get_by_role("radio", name=choice_text, exact=True)).to_be_checked()
    expect(choice.get_by_role("radio", checked=True)).to_have_count(1)
    boxes = widget_of(page, multi)
    for option in multi["options"]:
        box = boxes.get_by_role("checkbox", name=option["text"], exact=True)
        if option["text"] in multi_texts:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()
    expect(widget_of(page, voila.questions[text_id]).get_by_role("textbox")).to_have_value(TEXT)
    for item_id in (choice_id, multi_id, text_id):
        status = widget_of(page, voila.questions[item_id]).get_by_role("status")
        expect(status).to_have_text("Your saved answer is shown.")


def test_every_radio_and_checkbox_is_named_by_its_option_text(page: Page, voila: Voila) -> None:
    for kind, role in (("choice", "radio"), ("multi-select", "checkbox")):
        questions = [q for q in voila.questions.values() if q["kind"] == kind]
        texts = [option["text"] for q in questions for option in q["options"]]
        expect(page.get_by_role(role)).to_have_count(len(texts))
        for text in texts:
            named = page.get_by_role(role, name=text, exact=True)
            expect(named).to_have_count(texts.count(text))
            expect(named.first).to_be_enabled()


ROLES = {"choice": "radiogroup", "multi-select": "group", "free-text": "textbox"}
NAMED = re.compile(r'(\w+) "((?:[^"\\]|\\.)*)"')


def accessible_name(control: Locator) -> tuple[str, str]:
    """The role and the name a screen reader announces for ``control`` (from the
    accessibility tree Playwright writes as YAML: ``- role "name": children``)."""
    tree = yaml.safe_load(control.aria_snapshot())
    first = tree[0] if isinstance(tree[0], str) else next(iter(tree[0]))
    found = NAMED.match(first)
    assert found, f"no named element in {first!r}"
    return found[1], json.loads(f'"{found[2]}"')


def test_every_answer_control_is_named_by_its_question(page: Page, voila: Voila) -> None:
    """A screen-reader user who tabs into an answer should hear which question it answers,
    and tell apart the questions that ask the same thing ("What do you do?")."""
    widgets = page.locator(".grader-question-widget")
    names = []
    for number, question in enumerate(voila.questions.values(), start=1):
        control = widgets.nth(number - 1).get_by_role(ROLES[question["kind"]])
        expect(control).to_have_count(1)
        role, name = accessible_name(control)
        assert role == ROLES[question["kind"]], f"{question['id']}: {role}"
        assert question["question"] in name, f"{question['id']} is named {name!r}"
        names.append(name)
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"{len(repeated)} names are given to more than one question: {repeated}"


def test_option_texts_are_not_cut_off_on_a_phone(page: Page, voila: Voila) -> None:
    page.set_viewport_size(PHONE)
    clipped = page.evaluate(
        """() => Array.from(
            document.querySelectorAll('.grader-question-widget input'),
        ).map(input => input.closest('label')).filter(label => label && (
            label.scrollWidth > label.clientWidth + 1
            || label.scrollHeight > label.clientHeight + 1
        )).map(label => label.textContent)"""
    )
    if clipped:
        pytest.fail(f"{len(clipped)} option texts are cut off or overlap: {clipped[:3]}")


OPTIONS = """() => Array.from(
    document.querySelectorAll('.grader-question-widget label:has(input)')).map(
    label => {
        const input = label.querySelector('input').getBoundingClientRect();
        const text = label.querySelector('span');
        const words = text.getBoundingClientRect();
        const box = label.getBoundingClientRect();
        return {
            text: text.textContent.slice(0, 50), width: box.width, height: box.height,
            inputRight: input.right, inputTop: input.top, inputHeight: input.height,
            textLeft: words.left, textTop: words.top,
            fontSize: parseFloat(getComputedStyle(text).fontSize),
            lineHeight: parseFloat(getComputedStyle(text).lineHeight),
        };
    })"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_option_is_a_large_target_with_its_control_left_of_its_text(
    page: Page, voila: Voila, viewport: dict[str, int]
) -> None:
    """On a phone ipywidgets' radio labels started left of the radio, which dropped to the
    next line; texts were 13 px and the targets 13 px squares (WCAG 2.5.8 asks 24 px)."""
    page.set_viewport_size(viewport)
    options = page.evaluate(OPTIONS)
    choices = [q for q in voila.questions.values() if q["kind"] != "free-text"]
    assert len(options) == sum(len(q["options"]) for q in choices)
    wrong = []
    for o in options:
        if o["width"] < 24 or o["height"] < 24:
            wrong.append(f"{o['text']!r}: a target of {o['width']:.0f}x{o['height']:.0f} px")
        if o["inputRight"] > o["textLeft"]:
            wrong.append(f"{o['text']!r}: the control is not left of its text")
        if abs(o["inputTop"] + o["inputHeight"] / 2 - o["textTop"] - o["lineHeight"] / 2) > 4:
            wrong.append(f"{o['text']!r}: the control is not beside the text's first line")
        if o["fontSize"] < 16:
            wrong.append(f"{o['text']!r}: {o['fontSize']} px text")
    assert not wrong, f"{len(wrong)} problems, such as: {wrong[:5]}"


FOCUS_RING = """() => {
    const focused = document.activeElement;
    const ring = getComputedStyle(focused.closest('label') || focused);
    return {
        question: [...document.querySelectorAll('.grader-question-widget')].findIndex(
            widget => widget.contains(focused)),
        style: ring.outlineStyle, width: parseFloat(ring.outlineWidth),
    };
}"""


def test_tab_moves_between_questions_with_a_clear_focus_ring(page: Page, voila: Voila) -> None:
    """Arrow keys move within a group of radio buttons and Tab out of it (checkboxes are a
    tab stop each); wherever the keyboard is, a ring of at least 2 px shows it."""
    widgets = page.locator(".grader-question-widget")
    widgets.first.get_by_role("radio").first.focus()
    seen = []
    for _ in range(6):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_RING))
    questions = [where["question"] for where in seen]
    assert questions[0] == 1, f"Tab did not leave the first group of radio buttons: {questions}"
    assert questions == sorted(questions) and min(questions) >= 0, questions
    faint = [where for where in seen if where["style"] == "none" or where["width"] < 2]
    assert not faint, f"no clear focus ring: {faint}"


def test_full_page_screenshot(page: Page, voila: Voila, tmp_path: Path) -> None:
    """A picture of the whole assessment, answered in part, for a person to look at."""
    answer_choice_by_keyboard(page, voila)
    answer_multi_by_mouse(page, voila)
    answer_free_text(page, voila, TEXT)
    # Voila scrolls inside #rendered_cells, so a "full page" is one window high:
    # make the window as tall as the content to get every question in the picture.
    height = page.evaluate(
        "(document.getElementById('rendered_cells') || document.documentElement).scrollHeight"
    )
    page.set_viewport_size({"width": DESKTOP["width"], "height": max(height, DESKTOP["height"])})
    last = page.locator(".grader-question-widget").last
    expect(last).to_be_in_viewport()

    shot = tmp_path / "widgets.png"
    page.screenshot(path=shot, full_page=True)
    if SCREENSHOT_COPY:
        shutil.copyfile(shot, SCREENSHOT_COPY)

    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, tall = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == DESKTOP["width"]
    bottom = last.bounding_box()
    assert bottom is not None and tall >= bottom["y"] + bottom["height"], (
        f"the screenshot ({tall} px) ends before the last question"
    )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_screenshot_of_the_first_questions(
    page: Page, voila: Voila, tmp_path: Path, viewport: dict[str, int]
) -> None:
    """A picture of the first questions, partly answered, the keyboard in a group of
    checkboxes, for a person to look at (GRADER_SCREENSHOTS keeps it)."""
    page.set_viewport_size(viewport)
    answer_choice_by_keyboard(page, voila)
    question = voila.first("multi-select")
    box = widget_of(page, question).get_by_role("checkbox").first
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    box.scroll_into_view_if_needed()
    name = "phone" if viewport is PHONE else "laptop"
    shot = tmp_path / f"widgets-{name}.png"
    page.screenshot(path=shot)
    if SCREENSHOTS:
        shutil.copyfile(shot, Path(SCREENSHOTS) / shot.name)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

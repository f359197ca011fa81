"""The quiz pages as people meet them, in Chromium: axe-core (WCAG 2.1 A and AA and axe's
best practices) on every kind of page, in both languages, on a desktop and on a phone;
and what a person would notice: the score in view after submitting, options that fit a
phone, lines of a readable length, the page named in its tab and its language.

axe-core is not a Python package: ``.ci/run`` puts ``axe.min.js`` in ``.cache/axe-core``
(or set ``GRADER_AXE_JS``). Screenshots of every page go to ``/tmp/pages-*.png``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import ASSIGNMENT, REPO
from ..learner.test_widgets_browser import (
    ACTION_MS,
    FIRST_RENDER_MS,
    browser,  # noqa: F401  (fixture)
    unavailable,
)
from .server import RunningQuiz, running_quiz

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE_JS = REPO / ".cache" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Violations inside the questions' option groups belong to the option widget
# (grader/learner/option_group.py), checked with it; they are listed, not failed here.
OPTION_CONTROLS = (".grader-options", ".grader-option", "fieldset", "legend")
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
GRADING_MS = 180_000
NL = ASSIGNMENT.replace("-en", "-nl")
EXAMS = {"en": ASSIGNMENT, "nl": NL}
LIVE = "body.grader-live-ready"


def axe_script() -> Path:
    """``axe.min.js`` of axe-core, from ``GRADER_AXE_JS`` or ``.cache/axe-core``."""
    path = Path(os.environ.get("GRADER_AXE_JS") or AXE_JS)
    if not path.is_file():
        unavailable(
            f"axe-core is missing ({path}); get it with: npm pack axe-core@{AXE_VERSION} && "
            f"mkdir -p .cache/axe-core && tar -xzf axe-core-{AXE_VERSION}.tgz -C "
            ".cache/axe-core --strip-components=1 package/axe.min.js (as .ci/run does)"
        )
    return path


@pytest.fixture(scope="module")
def axe() -> Path:
    return axe_script()


@pytest.fixture(scope="module")
def quiz(
    built_course_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningQuiz]:
    with running_quiz(built_course_template, tmp_path_factory.mktemp("a11y"), 1) as running:
        yield running


def violations(page: Page, axe: Path) -> tuple[list[str], list[str]]:
    """axe's violations on the page as it is now, as ``id (impact) target: help``: those
    of the page, and those of the option controls."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: tags});
            return result.violations.flatMap(v => v.nodes.map(n => ({
                id: v.id, impact: v.impact, help: v.help,
                target: n.target.join(" "), html: n.html.slice(0, 120)})));
        }""",
        AXE_TAGS,
    )
    mine, theirs = [], []
    for v in found:
        line = f"{v['id']} ({v['impact']}) {v['target']}: {v['help']} [{v['html']}]"
        inside = any(part in v["target"] or part in v["html"] for part in OPTION_CONTROLS)
        (theirs if inside else mine).append(line)
    return mine, theirs


def check_axe(page: Page, axe: Path, what: str) -> None:
    mine, theirs = violations(page, axe)
    if theirs:
        print(f"{what}: option-control violations (the option widget's): {theirs}")
    assert not mine, f"{what}: axe found {len(mine)} violation(s):\n" + "\n".join(mine)


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/pages-{name}.png")


def new_page(chromium: Browser, size: dict[str, int], url: str, live: bool = True) -> Page:
    context = chromium.new_context(viewport=size)
    context.set_default_timeout(ACTION_MS)
    page = context.new_page()
    if not live:  # the first paint: the kernel's websocket never answers
        page.route_web_socket(re.compile(r"/api/kernels/"), lambda socket: None)
    page.goto(url, timeout=FIRST_RENDER_MS)
    if live:
        page.wait_for_selector(LIVE, state="attached", timeout=FIRST_RENDER_MS)
    else:
        page.wait_for_selector(".grader-snapshot", timeout=FIRST_RENDER_MS)
    return page


def lesson_url(quiz: RunningQuiz, learner: str, language: str, lesson: str) -> str:
    token = quiz.link(learner).split("token=")[1]
    return f"{quiz.url}?lesson={lesson}&language={language}&token={token}"


LONGEST_LINE = """() => Math.max(0, ...Array.from(document.querySelectorAll('main p')).map(p => {
    const style = getComputedStyle(p);
    const lines = Math.round(p.getBoundingClientRect().height / parseFloat(style.lineHeight));
    return lines >= 3 ? p.textContent.trim().length / lines : 0;
}))"""
OVERFLOW = """(width) => Array.from(document.querySelectorAll('main *'))
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_exam_is_accessible_and_readable_first_and_live(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    axe: Path,
    language: str,
    width: str,
) -> None:
    learner = f"exam-{language}-{width}"
    url = quiz.link(learner, EXAMS[language])
    first = new_page(browser, WIDTHS[width], url, live=False)
    expect(first.locator("html")).to_have_attribute("lang", language)
    assert first.title().startswith("Certific"), first.title()
    shoot(first, f"exam-first-{language}-{width}")
    check_axe(first, axe, f"exam first paint {language} {width}")
    first.context.close()

    page = new_page(browser, WIDTHS[width], url)
    expect(page.locator("main")).to_have_count(1)
    header = page.locator(".grader-header")
    expect(header).to_contain_text("Meridian Group")
    expect(header).to_contain_text(learner)
    answered = {"en": "0 of 32 questions answered", "nl": "0 van 32 vragen beantwoord"}
    expect(header).to_contain_text(answered[language])
    check_axe(page, axe, f"exam live {language} {width}")
    assert page.evaluate(OVERFLOW, WIDTHS[width]["width"]) == [], "something runs off screen"
    if width == "desktop":
        longest = page.evaluate(LONGEST_LINE)
        assert 40 < longest <= 85, f"lines of {longest:.0f} characters"
    # an emoji no font here can draw shows its name instead of an empty box
    emoji = page.locator(".grader-emoji").first
    expect(emoji).to_have_attribute("data-grader-checked", "")
    if "grader-emoji-text" in (emoji.get_attribute("class") or ""):
        expect(emoji).to_have_text(re.compile(r"^\[[a-z ]+\]$"))
    page.locator(".grader-question-widget").first.get_by_role("radio").first.check()
    one = {"en": "1 of 32 questions answered", "nl": "1 van 32 vragen beantwoord"}
    expect(header).to_contain_text(one[language])
    shoot(page, f"exam-live-{language}-{width}")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_lesson_is_accessible_and_ends_with_its_exercise_and_the_next_lesson(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    axe: Path,
    language: str,
    width: str,
) -> None:
    page = new_page(browser, WIDTHS[width], lesson_url(quiz, "lea", language, "01-confidential"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert "Meridian Group" in page.title()
    check_axe(page, axe, f"lesson {language} {width}")
    assert page.evaluate(OVERFLOW, WIDTHS[width]["width"]) == []
    end = page.locator(".grader-lesson-end")
    expect(end).not_to_contain_text(f"exercise-01-confidential-{language}")
    exercise = end.get_by_role("link").first
    expect(exercise).to_contain_text(re.compile("Exercise|Oefening"))
    next_lesson = end.get_by_role("link").last
    expect(next_lesson).to_have_attribute("href", re.compile(r"lesson=02-black-period"))
    shoot(page, f"lesson-{language}-{width}")
    if width == "desktop":
        exercise.click()
        page.wait_for_selector(LIVE, state="attached", timeout=FIRST_RENDER_MS)
        expect(page.locator(".grader-question-widget").first).to_be_visible()
        assert f"assignment=exercise-01-confidential-{language}" in page.url
    page.context.close()


@pytest.mark.nbgrader
@pytest.mark.parametrize("language", ["en", "nl"])
def test_after_submitting_the_result_is_in_view_and_accessible(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    axe: Path,
    language: str,
) -> None:
    """The result used to appear below the fold with the focus on the page's body; it
    said "11.4999 of 48 points", no pass or fail, and no right or wrong per question."""
    learner = f"result-{language}"
    page = new_page(browser, DESKTOP, quiz.link(learner, EXAMS[language]))
    page.locator(".grader-question-widget").first.get_by_role("radio").first.check()
    page.wait_for_timeout(500)
    words = {
        "en": ("Submit my exam", "Yes, submit now"),
        "nl": ("Examen inleveren", "Ja, nu inleveren"),
    }[language]
    page.get_by_role("button", name=words[0]).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_focused()
    assert dialog.evaluate("d => d.getBoundingClientRect().bottom <= innerHeight")
    page.get_by_role("button", name=words[1]).click()
    heading = page.locator("h2#result")
    expect(heading).to_be_visible(timeout=GRADING_MS)
    expect(heading).to_be_focused(timeout=ACTION_MS)
    assert heading.evaluate("h => h.getBoundingClientRect().top >= 0"), "the score is off screen"
    score = page.locator(".grader-result .score")
    assert score.evaluate("s => s.getBoundingClientRect().bottom <= innerHeight")
    expect(score).to_have_text(re.compile(r"^[^.]*\b\d+(\.\d{1,2})? (of|van de) 48\b"))
    expect(page.locator(".grader-result .verdict")).to_have_text(
        re.compile("Not passed|Passed|Niet geslaagd|Geslaagd|Not final|Nog niet")
    )
    expect(page.locator(".grader-result .question .status").first).to_be_visible()
    check_axe(page, axe, f"result {language} desktop")
    shoot(page, f"result-{language}-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    check_axe(page, axe, f"result {language} phone")
    assert page.evaluate(OVERFLOW, PHONE["width"]) == []
    heading.scroll_into_view_if_needed()
    shoot(page, f"result-{language}-phone")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_invalid_link_shows_only_the_refusal_and_who_to_ask(
    browser: Browser,  # noqa: F811
    quiz: RunningQuiz,
    axe: Path,
    language: str,
    width: str,
) -> None:
    url = quiz.link("ivo", EXAMS[language]).replace("token=ey", "token=eY")
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.goto(url, timeout=FIRST_RENDER_MS)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("alert")).to_contain_text(
        {"en": "This link is not valid", "nl": "Deze link is niet geldig"}[language]
    )
    expect(page.locator("main")).to_contain_text("Sanne de Vries")
    expect(page.get_by_role("link", name="social@meridian.example")).to_have_attribute(
        "href", "mailto:social@meridian.example"
    )
    expect(page.locator("body")).not_to_contain_text(re.compile("saved|opgeslagen"))
    check_axe(page, axe, f"invalid link {language} {width}")
    shoot(page, f"invalid-link-{language}-{width}")
    context.close()


def test_the_axe_version_is_the_one_ci_installs(axe: Path) -> None:
    package = axe.parent / "package.json"
    if package.is_file():
        assert json.loads(package.read_text())["version"] == AXE_VERSION
    assert AXE_VERSION in axe.read_text(encoding="utf-8", errors="replace")[:300]

"""The feedback page in Chromium: on a 390 px phone and a desktop, opened from its file.

Run these alone with ``pytest -m browser``; each page is kept as /tmp/feedback-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.learner.simulate import all_right

from ..learner.test_widgets_browser import browser  # noqa: F401  (Debian's Chromium, or a skip)
from .test_feedback_page import (  # noqa: F401  (the course fixture)
    FLAG_ITEM,
    SCRIPT,
    course,
    free_text,
    items_of,
    page_for,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_WORD = "https://example.invalid/" + "a" * 400  # no place to break a line


def pages(course) -> dict[str, tuple[str, str]]:  # noqa: F811
    """name: (the page, its title) of a learner who failed, one waiting for the trainer and
    one who passed in Dutch."""
    items = items_of(course)
    first, second = free_text(course)
    failed = {item.id: 0.0 if item.guideline == "respect" else item.points for item in items}
    written = {first.id: f"{LONG_WORD}\n{SCRIPT}\nSecond line.", second.id: "Sorry!"}
    return {
        "en-failed": (
            page_for(course, scores=failed, answers=all_right(items) | written),
            "Your feedback: Certification exam: social media at Meridian Group",
        ),
        "en-pending": (
            page_for(course, pending=(first.id, second.id)),
            "Your feedback: Certification exam: social media at Meridian Group",
        ),
        "nl-passed": (
            page_for(
                course,
                "nl",
                scores={i.id: i.points for i in items_of(course, "nl")} | {FLAG_ITEM: 4 / 3},
                comments={first.id: "Sterk antwoord.\nNoem de persafdeling nog bij naam."},
            ),
            "Je feedback: Certificeringsexamen: social media bij Meridian Group",
        ),
    }


@pytest.mark.parametrize("name", ["en-failed", "en-pending", "nl-passed"])
def test_the_feedback_page_reads_on_a_phone_and_fetches_nothing(
    course,  # noqa: F811
    browser,  # noqa: F811
    tmp_path: Path,
    name: str,
) -> None:
    page_text, title = pages(course)[name]
    path = tmp_path / f"{name}.html"
    path.write_text(page_text, encoding="utf-8")
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        requests: list[str] = []

        def only_the_file(route) -> None:
            requests.append(route.request.url)
            if route.request.url == path.as_uri():
                route.continue_()
            else:
                route.abort()

        page.route("**/*", only_the_file)
        page.goto(path.as_uri())
        assert requests == [path.as_uri()], "the page fetched something besides itself"
        assert page.evaluate("document.documentElement.lang") == name[:2]
        assert page.title() == title
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width}px wide on a 390px phone"
        for selector in (".verdict", ".result .score"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["y"] + box["height"] <= PHONE["height"], selector
            assert page.locator(selector).is_visible()
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('main *:not(.sr)')]
                .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim()))
                .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
        )
        assert smallest >= 16, f"text of {smallest}px"
        page.screenshot(path=f"/tmp/feedback-{name}-phone.png")
        page.screenshot(path=f"/tmp/feedback-{name}-phone-full.png", full_page=True)
        page.set_viewport_size(DESKTOP)
        per_line = page.evaluate(
            """() => {
                const p = [...document.querySelectorAll('.question p')]
                    .sort((a, b) => b.textContent.length - a.textContent.length)[0];
                const lines = p.getBoundingClientRect().height
                    / parseFloat(getComputedStyle(p).lineHeight);
                return p.textContent.length / Math.round(lines);
            }"""
        )
        assert 55 <= per_line <= 85, f"{per_line:.0f} characters a line on a desktop"
        page.screenshot(path=f"/tmp/feedback-{name}-desktop.png")
    finally:
        context.close()

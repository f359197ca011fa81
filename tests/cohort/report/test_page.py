"""The report page: small cohorts, hostile texts, no external files; phone and print in Chromium."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from grader.cohort.report.data import Cohort, compile_report
from grader.cohort.report.page import render
from grader.course.items import Bank

from ...learner.test_widgets_browser import browser  # noqa: F401  (Debian's Chromium, or a skip)
from .test_data import NOW, cohort

HOSTILE = '<img src=x onerror="alert(1)"> & Co'


def page_of(data_cohort: Cohort) -> str:
    return render(compile_report(data_cohort, now=NOW), ["learners.csv"])


def test_a_small_cohort_says_what_cannot_be_computed(bank: Bank) -> None:
    page = page_of(cohort(bank, {"ann": [2, 1, 3], "ben": [0, 0, None]}))
    assert "Item analysis needs at least 5 graded learners; this cohort has 2." in page
    assert "needs at least 5 learners with every answer graded; 1 have every answer graded" in page
    assert "2 of 2 learners submitted; 1 passed (50%); 1 awaits manual grading" in page
    assert not re.search(r"\bnan\b|\binf\b", page, re.IGNORECASE)


def test_no_submissions_still_give_a_finished_page(bank: Bank) -> None:
    page = page_of(cohort(bank, {}, absent=["ann", "ben"]))
    assert "0 of 2 learners submitted; none graded yet; 0 await manual grading." in page
    assert "No submissions yet." in page and "Nothing graded yet." in page
    assert "Item analysis needs at least 5 graded learners; this cohort has 0." in page


def test_texts_from_data_are_escaped_and_nothing_is_fetched(bank: Bank) -> None:
    data = cohort(bank, {HOSTILE: [2, 1, 3]}, teams={HOSTILE: HOSTILE})
    page = page_of(data)
    assert HOSTILE not in page and "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in page
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)  # what a browser would fetch or run
    assert not [t for t in tags if re.search(r"^<(script|link|img|iframe|object)|src=|href=", t)]
    assert not re.search(r"https?:|url\(|@import", page)


def big_cohort(bank: Bank, learners: int = 60) -> Cohort:
    rng = random.Random(7)
    scores: dict[str, list[float | None]] = {}
    teams = {}
    for n in range(learners):
        skill = rng.random()
        scores[f"learner{n:03d}"] = [
            2.0 * (rng.random() < skill),
            1.0 * (rng.random() < skill),
            None if n % 9 == 0 else float(round(3 * skill)),
        ]
        teams[f"learner{n:03d}"] = rng.choice(["Customer service and after-sales", "IT", "HR"])
    return cohort(bank, scores, teams)


@pytest.mark.browser
def test_the_page_reads_on_a_phone_and_prints(bank: Bank, tmp_path: Path, browser) -> None:  # noqa: F811
    path = tmp_path / "report.html"
    path.write_text(page_of(big_cohort(bank)), encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        assert requests == [path.as_uri()]  # opens offline: nothing else is fetched
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px phone"
        headings = page.locator("h2").all_inner_texts()
        assert headings == [
            "Completion",
            "Score distribution",
            "Weakest guidelines",
            "Mastery per guideline",
            "Item analysis",
            "Learners",
        ]
        for chart in page.locator("svg.chart").all():
            box = chart.bounding_box()
            assert box is not None and 300 <= box["width"] <= 390
        assert page.get_by_text("Show all 60 learners").count() == 2
        page.get_by_text("Show all 60 learners").first.click()
        assert page.get_by_role("cell", name="Learner059", exact=True).first.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    finally:
        context.close()

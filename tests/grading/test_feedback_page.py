"""The learner's feedback page: what it shows, in which words, and that nothing a learner
wrote is ever markup on it; then through the real ``nbgrader generate_feedback``."""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from nbgrader.api import Gradebook

from grader.course.content import load_settings_and_bank
from grader.course.items import Item
from grader.course.nbgrader_course import course_db_url, run_nbgrader
from grader.grading.autograde import generate_feedback_cohort
from grader.grading.feedback_data import CellGrade, compile_feedback, learner_answers
from grader.grading.feedback_page import render
from grader.grading.feedback_texts import WORDS
from grader.learner.answers import MAX_FILE_BYTES, MAX_TEXT_CHARS
from grader.learner.simulate import all_right, submit

from ..conftest import ASSESSMENT, ASSIGNMENT, REPO

SCRIPT = "<script>alert(document.cookie)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
FLAG_ITEM = "respect-competitor-outage-post-v2"  # which sentences of the post break a guideline
ACTION_ITEM = "black-period-journalist-asks-about-restructuring"  # which of these would you do
CHOICE_ITEM = "confidential-protected-report-brake-defects"


@pytest.fixture(scope="module")
def course() -> dict[str, Any]:
    return {language: load_settings_and_bank(REPO, language) for language in ("en", "nl")}


def items_of(course, language: str = "en") -> list[Item]:
    return course[language][1].items_of(ASSESSMENT)


def page_for(
    course,
    language: str = "en",
    *,
    answers: dict[str, Any] | None = None,
    scores: dict[str, float] | None = None,
    pending: tuple[str, ...] = (),
    comments: dict[str, str] | None = None,
    pass_mark: float | None = None,
    problem: str | None = None,
) -> str:
    """The page of a learner: every item scored ``scores`` (default: full points)."""
    settings, bank = course[language]
    if pass_mark is not None:
        settings = replace(settings, pass_mark=pass_mark)
    items = bank.items_of(ASSESSMENT)
    scores = scores if scores is not None else {item.id: item.points for item in items}
    grades = {
        item.id: CellGrade(
            None if item.id in pending else scores.get(item.id, 0.0),
            item.points,
            item.id in pending,
            (comments or {}).get(item.id, ""),
        )
        for item in items
    }
    answers = all_right(items) if answers is None else answers
    feedback = compile_feedback(
        settings, bank, ASSESSMENT, language, "ada", grades, answers, problem
    )
    return render(feedback)


def part(page: str, css_id: str) -> str:
    """The HTML of one section or question of the page (``result``, ``question-3``)."""
    start = page.index(f'id="{css_id}"')
    return page[start : page.index("</article>" if "question-" in css_id else "</section>", start)]


def number_of(course, item_id: str) -> int:
    return [item.id for item in items_of(course)].index(item_id) + 1


def visible(fragment: str) -> str:
    """The text a reader sees: no style sheet, no tags, entities decoded."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", fragment, flags=re.DOTALL)
    return " ".join(html.unescape(text).split())


def free_text(course) -> list[Item]:
    return [item for item in items_of(course) if item.kind == "free-text"]


# Scores in tenths (a trainer's, partial credit) that add up to exactly 36 of 48, though
# their floats added one after another make 35.99999999999999.
TENTHS = {
    "confidential-conference-talk-slides": 1.2,
    "confidential-assistant-day-in-the-life-v2": 2.0,
    "black-period-dashboard-post-v2": 1.9,
    "black-period-journalist-asks-about-restructuring": 1.1,
    "work-private-pension-debate-facebook-post": 1.8,
    "transparency-reorganisation-news-comments-v2": 1.2,
    "expertise-depot-rumour-reply": 1.8,
    "expertise-picking-robots-post-v2": 2.0,
    "count-to-ten-late-night-customer-reply": 1.9,
    "count-to-ten-lost-tender-midnight-post-v2": 1.0,
    "relevance-job-ad-where-to-share-v2": 1.4,
    "relevance-trade-fair-post-noise-v2": 1.9,
    "respect-competitor-outage-post-v2": 1.4,
    "respect-webcare-reply-tv-left-in-rain": 1.9,
}


def test_exactly_the_pass_mark_passes_and_totals_are_exact(course) -> None:
    """36 of 48 is 75%: adding the stored floats must not make it 35.99999999999999."""
    scores = {item.id: item.points * 0.75 for item in items_of(course)} | TENTHS
    assert sum(scores.values()) < 36  # what adding the floats would give
    page = page_for(course, scores=scores, pass_mark=75)
    result = visible(part(page, "result"))
    assert "✓ Passed" in result
    assert "You scored 36 of 48 points (75%)." in result
    assert "35.9" not in page and "Not passed" not in result


def test_just_below_the_pass_mark_fails_and_the_percentage_does_not_round_up(course) -> None:
    items = items_of(course)
    scores = {item.id: item.points * 0.75 for item in items}
    scores[items[0].id] -= 0.04  # 35.96 of 48 = 74.92%
    result = visible(part(page_for(course, scores=scores, pass_mark=75), "result"))
    assert "✗ Not passed" in result
    assert "(74.9%)" in result and "75%)" not in result
    assert "Your overall score, 74.9%, is below the 75% you need." in result


def test_a_guideline_below_the_minimum_fails_and_is_named(course) -> None:
    items = items_of(course)
    scores = {item.id: 0.0 if item.guideline == "respect" else item.points for item in items}
    page = page_for(course, scores=scores)
    result = visible(part(page, "result"))
    assert "✗ Not passed" in result
    assert "Guideline 8, Be respectful: 0%, below the minimum of 50%." in result
    guidelines = visible(part(page, "guidelines"))
    assert "Guideline 8: Be respectful 0 of 6 points (0%) ✗ below the minimum" in guidelines
    assert "Guideline 1: Don't leak confidential information 6 of 6 points (100%) ✓" in guidelines
    assert guidelines.count("✓ minimum reached") == 7


def test_a_pending_written_answer_is_to_be_graded_and_the_result_is_not_final(course) -> None:
    pending = tuple(item.id for item in free_text(course))
    page = page_for(course, pending=pending)
    result = visible(part(page, "result"))
    assert "Not final yet" in result and "Your trainer still has to grade 2 written" in result
    assert "Passed" not in result and "Not passed" not in result and "%)" not in result
    for item in free_text(course):
        question = visible(part(page, f"question-{number_of(course, item.id)}"))
        assert "To be graded by your trainer" in question
        assert " of 3 points" not in question and "0 of" not in question
    assert visible(part(page, "guidelines")).count("waiting for your trainer") == 2


def test_a_graded_written_answer_shows_its_score_and_the_comment_as_plain_text(course) -> None:
    first, second = free_text(course)
    comment = f"Good start.\nNext time: {SCRIPT} & no names."
    scores = {item.id: item.points for item in items_of(course)} | {first.id: 2.5}
    page = page_for(course, scores=scores, comments={first.id: comment})
    question = part(page, f"question-{number_of(course, first.id)}")
    assert "◐ Partly right" in visible(question) and "2.5 of 3 points" in visible(question)
    assert "Good start.\nNext time: &lt;script&gt;alert(document.cookie)&lt;/script&gt; &amp;" in (
        question
    )
    assert "Your trainer's comment" in question and "<script" not in page
    assert "✓ Right" in visible(part(page, f"question-{number_of(course, second.id)}"))
    assert "✓ Passed" in visible(part(page, "result"))


def test_hostile_answers_are_escaped_or_refused_never_markup(course) -> None:
    """Markup in a written answer, an option id, a list for a choice, an object, an answer
    longer than allowed: shown as text, or refused with the reason, never as HTML."""
    first, second = free_text(course)
    choice = next(i for i in items_of(course) if i.kind == "choice" and i.id != CHOICE_ITEM)
    answers = {
        first.id: f"{SCRIPT}\n{IMAGE}\n[x](javascript:alert(1))",
        second.id: "x" * (MAX_TEXT_CHARS + 1),
        CHOICE_ITEM: f"{IMAGE}",
        FLAG_ITEM: ["<b>bold</b>"],
        ACTION_ITEM: {"__eq__": True},
        choice.id: ["a", "b"],
    }
    page = page_for(course, answers=answers, scores={})
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    written = part(page, f"question-{number_of(course, first.id)}")
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;\n&lt;img src=x" in written
    too_long = visible(part(page, f"question-{number_of(course, second.id)}"))
    assert "the answer is longer than 20,000 characters" in too_long and "xxxxx" not in too_long
    chosen = visible(part(page, f"question-{number_of(course, CHOICE_ITEM)}"))
    assert "is not one of the options" in chosen and "✗ Wrong" in chosen
    picked = visible(part(page, f"question-{number_of(course, FLAG_ITEM)}"))
    assert "'<b>bold</b>' is not one of the options" in picked
    assert "a multi-select answer must be a list" in visible(page)
    assert "a choice answer must be a single option" in visible(page)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: None, "no answers file was found"),
        (lambda path: path.write_text('{"version": 1, "answers": {"confid'), "is corrupt"),
        (lambda path: path.write_text("[" * 100_000), "nested too deeply"),
        (lambda path: path.write_text("[1, 2]"), "is not an answers file of version 1"),
        (lambda path: path.write_bytes(b" " * (MAX_FILE_BYTES + 1)), "is larger than"),
        (lambda path: path.symlink_to(path.with_name("other.json")), "is not a regular file"),
        (lambda path: os.mkfifo(path), "is not a regular file"),
        (lambda path: path.mkdir(), "is not a regular file"),
    ],
    ids=["missing", "corrupt", "deep", "not-an-answers-file", "huge", "symlink", "fifo", "dir"],
)
def test_an_unreadable_answers_file_is_reported_on_the_page_not_fatal(
    course, tmp_path: Path, make, reason: str
) -> None:
    (tmp_path / "other.json").write_text(json.dumps({"version": 1, "answers": {}}))
    path = tmp_path / f"{ASSIGNMENT}.answers.json"
    make(path)
    answers, problem = learner_answers(path, "en")
    assert answers == {} and problem is not None and reason in problem
    page = page_for(course, answers=answers, scores={}, problem=problem)
    notice = visible(page[page.index('class="notice"') :])
    assert "Your answers could not be read: " in notice and reason in notice
    assert visible(page).count("You did not answer this question.") == len(items_of(course))


def test_flagged_sentences_are_what_to_flag_not_a_recommended_post(course) -> None:
    items = {item.id: item for item in items_of(course)}
    wrong_pick = next(o.id for o in items[FLAG_ITEM].options if o.id not in items[FLAG_ITEM].key)
    answers = {FLAG_ITEM: [items[FLAG_ITEM].key[0], wrong_pick]}
    page = page_for(course, answers=answers, scores={FLAG_ITEM: 0.0})
    flagged = visible(part(page, f"question-{number_of(course, FLAG_ITEM)}"))
    assert "The lines you flagged" in flagged and "The lines to flag" in flagged
    assert "Best answer" not in flagged and "best choices" not in flagged
    assert flagged.count("(you missed this one)") == len(items[FLAG_ITEM].key) - 1
    action = visible(part(page, f"question-{number_of(course, ACTION_ITEM)}"))
    assert "Your choices" in action and "The best choices" in action
    assert "lines" not in action
    dutch = visible(part(page_for(course, "nl"), f"question-{number_of(course, FLAG_ITEM)}"))
    assert "Deze regels wees je aan" in dutch and "Deze regels had je moeten aanwijzen" in dutch
    assert "Beste antwoord" not in dutch


def test_right_partly_right_and_wrong_are_words_and_symbols_not_colour_alone(course) -> None:
    scores = {FLAG_ITEM: 2 / 3, CHOICE_ITEM: 0.0}
    page = page_for(course, scores={i.id: i.points for i in items_of(course)} | scores)
    assert "✗ Wrong · 0 of 1 point" in visible(
        part(page, f"question-{number_of(course, CHOICE_ITEM)}")
    )
    assert "◐ Partly right · 0.67 of 2 points" in visible(
        part(page, f"question-{number_of(course, FLAG_ITEM)}")
    )
    assert "✓ Right · 1 of 1 point" in visible(part(page, "question-4"))
    names = re.findall(r'<span class="sr">([^<]*)</span></a>', page)  # the overview's links
    assert names[:2] == ["Question 1: Wrong", "Question 2: Right"]
    flagged = number_of(course, FLAG_ITEM)
    assert names[flagged - 1] == f"Question {flagged}: Partly right"


def test_the_page_is_a_phone_page_with_landmarks_and_nothing_of_the_notebook(course) -> None:
    page = page_for(course)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    title = "Your feedback: Certification exam: social media at Meridian Group"
    assert f"<title>{title}</title>" in page
    assert page.count("<main>") == 1 and "<h1>" in page
    levels = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    # Nothing fetched, nothing run, nothing of the notebook.
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)
    assert not [t for t in tags if re.match(r"<(script|link|img|iframe|object|embed|form)", t)]
    assert not re.search(r"https?:|url\(|@import|src=", page)
    for text in ("In [", "Out[", "Test cell", "check_answer", "HIDDEN", "MathJax", "grade_id"):
        assert text not in page, text
    for item in items_of(course):
        assert item.id not in page, item.id
        assert not [o.id for o in item.options if "-" in o.id and o.id in page], item.id


def test_the_dutch_page_is_dutch(course) -> None:
    scores = {item.id: item.points for item in items_of(course, "nl")} | {FLAG_ITEM: 4 / 3}
    page = page_for(course, "nl", scores=scores)
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "<title>Je feedback: Certificeringsexamen: social media bij Meridian Group</title>" in (
        page
    )
    shown = visible(page)
    for text in (
        "Je resultaat",
        "✓ Geslaagd",
        "Per richtlijn",
        "Per vraag",
        "Vraag 1",
        "Jij bent:",
    ):
        assert text in shown, text
    assert "Je hebt 47,33 van de 48 punten gehaald (99%)." in shown
    assert "◐ Deels goed · 1,33 van 2 punten" in shown
    assert "Richtlijn 1: Lek geen vertrouwelijke informatie 6 van 6 punten (100%)" in shown
    english = {value for key, value in WORDS["en"].items() if "{" not in value}
    english -= set(WORDS["nl"].values())
    assert not [text for text in english if len(text) > 3 and text in shown]
    assert " points" not in shown and "Question " not in shown and "Your " not in shown


# Through the real nbgrader commands.


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, built_course_template: Path, course):
    """Learners submitted and autograded once: an honest one, a hostile one, and one whose
    answers file in the autograded folder is replaced by a link."""
    folder = tmp_path_factory.mktemp("feedback") / "course"
    shutil.copytree(built_course_template, folder)
    items = items_of(course)
    first, _ = free_text(course)
    for learner in ("ada", "bea", "linked"):
        submit(folder, ASSIGNMENT, learner, all_right(items))
    hostile = all_right(items) | {first.id: f"{SCRIPT}\n{IMAGE}", CHOICE_ITEM: SCRIPT}
    submit(folder, ASSIGNMENT, "mallory", hostile)
    run_nbgrader(folder, "autograde", ASSIGNMENT)
    graded = folder / "autograded" / "linked" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
    graded.unlink()
    graded.symlink_to(folder / "autograded" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json")
    run_nbgrader(folder, "generate_feedback", ASSIGNMENT)
    return folder


def feedback_page(course_root: Path, learner: str) -> str:
    path = course_root / "feedback" / learner / ASSIGNMENT / f"{ASSIGNMENT}.html"
    return path.read_text(encoding="utf-8")


@pytest.mark.nbgrader
def test_nbgrader_generate_feedback_writes_the_learner_page(graded: Path, course) -> None:
    page = feedback_page(graded, "ada")
    assert '<html lang="en">' in page and "width=device-width" in page
    result = visible(part(page, "result"))
    assert "Not final yet" in result and "Points so far: 42 of 48." in result
    pending = re.findall(r'<p class="status pending">(.*?)</p>', page)
    assert len(pending) == 2 and all("To be graded by your trainer" in p for p in pending)
    for text in ("In [", "Out[", "Test cell", "check_answer", "quiz.ask", "mathjax", "<script"):
        assert text not in page, text
    assert not [item.id for item in items_of(course) if item.id in page]
    for item in items_of(course):
        assert html.escape(" ".join(item.explanation.split()[:8]), quote=False) in page


@pytest.mark.nbgrader
def test_after_the_trainer_grades_the_page_shows_the_score_comment_and_verdict(
    graded: Path, course
) -> None:
    first, second = free_text(course)
    with Gradebook(course_db_url(graded)) as gradebook:
        for item, score in ((first, 2.5), (second, 3.0)):
            grade = gradebook.find_grade(item.id, ASSIGNMENT, ASSIGNMENT, "bea")
            grade.manual_score, grade.needs_manual_grade = score, False
        comment = gradebook.find_comment(first.id, ASSIGNMENT, ASSIGNMENT, "bea")
        comment.manual_comment = f"Kind and clear.\nBut {IMAGE} name the press office."
        gradebook.db.commit()
    run_nbgrader(graded, "generate_feedback", ASSIGNMENT, "--student=bea", "--force")
    page = feedback_page(graded, "bea")
    result = visible(part(page, "result"))
    assert "✓ Passed" in result and "You scored 47.5 of 48 points (99%)." in result
    question = part(page, f"question-{number_of(course, first.id)}")
    assert "◐ Partly right · 2.5 of 3 points" in visible(question)
    assert "Kind and clear.\nBut &lt;img src=x onerror=alert(1)&gt; name" in question
    assert "To be graded" not in page and "<img" not in page


@pytest.mark.nbgrader
def test_hostile_answers_reach_the_page_as_text_and_a_linked_file_is_refused(
    graded: Path, course
) -> None:
    """A script in a written answer and as a choice; the answers file in the autograded
    folder swapped for a link to another learner's file after grading."""
    first, _ = free_text(course)
    page = feedback_page(graded, "mallory")
    assert SCRIPT not in page and "<img" not in page
    written = part(page, f"question-{number_of(course, first.id)}")
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;\n&lt;img" in written
    assert "is not one of the options" in part(page, f"question-{number_of(course, CHOICE_ITEM)}")
    linked = feedback_page(graded, "linked")
    assert "Your answers could not be read:" in linked and "is not a regular file" in linked
    assert "You did not answer this question." in linked and "✓ Right" not in linked


@pytest.mark.nbgrader
def test_grader_cohort_feedback_writes_the_page_plain_nbgrader_writes(graded: Path) -> None:
    before = feedback_page(graded, "ada")
    outcomes = generate_feedback_cohort(graded, ASSIGNMENT, learners=["ada"], workers=1)
    assert [outcome.status for outcome in outcomes] == ["written"]
    assert feedback_page(graded, "ada") == before

"""The quiz pages' parts without a browser: emoji named for those who cannot see them,
texts in both languages, the contact person escaped, the exam's result in the feedback
page's words."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from unittest import mock

import pytest

from grader.quiz import gate
from grader.quiz.header import settings_of
from grader.quiz.parts import emoji_name, mark_emoji, markdown_html
from grader.quiz.result import result_view
from grader.quiz.site import quiz_server
from grader.quiz.submit import ItemResult, Result
from grader.quiz.texts import TEXTS, answered

from ..conftest import ASSIGNMENT, REPO


def test_each_emoji_is_an_image_named_after_it_and_tags_are_left_alone() -> None:
    html = mark_emoji('<p title="🚨">Brakes 🚨⚠️ and 👍🏽 from 🇳🇱</p>')
    assert html.startswith('<p title="🚨">'), "an emoji inside a tag stays as it is"
    assert "role='img' aria-label='police cars revolving light' lang='en'>🚨</span>" in html
    assert "aria-label='warning sign' lang='en'>⚠️</span>" in html
    assert "aria-label='thumbs up sign' lang='en'>👍🏽</span>" in html
    assert "aria-label='flag NL'" in html
    assert emoji_name("🚨") == "police cars revolving light"


def test_markdown_of_a_scenario_marks_its_emoji_and_escapes_nothing_twice() -> None:
    html = markdown_html("> Trucks on the road 🚨 & nobody listens")
    assert "grader-emoji" in html and "&amp; nobody" in html


def test_every_quiz_text_is_there_in_both_languages() -> None:
    assert set(TEXTS["en"]) == set(TEXTS["nl"])
    assert answered("en", 12, 32) == "12 of 32 questions answered"
    assert answered("nl", 1, 1) == "1 van 1 vraag beantwoord"


def test_the_contact_person_from_the_settings_is_escaped(tmp_path: Path) -> None:
    """A contact name or address from organisation.yaml lands in HTML: markup stays text."""
    server = quiz_server(REPO, secret_file=tmp_path / "secret")
    settings = settings_of(REPO)
    evil = dataclasses.replace(
        settings, contact_name="<script>alert(1)</script>", contact_email="a'b@x.example"
    )
    with mock.patch("grader.quiz.header.settings_of", return_value=evil):
        html = gate.contact_html(server, "nl")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "mailto:a&#x27;b@x.example" in html
    assert "communicatieadviseur" in html


@pytest.mark.nbgrader
def test_the_result_is_the_feedback_pages_exact_points_pass_or_fail_and_marks(
    built_course: Path,
) -> None:
    """The page said "11.4999 of 48 points", nothing about passing, and "Score: 0 of 1"."""
    from grader.quiz.result import exam_feedback

    bank_items = json.loads(
        (built_course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.questions.json").read_text()
    )["questions"]
    items = [
        ItemResult(q["id"], 1 / 3 if n < 3 else 0.0, q["points"]) for n, q in enumerate(bank_items)
    ]
    items[-1] = ItemResult(bank_items[-1]["id"], None, bank_items[-1]["points"])
    result = Result("ada", ASSIGNMENT, "", items)
    feedback = exam_feedback(built_course, result)

    brief = result_view(feedback, final=False, focus="data-grader-focus='1' tabindex='-1'")
    assert '<h2 id="result" data-grader-focus' in brief
    assert "1 of 48" in brief or "of 48 points" in brief
    assert "0.3333" not in brief and "Score:" not in brief
    assert "Your trainer still has to grade 1 written answer." in brief
    assert "✓" in brief or "◐" in brief
    assert "Why" not in brief, "before the final result no explanations"
    final = result_view(feedback, final=True)
    assert "<h4>Why</h4>" in final

"""The question widgets without a browser: what they show and what they save, and when.

Each test asks questions through a :class:`grader.learner.quiz.Quiz` over a copy of the released
exercise folder, sets the controls the way the front end would (a learner's click arrives
as a message with the picked options' places, :func:`click`) and reads the answers file
the grader will read.
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets
import pytest
import traitlets

import grader.learner.widgets
from grader.course.items import Bank
from grader.course.paths import ANSWERS_SUFFIX, RELEASE_DIR
from grader.learner.answers import read_answers
from grader.learner.option_group import OptionGroup
from grader.learner.quiz import Quiz
from grader.learner.widgets import (
    WIDGETS,
    ChoiceQuestion,
    FreeTextQuestion,
    MultiSelectQuestion,
    Question,
)

from ..conftest import ASSESSMENT, ASSIGNMENT

LEARNER = "learner-a"


@pytest.fixture
def exercise(built_course_template: Path, tmp_path: Path) -> Path:
    """A learner's copy of the released exercise folder: notebook and questions file."""
    folder = tmp_path / ASSIGNMENT
    shutil.copytree(built_course_template / RELEASE_DIR / ASSIGNMENT, folder)
    return folder


@pytest.fixture
def quiz(exercise: Path) -> Quiz:
    return Quiz(ASSIGNMENT, exercise, learner=LEARNER)


def answers_file(folder: Path) -> Path:
    return folder / f"{ASSIGNMENT}{ANSWERS_SUFFIX}"


def saved(folder: Path) -> dict[str, Any]:
    """The answers on disk, as the grader will read them."""
    return read_answers(answers_file(folder))


def first_id(quiz: Quiz, kind: str) -> str:
    """The first question of this kind in the assessment whose options are shuffled."""
    return next(
        qid
        for qid, question in quiz.questions.items()
        if question["kind"] == kind and question.get("shuffle", True)
    )


def option_ids_by_text(question: dict[str, Any]) -> dict[str, str]:
    return {option["text"]: option["id"] for option in question["options"]}


def shown_texts(widget: Question) -> list[str]:
    """The option texts in the order the learner sees them."""
    if isinstance(widget.control, OptionGroup):
        return list(widget.control.options)
    raise TypeError(f"{type(widget).__name__} has no options")


def click(widget: Question, *texts: str) -> None:
    """What the browser sends when these options (and only these) show picked."""
    places = [str(shown_texts(widget).index(text)) for text in texts]
    send(widget, places)


def send(widget: Question, picked: Any) -> None:
    """A message from the browser, as ipywidgets hands it to the widget."""
    widget.control.set_state({"picked": picked})


def status_text(widget: Question) -> str:
    """The status line as a learner reads it (tags removed, entities decoded)."""
    return readable(widget.status.value)


def readable(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_choice_saves_the_option_id_as_soon_as_it_is_picked(quiz: Quiz, exercise: Path) -> None:
    item_id = first_id(quiz, "choice")
    widget = quiz.ask(item_id)
    assert isinstance(widget, ChoiceQuestion)
    ids = option_ids_by_text(quiz.questions[item_id])
    first_shown, last_shown = shown_texts(widget)[0], shown_texts(widget)[-1]

    widget.control.value = ids[last_shown]
    assert saved(exercise) == {item_id: ids[last_shown]}
    assert "Saved at" in status_text(widget)

    widget.control.value = ids[first_shown]
    assert saved(exercise) == {item_id: ids[first_shown]}


def test_multi_select_stores_sorted_option_ids_and_unticking_all_removes_it(
    quiz: Quiz, exercise: Path
) -> None:
    choice_id = first_id(quiz, "choice")
    quiz.ask(choice_id).control.value = quiz.questions[choice_id]["options"][0]["id"]
    item_id = first_id(quiz, "multi-select")
    widget = quiz.ask(item_id)
    assert isinstance(widget, MultiSelectQuestion)
    ids = option_ids_by_text(quiz.questions[item_id])
    texts = shown_texts(widget)
    picked = [ids[text] for text in texts]
    assert picked != sorted(picked), "this check needs options shown out of id order"

    click(widget, *reversed(texts))
    assert saved(exercise)[item_id] == sorted(picked)

    click(widget, *texts[:-1])
    assert saved(exercise)[item_id] == sorted(picked[:-1])

    click(widget)
    assert item_id not in saved(exercise)
    assert choice_id in saved(exercise), "unticking must not touch the other answers"


def test_free_text_stores_the_text_and_blank_text_removes_it(quiz: Quiz, exercise: Path) -> None:
    item_id = first_id(quiz, "free-text")
    widget = quiz.ask(item_id)
    assert isinstance(widget, FreeTextQuestion)
    text = "Hi Sandra, I can't say more yet.\nMeridian will tell staff at the end of the month."

    widget.control.value = text
    assert saved(exercise) == {item_id: text}
    assert "Saved at" in status_text(widget)

    widget.control.value = "  \n\t "
    assert item_id not in saved(exercise)


def test_a_new_quiz_shows_the_saved_answers(quiz: Quiz, exercise: Path) -> None:
    """After a kernel restart the notebook builds a new Quiz: the learner sees the answers."""
    choice_id = first_id(quiz, "choice")
    multi_id = first_id(quiz, "multi-select")
    text_id = first_id(quiz, "free-text")
    choice = quiz.questions[choice_id]["options"][2]["id"]
    multi = sorted(option["id"] for option in quiz.questions[multi_id]["options"][:2])
    text = "I'd reply that I don't know more than the newspaper. 🙂"
    quiz.ask(choice_id).control.value = choice
    quiz.ask(multi_id).control.value = multi
    quiz.ask(text_id).control.value = text

    restarted = Quiz(ASSIGNMENT, exercise, learner=LEARNER)
    again_choice = restarted.ask(choice_id)
    again_multi = restarted.ask(multi_id)
    again_text = restarted.ask(text_id)

    assert again_choice.control.value == choice
    assert sorted(again_multi.control.value) == multi
    shown = [again_multi.control.option_ids[int(place)] for place in again_multi.control.picked]
    assert sorted(shown) == multi, "the browser is told which boxes to show ticked"
    assert again_text.control.value == text
    for widget in (again_choice, again_multi, again_text):
        assert status_text(widget) == "Your saved answer is shown."
    untouched = next(
        qid for qid in restarted.questions if qid not in (choice_id, multi_id, text_id)
    )
    assert status_text(restarted.ask(untouched)) == "Not answered yet."
    assert saved(exercise) == {choice_id: choice, multi_id: multi, text_id: text}, (
        "showing saved answers must not rewrite them"
    )


def test_every_widget_shows_its_question_and_option_texts(quiz: Quiz) -> None:
    for item_id, question in quiz.questions.items():
        widget = quiz.ask(item_id)
        assert widget.status in widget.children
        if question["kind"] == "free-text":
            label = readable(widget.label.value)
            assert question["question"] in label, f"{item_id}: the question is not in its label"
            assert widget.children[:2] == (widget.label, widget.control), "question first"
            assert isinstance(widget.control, ipywidgets.Textarea)
            assert question["question"] in widget.control.description, "the box's own name"
            continue
        assert widget.children[0] is widget.control, f"{item_id}: the question must come first"
        assert widget.control.question == question["question"], "the group's legend"
        assert widget.control.multiple == (question["kind"] == "multi-select")
        texts = shown_texts(widget)
        assert sorted(texts) == sorted(option["text"] for option in question["options"])
        assert all(text.strip() for text in texts), f"{item_id}: an option has no text"


def test_the_same_learner_always_sees_the_same_order(exercise: Path) -> None:
    first = Quiz(ASSIGNMENT, exercise, learner="learner-a")
    again = Quiz(ASSIGNMENT, exercise, learner="learner-a")
    for item_id, question in first.questions.items():
        if question["kind"] != "free-text":
            assert shown_texts(first.ask(item_id)) == shown_texts(again.ask(item_id)), item_id


def test_options_marked_not_to_shuffle_keep_their_written_order(exercise: Path) -> None:
    fixed = [q for q in Quiz(ASSIGNMENT, exercise).questions.values() if q.get("shuffle") is False]
    assert fixed, "the exam has no question with numbered options"
    written = [option["text"] for option in fixed[0]["options"]]
    for n in range(5):
        widget = Quiz(ASSIGNMENT, exercise, learner=f"learner-{n}").ask(fixed[0]["id"])
        assert shown_texts(widget) == written


@pytest.mark.parametrize("kind", ["choice", "multi-select"])
def test_different_learners_see_different_orders(exercise: Path, kind: str) -> None:
    item_id = first_id(Quiz(ASSIGNMENT, exercise, learner="x"), kind)
    orders = {
        tuple(shown_texts(Quiz(ASSIGNMENT, exercise, learner=f"learner-{n}").ask(item_id)))
        for n in range(20)
    }
    assert len(orders) >= 2, f"20 learners all saw the options of {item_id} in one order"


def test_the_stored_answer_is_the_option_id_whatever_the_order(exercise: Path) -> None:
    probe = Quiz(ASSIGNMENT, exercise, learner="x")
    item_id = first_id(probe, "choice")
    target = probe.questions[item_id]["options"][1]
    positions = set()
    for n in range(20):
        widget = Quiz(ASSIGNMENT, exercise, learner=f"learner-{n}").ask(item_id)
        position = shown_texts(widget).index(target["text"])
        positions.add(position)
        click(widget, target["text"])
        assert saved(exercise)[item_id] == target["id"], f"learner-{n}, shown at {position}"
    assert len(positions) >= 2, "the option was shown at one position only; nothing was checked"


def test_a_corrupt_answers_file_is_reported_and_kept_aside(quiz: Quiz, exercise: Path) -> None:
    corrupt = b'{"version": 1, "answers": {"confidential-whiteboard-team-ph'
    answers_file(exercise).write_bytes(corrupt)
    item_id = first_id(quiz, "choice")

    widget = quiz.ask(item_id)
    assert "could not be read" in status_text(widget)

    option_id = quiz.questions[item_id]["options"][0]["id"]
    widget.control.value = option_id
    kept = list(exercise.glob(f"{ASSIGNMENT}{ANSWERS_SUFFIX}.corrupt-*"))
    assert len(kept) == 1, "the corrupt file must be kept aside, not overwritten"
    assert kept[0].read_bytes() == corrupt
    assert json.loads(answers_file(exercise).read_text(encoding="utf-8")) == {
        "version": 1,
        "answers": {item_id: option_id},
    }
    assert "Saved at" in status_text(widget)


@pytest.fixture
def unwritable(exercise: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The exercise folder made read-only (as root, which ignores that: saving is refused)."""
    if os.geteuid() == 0:

        def refuse(path: Path | str, item_id: str, answer: Any) -> None:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

        monkeypatch.setattr(grader.learner.widgets, "save_answer", refuse)
        yield exercise
        return
    exercise.chmod(0o500)
    try:
        yield exercise
    finally:
        exercise.chmod(0o700)


def test_an_unwritable_folder_shows_a_friendly_status(quiz: Quiz, unwritable: Path) -> None:
    item_id = first_id(quiz, "choice")
    widget = quiz.ask(item_id)

    widget.control.value = quiz.questions[item_id]["options"][0]["id"]  # must not raise

    status = status_text(widget)
    assert "could not be saved" in status
    assert "Permission denied" in status
    assert "Traceback" not in status and "Error" not in status
    assert not answers_file(unwritable).exists()
    retry = widget.retry
    assert retry is not None and retry.description == "Save again"
    assert widget.children.index(retry) == widget.children.index(widget.status) + 1


def test_a_save_again_button_is_made_only_when_a_save_fails(quiz: Quiz, exercise: Path) -> None:
    item_id = first_id(quiz, "choice")
    widget = quiz.ask(item_id)
    widget.control.value = quiz.questions[item_id]["options"][0]["id"]
    assert widget.retry is None
    assert len(widget.children) == 2, "options under their question, status"


def test_a_page_of_questions_shares_its_layouts_and_styles(quiz: Quiz) -> None:
    asked = [quiz.ask(item_id) for item_id in quiz.questions]
    models = {id(w): w for question in asked for w in widgets_in(question, set())}.values()
    layouts = [w for w in models if isinstance(w, ipywidgets.Layout)]
    styles = [w for w in models if isinstance(w, ipywidgets.Style)]
    assert len(asked) > 10
    assert len(layouts) <= 5 and len(styles) <= 5, "a handful, not one per widget"


def strings_in(value: Any, seen: set[int]) -> Iterator[str]:
    """Every string reachable from ``value`` through widgets, their attributes and containers."""
    if isinstance(value, str):
        yield value
    elif id(value) in seen:
        return
    elif isinstance(value, ipywidgets.Widget):
        seen.add(id(value))
        for name in value.trait_names():
            yield from strings_in(getattr(value, name), seen)
        yield from strings_in(vars(value), seen)
    elif isinstance(value, dict):
        seen.add(id(value))
        for key, item in value.items():
            yield from strings_in(key, seen)
            yield from strings_in(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        seen.add(id(value))
        for item in value:
            yield from strings_in(item, seen)


def browser_state(widget: ipywidgets.Widget) -> Iterator[str]:
    """Every string the front end receives for ``widget`` and the widgets inside it."""
    for each in widgets_in(widget, set()):
        yield from strings_in(each.get_state(), set())


def widgets_in(value: Any, seen: set[int]) -> Iterator[ipywidgets.Widget]:
    """``value`` and every widget inside it (children, layout, style, ...), once each."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, ipywidgets.Widget):
        yield value
        for name in value.trait_names():
            yield from widgets_in(getattr(value, name), seen)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from widgets_in(item, seen)


def test_no_key_explanation_or_rubric_reaches_the_widgets(quiz: Quiz, bank: Bank) -> None:
    """Nothing that grades may be readable by a learner in the page or the kernel.

    The key is a set of option ids. Python must know every option id to store answers,
    so there the key is checked through what is sent to the browser: no option id at all.
    Explanations, rubric lines and model answers must appear nowhere.
    """
    for item in bank.items_of(ASSESSMENT):
        widget = quiz.ask(item.id)
        everything = [form for text in strings_in(widget, set()) for form in (text, readable(text))]
        sent = [form for text in browser_state(widget) for form in (text, readable(text))]
        assert any(item.question in text for text in sent), "the walk missed the question"

        secrets = [item.explanation, *(line.criterion for line in item.rubric)]
        if item.model_answer:
            secrets.append(item.model_answer)
        for secret in secrets:
            leaks = [text for text in everything if secret.strip() in text]
            assert not leaks, f"{item.id}: grading text in the widget: {secret[:60]!r}"
        for option_id in item.option_ids:
            assert not [text for text in sent if option_id in text], (
                f"{item.id}: option id {option_id!r} is sent to the browser"
            )
        assert set(item.key) <= set(item.option_ids)


def test_a_heading_names_each_group_so_questions_in_the_same_words_differ(exercise: Path) -> None:
    """Several exam questions ask "What do you do?": a screen reader must tell them apart."""
    questions = Quiz(ASSIGNMENT, exercise).questions
    for kind in ("choice", "multi-select", "free-text"):
        question = next(q for q in questions.values() if q["kind"] == kind)
        widget = WIDGETS[kind](
            question, answers_file(exercise), None, LEARNER, heading="Question 7"
        )
        if kind == "free-text":
            assert widget.control.description == f"Question 7: {question['question']}"
        else:
            assert widget.control.heading == "Question 7"
            assert widget.control.get_state()["heading"] == "Question 7"


@pytest.mark.parametrize(
    ("kind", "picked", "reason"),
    [
        ("choice", ["0", "1"], "a choice answer must be a single option"),
        ("choice", ["99"], "'99' is not one of the options"),
        ("choice", ["0", "0"], "a choice answer must be a single option"),
        ("multi-select", ["1", "1"], "the same option is picked more than once"),
        ("multi-select", ["0", "-1"], "'-1' is not one of the options"),
    ],
)
def test_a_pick_the_options_cannot_make_is_refused_and_not_saved(
    quiz: Quiz, exercise: Path, kind: str, picked: list[str], reason: str
) -> None:
    """Attack: a browser sends places that are no option, two picks for a single choice,
    or one option twice. Nothing is saved, the learner is told, the browser shows the
    stored answer again."""
    item_id = first_id(quiz, kind)
    widget = quiz.ask(item_id)
    click(widget, shown_texts(widget)[0])
    before = saved(exercise)

    send(widget, picked)

    assert saved(exercise) == before
    assert status_text(widget) == f"Not saved: {reason}."
    assert widget.control.picked == ["0"], "the browser is sent the stored answer back"
    assert widget.answer() == before[item_id]


def test_a_real_option_id_sent_by_the_browser_is_refused(quiz: Quiz, exercise: Path) -> None:
    """Attack: a browser that guessed an option id sends it instead of a place. The browser
    knows options only by place: an id is no place, so it is refused."""
    item_id = first_id(quiz, "choice")
    widget = quiz.ask(item_id)

    send(widget, [widget.option_ids[0]])

    assert not answers_file(exercise).exists()
    assert "is not one of the options" in status_text(widget)
    assert widget.answer() is None


@pytest.mark.parametrize("picked", ["0", "01", 0, None, [0], [["0"]], {"0": True}])
def test_a_pick_that_is_not_a_list_of_places_is_refused(
    quiz: Quiz, exercise: Path, picked: Any
) -> None:
    """Attack: a browser sends a string (which traitlets would split into places), a
    number, nothing, or nested values instead of a list of places."""
    widget = quiz.ask(first_id(quiz, "multi-select"))

    with pytest.raises(traitlets.TraitError):
        send(widget, picked)

    assert widget.control.picked == []
    assert not answers_file(exercise).exists()


def test_python_code_cannot_set_an_answer_that_is_not_one(quiz: Quiz, exercise: Path) -> None:
    widget = quiz.ask(first_id(quiz, "choice"))
    for wrong in (["a", "b"], "no-such-option", 3):
        with pytest.raises(traitlets.TraitError):
            widget.control.value = wrong
    assert not answers_file(exercise).exists()

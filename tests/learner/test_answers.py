"""The answers file: round trips, atomic writes, corrupt files kept aside, answer validation."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

import grader.learner.answers
from grader.learner.answers import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    AnswersFileError,
    answer_problem,
    answers_path,
    read_answers,
    save_answer,
)

OPTIONS = ("post-as-is", "retake-without-whiteboard", "tag-the-clients", "skip-the-post")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return answers_path(tmp_path, "sample-assessment")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


# --- reading and saving ----------------------------------------------------------------------


def test_answers_path_sits_beside_the_notebook(tmp_path: Path) -> None:
    assert answers_path(tmp_path, "sample-assessment") == (
        tmp_path / "sample-assessment.answers.json"
    )


def test_saved_answers_read_back(path: Path) -> None:
    save_answer(path, "choice-item", "retake-without-whiteboard")
    save_answer(path, "multi-item", ["results-day-teaser", "busiest-quarter-twenty-percent"])
    save_answer(path, "free-item", "Sorry your parcel hasn't turned up 📦 — DM us.")

    assert read_answers(path) == {
        "choice-item": "retake-without-whiteboard",
        "multi-item": ["results-day-teaser", "busiest-quarter-twenty-percent"],
        "free-item": "Sorry your parcel hasn't turned up 📦 — DM us.",
    }


def test_save_keeps_other_answers(path: Path) -> None:
    save_answer(path, "first", "a")
    save_answer(path, "second", "b")
    save_answer(path, "first", "c")  # changing one answer leaves the other alone

    assert read_answers(path) == {"first": "c", "second": "b"}


def test_save_none_removes_the_answer(path: Path) -> None:
    save_answer(path, "first", "a")
    save_answer(path, "second", "b")

    save_answer(path, "first", None)

    assert read_answers(path) == {"second": "b"}


def test_save_none_for_an_unanswered_item_changes_nothing(path: Path) -> None:
    save_answer(path, "first", "a")

    save_answer(path, "never-answered", None)

    assert read_answers(path) == {"first": "a"}


def test_written_file_is_json_of_version_1(path: Path) -> None:
    save_answer(path, "free-item", "Café ☕")

    data = json.loads(path.read_bytes().decode("utf-8"))

    assert data == {"version": 1, "answers": {"free-item": "Café ☕"}}
    assert FORMAT_VERSION == 1


# --- atomic writes ---------------------------------------------------------------------------


def test_failed_replace_leaves_previous_file_and_no_temporary(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_answer(path, "first", "a")
    before = path.read_bytes()

    def crash(source: Any, destination: Any) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(grader.learner.answers.os, "replace", crash)
    with pytest.raises(OSError, match="disk went away"):
        save_answer(path, "second", "b")
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert read_answers(path) == {"first": "a"}


def test_first_save_that_fails_leaves_no_file_at_all(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(source: Any, destination: Any) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(grader.learner.answers.os, "replace", crash)
    with pytest.raises(OSError):
        save_answer(path, "first", "a")
    monkeypatch.undo()

    assert list(path.parent.iterdir()) == []


def test_corrupt_file_is_kept_aside_when_saving(path: Path) -> None:
    corrupt = b'{"version": 1, "answers": {"first": "a"'  # cut off mid-write
    path.write_bytes(corrupt)
    started = int(time.time())

    save_answer(path, "second", "b")

    finished = int(time.time())
    aside = [p for p in path.parent.iterdir() if p != path]
    assert len(aside) == 1
    prefix = f"{path.name}.corrupt-"
    assert aside[0].name.startswith(prefix)
    assert started <= int(aside[0].name.removeprefix(prefix)) <= finished
    assert aside[0].read_bytes() == corrupt
    assert read_answers(path) == {"second": "b"}


# --- read_answers refuses what is not an answers file ----------------------------------------


def test_missing_file_is_refused(path: Path) -> None:
    with pytest.raises(AnswersFileError, match=r"no answers file was found \(sample-assessment"):
        read_answers(path)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param(b"{not json", "is corrupt", id="not-json"),
        pytest.param(b"", "is corrupt", id="empty"),
        pytest.param(b'{"version": 1, "answers": {"a": "\xff"}}', "is corrupt", id="not-utf8"),
        pytest.param(b'[{"version": 1, "answers": {}}]', "not an answers file", id="list"),
        pytest.param(b'{"version": 2, "answers": {}}', "not an answers file", id="version-2"),
        pytest.param(b'{"answers": {}}', "not an answers file", id="no-version"),
        pytest.param(b'{"version": 1, "answers": []}', "not an answers file", id="answers-list"),
        pytest.param(b'{"version": 1}', "not an answers file", id="no-answers"),
    ],
)
def test_malformed_file_is_refused_with_a_readable_message(
    path: Path, content: bytes, says: str
) -> None:
    path.write_bytes(content)

    with pytest.raises(AnswersFileError) as caught:
        read_answers(path)

    message = str(caught.value)
    assert message.startswith(f"{path.name} ")
    assert says in message
    assert "Traceback" not in message


def test_file_larger_than_the_limit_is_refused(path: Path) -> None:
    padding = "x" * MAX_FILE_BYTES
    write_json(path, {"version": 1, "answers": {"free-item": padding}})
    assert path.stat().st_size > MAX_FILE_BYTES

    with pytest.raises(AnswersFileError, match=f"{path.name} is larger than 1,000,000 bytes"):
        read_answers(path)


def test_file_just_under_the_limit_is_read(path: Path) -> None:
    overhead = len(json.dumps({"version": 1, "answers": {"free-item": ""}}))
    write_json(path, {"version": 1, "answers": {"free-item": "x" * (MAX_FILE_BYTES - overhead)}})
    assert path.stat().st_size == MAX_FILE_BYTES

    assert len(read_answers(path)["free-item"]) == MAX_FILE_BYTES - overhead


def test_symlink_is_refused(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    write_json(target, {"version": 1, "answers": {"first": "a"}})
    path.symlink_to(target)

    with pytest.raises(AnswersFileError, match=f"{path.name} is not a regular file"):
        read_answers(path)


def test_directory_is_refused(path: Path) -> None:
    path.mkdir()

    with pytest.raises(AnswersFileError, match="is not a regular file"):
        read_answers(path)


# --- answer_problem --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("choice", "retake-without-whiteboard"),
        ("multi-select", ["retake-without-whiteboard"]),
        ("multi-select", ["skip-the-post", "post-as-is"]),
        ("multi-select", list(OPTIONS)),
        ("multi-select", []),
        ("free-text", "I would crop the photo."),
        ("free-text", ""),
        ("free-text", "x" * MAX_TEXT_CHARS),
    ],
)
def test_valid_answer_has_no_problem(kind: str, answer: Any) -> None:
    assert answer_problem(kind, OPTIONS, answer) is None


@pytest.mark.parametrize(
    ("kind", "answer", "says"),
    [
        pytest.param("choice", 1, "single option", id="choice-int"),
        pytest.param("choice", {"id": "post-as-is"}, "single option", id="choice-dict"),
        pytest.param("choice", ["post-as-is"], "single option", id="choice-list"),
        pytest.param("choice", True, "single option", id="choice-bool"),
        pytest.param("choice", None, "single option", id="choice-none"),
        pytest.param("choice", "delete-the-account", "not one of the options", id="choice-unknown"),
        pytest.param("choice", "Post-As-Is", "not one of the options", id="choice-wrong-case"),
        pytest.param("multi-select", "post-as-is", "list of options", id="multi-string"),
        pytest.param("multi-select", {"post-as-is": True}, "list of options", id="multi-dict"),
        pytest.param("multi-select", ("post-as-is",), "list of options", id="multi-tuple"),
        pytest.param("multi-select", ["post-as-is", 2], "list of options", id="multi-int-inside"),
        pytest.param("multi-select", [True], "list of options", id="multi-bool-inside"),
        pytest.param(
            "multi-select", ["post-as-is", "post-as-is"], "more than once", id="multi-duplicate"
        ),
        pytest.param(
            "multi-select",
            ["post-as-is", "delete-it"],
            "not one of the options",
            id="multi-unknown",
        ),
        pytest.param("free-text", 42, "must be text", id="free-int"),
        pytest.param("free-text", ["some", "text"], "must be text", id="free-list"),
        pytest.param("free-text", False, "must be text", id="free-bool"),
        pytest.param("free-text", "x" * (MAX_TEXT_CHARS + 1), "longer than 20,000", id="too-long"),
        pytest.param("essay", "text", "unknown item kind 'essay'", id="unknown-kind"),
    ],
)
def test_invalid_answer_is_rejected_with_a_message(kind: str, answer: Any, says: str) -> None:
    problem = answer_problem(kind, OPTIONS, answer)

    assert problem is not None
    assert says in problem


def test_unknown_option_message_is_short_for_a_huge_answer() -> None:
    """A pasted wall of text is quoted only in part, so the message stays readable."""
    problem = answer_problem("choice", OPTIONS, "y" * 10_000)

    assert problem is not None
    assert "y" * 40 in problem
    assert "y" * 41 not in problem


def test_str_subclass_is_rejected() -> None:
    """Only plain JSON values reach scoring: a str subclass could override comparison."""

    class Sneaky(str):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = str.__hash__

    assert answer_problem("choice", OPTIONS, Sneaky("whatever")) is not None
    assert answer_problem("multi-select", OPTIONS, [Sneaky("whatever")]) is not None

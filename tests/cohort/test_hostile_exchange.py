"""Attacks through nbgrader's exchange, collected with ``grader cohort collect``.

Each test reproduces what a hostile learner can do to their own inbound submission (or
with ``nbgrader submit --student=<someone else>``) and checks what the trainer gets.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.cli.main import main
from grader.cohort.gradebook import item_scores
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url
from grader.learner.answers import save_answer
from grader.learner.simulate import all_right, all_wrong

from .conftest import ASSIGNMENT, EXERCISE, learner_nbgrader

pytestmark = pytest.mark.nbgrader
NOBODY = 65534  # another account than the one collecting


def submit(home: Path, exchange: Path, answers: dict) -> Path:
    """Fetch, answer and submit as ``home.name``; return the inbound folder it made."""
    learner_nbgrader(home, exchange, "fetch_assignment", ASSIGNMENT)
    for item_id, answer in answers.items():
        save_answer(home / ASSIGNMENT / f"{ASSIGNMENT}.answers.json", item_id, answer)
    before = set(inbound(exchange).iterdir())
    learner_nbgrader(home, exchange, "submit", ASSIGNMENT)
    (made,) = set(inbound(exchange).iterdir()) - before
    return made


def inbound(exchange: Path) -> Path:
    return exchange / "social-media-guidelines" / "inbound"


def collect(course: Path, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    status = main(["--course", str(course), "cohort", "collect", ASSIGNMENT])
    return status, capsys.readouterr().out


def test_symlinks_in_an_inbound_submission_are_never_followed(
    hub_course: tuple[Path, Path], tmp_path: Path, bank: Bank, capsys: pytest.CaptureFixture
) -> None:
    """The attacker links their answers file to another learner's and adds links to the
    item bank and the gradebook; a FIFO would block a naive copy."""
    course, exchange = hub_course
    items = bank.items_of(EXERCISE)
    assert main(["--course", str(course), "cohort", "release", ASSIGNMENT]) == 0
    victim = submit(tmp_path / "home" / "ada", exchange, all_right(items))
    attacker = submit(tmp_path / "home" / "bo", exchange, all_wrong(items))
    answers = attacker / f"{ASSIGNMENT}.answers.json"
    answers.unlink()
    answers.symlink_to(victim / f"{ASSIGNMENT}.answers.json")
    (attacker / "bank.yaml").symlink_to(course / "solutions" / "01-confidential.items.yaml")
    questions = attacker / f"{ASSIGNMENT}.questions.json"
    questions.unlink()
    questions.symlink_to(course / "gradebook.db")
    os.mkfifo(attacker / "stuck")
    status, out = collect(course, capsys)
    assert status == 0 and "2 submissions" in out

    copied = course / "submitted" / "bo" / ASSIGNMENT
    names = sorted(p.name for p in copied.iterdir())
    assert names == [f"{ASSIGNMENT}.ipynb", "submission_secret.txt", "timestamp.txt"]
    assert main(["--course", str(course), "cohort", "autograde", ASSIGNMENT]) == 0
    scores = item_scores(course_db_url(course), ASSIGNMENT)
    assert set(scores["bo"].values()) <= {0.0, None}, "the victim's answers were graded"
    assert any(value for value in scores["ada"].values())
    assert main(["--course", str(course), "cohort", "feedback", ASSIGNMENT]) == 0
    feedback = course / "feedback" / "bo" / ASSIGNMENT
    assert "item bank" not in " ".join(p.name for p in feedback.iterdir())
    assert not any(p.is_symlink() for p in feedback.rglob("*"))
    for path in feedback.rglob("*"):
        content = path.read_bytes()
        assert b"explanation:" not in content and b"SQLite format 3" not in content, path


def test_submitting_as_someone_else_is_refused_and_reported(
    hub_course: tuple[Path, Path], tmp_path: Path, bank: Bank, capsys: pytest.CaptureFixture
) -> None:
    """``nbgrader submit --student=ada`` from another account: nbgrader only logs
    "cheating attempt?"; the trainer must be told and ada's own submission kept."""
    course, exchange = hub_course
    items = bank.items_of(EXERCISE)
    assert main(["--course", str(course), "cohort", "release", ASSIGNMENT]) == 0
    genuine = submit(tmp_path / "home" / "ada", exchange, all_wrong(items))
    forged = submit(tmp_path / "forger" / "ada", exchange, all_right(items))
    assert genuine != forged
    for path in [forged, *forged.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)

    status, out = collect(course, capsys)
    assert status == 1
    assert "refused: ada: it claims to be from ada but was submitted by the account" in out
    answers = course / "submitted" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
    kept = json.loads(answers.read_text())["answers"]
    assert kept == json.loads((genuine / answers.name).read_text())["answers"]


def test_a_learner_id_that_is_no_plain_name_is_refused(
    hub_course: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    course, exchange = hub_course
    assert main(["--course", str(course), "cohort", "release", ASSIGNMENT]) == 0
    forged = inbound(exchange) / f"=cmd+x+{ASSIGNMENT}+2026-01-01 10:00:00.000000 UTC+abc"
    forged.mkdir()
    (forged / "timestamp.txt").write_text("2026-01-01 10:00:00.000000 UTC")
    status, out = collect(course, capsys)
    assert status == 1 and "refused: =cmd+x: learner id '=cmd+x' is not a valid learner id" in out
    assert not (course / "submitted" / "=cmd+x").exists()
    assert (course / "exercises" / ASSIGNMENT).is_dir()

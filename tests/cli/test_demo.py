"""The demo's score table: per guideline, total, maximum and written answers to grade."""

from __future__ import annotations

import random

import pytest

from grader.cli.demo import score_table
from grader.course.items import Bank
from grader.learner.simulate import realistic_answers

from ..conftest import ASSESSMENT, REPO


def test_score_table_adds_up_per_guideline_and_counts_pending(bank: Bank) -> None:
    items = bank.items_of(ASSESSMENT)
    scores = {"zoe": {item.id: None if item.kind == "free-text" else 0.0 for item in items}}
    scores["zoe"]["confidential-protected-report-brake-defects"] = 1.0
    scores["zoe"]["confidential-conference-talk-slides"] = 0.6667
    lines = score_table(bank, ASSESSMENT, scores).splitlines()
    header, row = lines[0].split(), lines[2].split()
    assert header == [
        "learner",
        "G1",
        "G2",
        "G3",
        "G4",
        "G5",
        "G6",
        "G7",
        "G8",
        "score",
        "max",
        "to",
        "grade",
    ]
    assert row[0] == "zoe"
    assert row[1] == "1.67"  # guideline 1: 1 + 0.6667
    assert row[2:9] == ["0"] * 7
    maximum = sum(item.points for item in items)
    pending = sum(item.kind == "free-text" for item in items)
    assert row[9:] == ["1.67", f"{maximum:g}", str(pending)]


@pytest.mark.nbgrader
def test_the_demo_ends_in_graded_written_answers_and_certificates(
    tmp_path, monkeypatch, capsys
) -> None:
    """The whole loop a newcomer sees: autograde, a trainer's grades, feedback, report, and
    certificates for those who pass (one of them verified)."""
    from grader.cli.main import main
    from grader.course.settings import SIGNING_KEY_ENV

    monkeypatch.setenv(SIGNING_KEY_ENV, str(tmp_path / "key.pem"))
    out = tmp_path / "demo-course"
    assert main(["--course", str(REPO), "demo", "--out", str(out), "--learners", "6"]) == 0
    printed = capsys.readouterr().out
    assert "A simulated trainer graded" in printed
    assert "0 await manual grading" in printed
    certified = next(line for line in printed.splitlines() if line.startswith("Certified: "))
    assert certified.startswith("Certified: 1 passed")  # the seed makes it repeatable
    assert "Verified " in printed and ": VALID: valid until " in printed
    assert len(list((out / "certificates").rglob("*.pdf"))) == 1


def test_simulated_learners_do_not_all_write_the_same_answer(bank: Bank) -> None:
    items = [item for item in bank.items_of(ASSESSMENT) if item.kind == "free-text"]
    rng = random.Random(2010)
    texts = {
        answer
        for skill in (0.3, 0.5, 0.7, 0.95)
        for answer in realistic_answers(items, skill, rng).values()
    }
    assert len(texts) >= 4

"""The demo's score table: per guideline, total, maximum and written answers to grade."""

from __future__ import annotations

from grader.cli.demo import score_table
from grader.course.items import Bank

from ..conftest import ASSESSMENT


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

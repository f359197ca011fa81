"""The report's files for a 200-learner synthetic cohort stay byte for byte the same.

Speed work on the report (reading, item analysis, rendering) must not change a figure or a
character. ``GOLDEN`` holds each file's SHA-256; after a change that is meant to alter the
report, run this test with ``GRADER_REGENERATE_GOLDEN=1``, review the page it writes to
its temporary folder, and paste the digests it prints into ``GOLDEN``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path

from grader.cohort.gradebook import AssignmentGrades, Grade, Learner, Submission
from grader.cohort.report.csv_files import write_tables
from grader.cohort.report.data import Cohort, compile_report
from grader.cohort.report.page import render
from grader.course.items import Bank

from .test_data import NOW

GOLDEN = {
    "guidelines.csv": "6578eae1b50f7684f2b06d90e5051b66d57eccb5ae975ddbd7bdeb0a0ef1d41b",
    "items.csv": "92344279f7fd24aec377a7d099085416560a7f8d93dcf5d566857007446b33ad",
    "learners.csv": "ce04a9fc547a26adbeb4b7e4a821db0270e05fab2f611f3c1d5e6d9bf582fc9b",
    "report.html": "752a8fa9c835d9ee34236202d3069a9a98927e0c9bccc47cc5b037a482f2cf99",
    "teams.csv": "5e53026c0e6637470a88e88d635188399d4a1688006628101031a53bf1e1fd1d",
}
ASSESSMENT = "certification-exam"
TEAMS = ("Sales", "IT", "HR", "Customer service and after-sales")


def synthetic_cohort(bank: Bank, learners: int = 200, seed: int = 2027) -> Cohort:
    """Learners of different skill; partial credit on multi-select items, a few written
    answers still to grade, a few learners late, absent or without a team."""
    rng = random.Random(seed)
    items = bank.items_of(ASSESSMENT)
    submissions, teams = [], {}
    for n in range(learners):
        learner = f"learner{n:03d}"
        skill = rng.random()
        grades = []
        for item in items:
            if item.kind == "free-text":
                pending = rng.random() < 0.03
                score = None if pending else float(round(item.points * skill * rng.random()))
                grades.append(Grade(item.id, score or 0.0, item.points, pending, score))
            else:
                share = sum(rng.random() < skill for _ in range(3)) / 3
                score = round(item.points * share, 4) if item.kind == "multi-select" else 0.0
                if item.kind != "multi-select":
                    score = item.points * (rng.random() < skill)
                grades.append(Grade(item.id, float(score), item.points, False, None))
        late = 3600.0 * rng.randint(1, 30) if n % 17 == 0 else 0.0
        who = Learner(learner, f"Learner {n}", f"{learner}@example.com")
        submissions.append(
            Submission(who, f"2027-03-01 09:{n % 60:02d}:00", tuple(grades), late, "x-en")
        )
        if n % 23:
            teams[learner] = rng.choice(TEAMS)
    absent = tuple(Learner(f"absent{n}", f"Absent {n}", "") for n in range(5))
    return Cohort(
        organisation="Meridian Group",
        assignment=f"{ASSESSMENT}-en",
        title="Certification exam",
        pass_mark=70.0,
        guideline_minimum=50.0,
        items=tuple(items),
        grades=AssignmentGrades((*(s.learner for s in submissions), *absent), tuple(submissions)),
        teams=teams,
        handed_in=frozenset(s.learner.id for s in submissions),
    )


def test_the_report_of_a_synthetic_cohort_is_unchanged(bank: Bank, tmp_path: Path) -> None:
    data = compile_report(synthetic_cohort(bank), now=NOW)
    tables = write_tables(data, tmp_path)
    (tmp_path / "report.html").write_text(render(data, [p.name for p in tables]), "utf-8")
    digests = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tmp_path.iterdir())
    }
    if os.environ.get("GRADER_REGENERATE_GOLDEN") == "1":
        print(f"report in {tmp_path}\nGOLDEN = {json.dumps(digests, indent=4)}")
    assert digests == GOLDEN, "the report changed: see the module's docstring"

"""The cohort report of a small hand-made cohort graded by the real nbgrader.

Every figure the report shows is worked out here again from the answers the learners
gave (scores by hand, statistics with Python's ``statistics`` module), not taken from
the code under test.
"""

from __future__ import annotations

import csv
import re
import statistics
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.build.assignments import build
from grader.cli.main import main
from grader.cohort.gradebook import default_db_url
from grader.cohort.roster import import_roster
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import SAMPLE_WRITTEN_ANSWER, submit

from ...conftest import new_course

pytestmark = pytest.mark.nbgrader

EXERCISE = "exercise-03-work-private"
ASSIGNMENT = f"{EXERCISE}-en"
MULTI = "work-private-street-app-blocked-school-gate-v2"  # 2 points; key: 1 of 5 options
CHOICE = "work-private-cringe-advert-friend-tag"  # 1 point
WRITTEN = "work-private-rewrite-late-night-fix-post-v2"  # 3 points, graded by hand
RIGHT = ["point-to-complaint-form"]
WRONG = [
    "blame-the-planners",
    "not-my-department",
    "share-driver-details",
    "explain-driver-shortage",
]
HOSTILE = '<script>alert("x")</script> & Eve'

# learner: (team, multi-select picks, choice, manual score of the written answer or None)
COHORT = {
    "ann": ("IT", RIGHT, "light-reply-feedback-at-work", 3.0),
    "ben": ("IT", RIGHT + WRONG[:2], "light-reply-feedback-at-work", 2.0),
    "cy": ("HR", RIGHT + WRONG[:3], "defend-it-at-length", 1.0),
    "dan": ("HR", RIGHT, "light-reply-feedback-at-work", 2.0),
    "eve": ("IT", WRONG[1:3], "light-reply-feedback-at-work", 0),
    "fay": ("HR", RIGHT + WRONG[2:], "mock-it-in-own-story", None),
}
# Worked out by hand with the scoring rule: the right pick earns 2, a wrong one costs 2/4.
EXPECTED = {  # multi-select, choice, written (None: pending)
    "ann": (2.0, 1.0, 3.0),
    "ben": (1.0, 1.0, 2.0),
    "cy": (0.5, 0.0, 1.0),
    "dan": (2.0, 1.0, 2.0),
    "eve": (0.0, 1.0, 0.0),
    "fay": (1.0, 0.0, None),
}
POINTS = (2.0, 1.0, 3.0)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def report(course: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--course", str(course), "cohort", "report", ASSIGNMENT, "--out", str(out)]) == 0
    return capsys.readouterr().out


def answers(learner: str) -> dict[str, object]:
    _, picks, choice, _ = COHORT[learner]
    return {MULTI: picks, CHOICE: choice, WRITTEN: SAMPLE_WRITTEN_ANSWER}


def rest_share(scores: tuple[float | None, ...], item: int) -> float:
    """The learner's share of the points on the other items graded so far."""
    others = [
        (s, p)
        for i, (s, p) in enumerate(zip(scores, POINTS, strict=True))
        if i != item and s is not None
    ]
    return sum(s for s, _ in others) / sum(p for _, p in others)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = new_course(tmp_path / "course")
    build(folder, [EXERCISE])
    roster = tmp_path / "roster.csv"
    lines = ["id,name,email,team"]
    lines += [f"{learner},{learner.title()} Test,,{team}" for learner, (team, *_) in COHORT.items()]
    lines += ["gus,Gus Test,,Sales"]
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    roster.write_text("\n".join(lines).replace("Eve Test", quoted))
    import_roster(default_db_url(folder), roster)
    return folder


def test_report_of_a_hand_made_cohort(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["--course", str(course), "cohort", "report"]
    assert main([*command, "exercise-99-nothing-en"]) == 2
    assert (
        "unknown assessment 'exercise-99-nothing-en': built are exercise-03-work-private (en, nl)"
        in capsys.readouterr().err
    )
    (tmp_path / "a-file").write_text("kept", encoding="utf-8")
    assert main([*command, ASSIGNMENT, "--out", str(tmp_path / "a-file")]) == 2
    assert "is a file; the report needs a folder" in capsys.readouterr().err
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "kept"

    out = tmp_path / "empty"
    printed = report(course, out, capsys)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "0 of 7 learners submitted" in printed and "0 of 7 learners submitted" in page
    assert "Item analysis needs at least 5 graded learners; this cohort has 0." in page
    assert "No submissions yet." in page

    for learner in ("ann", "ben"):  # a small cohort
        submit(course, ASSIGNMENT, learner, answers(learner))
    autograde_cohort(course, ASSIGNMENT, workers=2)
    out = tmp_path / "small"
    report(course, out, capsys)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Item analysis needs at least 5 graded learners; this cohort has 2." in page
    assert "needs at least 5 learners with every answer graded; 0 have every answer graded" in page
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)
    assert "2 await manual grading" in page

    for learner in COHORT:
        submit(course, ASSIGNMENT, learner, answers(learner))
    assert {o.status for o in autograde_cohort(course, ASSIGNMENT, workers=2)} <= {
        "graded",
        "unchanged",
    }
    with Gradebook(default_db_url(course)) as gradebook:  # the trainer grades in the formgrader
        for learner, (*_, manual) in COHORT.items():
            if manual is not None:
                grade = gradebook.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, learner)
                grade.manual_score, grade.needs_manual_grade = manual, False  # as formgrader
        gradebook.db.commit()
    submit(course, ASSIGNMENT, "hal", answers("ann"))  # handed in, not autograded yet

    out = tmp_path / "full"
    printed = report(course, out, capsys)
    written = {line.removeprefix("wrote ") for line in printed.splitlines() if line[:6] == "wrote "}
    names = ("report.html", "learners.csv", "items.csv", "guidelines.csv", "teams.csv")
    assert written == {str(out / name) for name in names}

    # learners: totals, percent and result
    learners = {row["learner_id"]: row for row in read(out / "learners.csv")}
    for learner, scores in EXPECTED.items():
        row = learners[learner]
        total = sum(s or 0.0 for s in scores)
        assert float(row["score"]) == pytest.approx(total, abs=1e-3), learner
        assert row["percent"] == f"{100 * total / 6:.1f}"
        result = (
            "awaiting manual grading"
            if None in scores
            else ("passed" if 100 * total / 6 >= 70 else "failed")
        )
        assert row["result"] == result, learner
    assert learners["fay"]["pending_manual"] == "1"
    assert learners["gus"]["result"] == "not submitted" and learners["gus"]["score"] == ""
    assert learners["hal"]["result"] == "submitted, not autograded yet"
    assert learners["eve"]["name"] == HOSTILE

    # items: facility and discrimination recomputed; fay's pending answer left out
    items = {row["item_id"]: row for row in read(out / "items.csv")}
    for index, item in enumerate((MULTI, CHOICE, WRITTEN)):
        graded = {k: v for k, v in EXPECTED.items() if v[index] is not None}
        scores = [v[index] for v in graded.values()]
        rest = [rest_share(v, index) for v in graded.values()]
        row = items[item]
        assert int(row["graded"]) == len(graded) and int(row["pending"]) == 6 - len(graded)
        facility = statistics.mean(scores) / POINTS[index]
        assert float(row["facility"]) == pytest.approx(facility, abs=1e-3), item
        discrimination = statistics.correlation(scores, rest)
        assert float(row["discrimination"]) == pytest.approx(discrimination, abs=1e-3), item
    assert items[CHOICE]["flags"] == ""  # facility 4/6, discrimination about 0.31
    complete = [v for v in EXPECTED.values() if None not in v]
    k = len(POINTS)
    alpha = (
        k
        / (k - 1)
        * (
            1
            - sum(statistics.variance([v[i] for v in complete]) for i in range(k))
            / statistics.variance([sum(v) for v in complete])
        )
    )

    # teams and guideline mastery: points earned on graded answers
    teams = {row["team"]: row for row in read(out / "teams.csv")}
    column = "g3_work-private_percent"
    assert teams["IT"][column] == f"{100 * (6 + 4 + 1) / 18:.1f}"
    hr = (sum(EXPECTED["cy"]) + sum(EXPECTED["dan"]) + 1.0) / (6 + 6 + 3)
    assert teams["HR"][column] == f"{100 * hr:.1f}" and teams["HR"]["learners"] == "3"
    (guideline,) = read(out / "guidelines.csv")
    cohort = (11 + sum(EXPECTED["cy"]) + 5 + 1) / (5 * 6 + 3)
    assert guideline["mastery_percent"] == f"{100 * cohort:.1f}"

    page = (out / "report.html").read_text(encoding="utf-8")
    summary = (
        "7 of 8 learners submitted; 2 passed (33% of the 6 autograded); 1 awaits manual "
        "grading; 1 not autograded yet; weakest guideline: 3. Work and private "
        f"life blur ({100 * cohort:.0f}%)."
    )
    assert summary in page and summary in printed
    assert "Meridian Group: cohort report" in page
    assert f"Cronbach&rsquo;s alpha: <strong>{alpha:.2f}</strong> over 5 learners" in page
    assert "Fay Test (1)" in page  # written answers to grade, per learner
    assert (
        HOSTILE not in page
        and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Eve" in page
    )
    assert "<svg" in page and "pass mark 70%" in page
    assert not re.search(r"<script|<link|<img|<iframe|https?:|url\(|@import|src=|href=", page)

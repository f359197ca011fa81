"""One cohort, two languages: the certification exam taken in English and in Dutch, graded
by the real nbgrader through ``grader cohort autograde certification-exam``, exported,
reported and certified as one cohort.

ada answers in English, bea in Dutch; cas first in English (all wrong), a day later in
Dutch (all right): her latest submission counts, once. dan is on the roster and submits
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.certificates.register import Register
from grader.certificates.signing import unverified_payload
from grader.cli.main import main
from grader.cohort.gradebook import default_db_url
from grader.cohort.roster import import_roster
from grader.course.content import load_course
from grader.course.items import Bank
from grader.course.settings import SIGNING_KEY_ENV
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT

pytestmark = pytest.mark.nbgrader

EN, NL = f"{ASSESSMENT}-en", f"{ASSESSMENT}-nl"
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
TUESDAY = MONDAY + dt.timedelta(days=1)
ROSTER = (
    "id,name,email,team\n"
    "ada,Ada Lovelace,ada@example.com,IT\n"
    "bea,Bea de Boer,bea@example.com,Sales\n"
    "cas,Cas de Wit,cas@example.com,HR\n"
    "dan,Dan Smit,dan@example.com,HR\n"
)


def read(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return {row["learner_id"]: row for row in csv.DictReader(stream)}


def run(course: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["--course", str(course), *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def grade_written_answers(course: Path, bank: Bank, taken: list[tuple[str, str]]) -> None:
    """Full points for every written answer, as a trainer saves them in the formgrader."""
    with Gradebook(default_db_url(course)) as gradebook:
        for learner, assignment in taken:
            for item in bank.items_of(ASSESSMENT):
                if item.kind == "free-text":
                    grade = gradebook.find_grade(item.id, assignment, assignment, learner)
                    grade.manual_score, grade.needs_manual_grade = item.points, False
        gradebook.db.commit()


def test_export_report_and_certify_one_cohort_over_both_languages(
    built_course: Path, bank: Bank, tmp_path: Path, monkeypatch, capsys
) -> None:
    course = built_course
    monkeypatch.setenv(SIGNING_KEY_ENV, str(tmp_path / "keys" / "signing-key.pem"))
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    import_roster(default_db_url(course), tmp_path / "roster.csv")
    items = bank.items_of(ASSESSMENT)
    dutch = load_course(course, "nl").bank.items_of(ASSESSMENT)
    assert [i.id for i in dutch] == [i.id for i in items]  # graded on the same item ids
    submit(course, EN, "ada", all_right(items), timestamp=MONDAY)
    submit(course, NL, "bea", all_right(dutch), timestamp=MONDAY)
    submit(course, EN, "cas", all_wrong(items), timestamp=MONDAY)
    submit(course, NL, "cas", all_right(dutch), timestamp=TUESDAY)

    status, out = run(course, capsys, "cohort", "autograde", ASSESSMENT, "--workers", "2")
    assert status == 0, out
    assert f"{EN}: 2 graded, 0 unchanged, 0 failed" in out
    assert f"{NL}: 2 graded, 0 unchanged, 0 failed" in out
    grade_written_answers(course, bank, [("ada", EN), ("bea", NL), ("cas", NL), ("cas", EN)])
    maximum = sum(item.points for item in items)

    # export: one row per learner, the language that counts, the other submission named
    grades = tmp_path / "grades.csv"
    status, out = run(course, capsys, "cohort", "export", ASSESSMENT, "--out", str(grades))
    assert status == 0, out
    assert f"wrote {grades}: 3 learners (English 1, Nederlands 2), 0 with written" in out
    assert (
        "  cas: the nl submission of 2026-11-03 09:00:00 counts; also submitted en "
        "2026-11-02 09:00:00 (not counted)" in out
    )
    rows = read(grades)
    assert sorted(rows) == ["ada", "bea", "cas"]
    assert {k: r["language"] for k, r in rows.items()} == {"ada": "en", "bea": "nl", "cas": "nl"}
    assert rows["cas"]["also_submitted"] == "en 2026-11-02 09:00:00"
    assert rows["ada"]["also_submitted"] == rows["bea"]["also_submitted"] == ""
    for row in rows.values():  # each learner's one submission, never the two added up
        assert float(row["score"]) == float(row["max_score"]) == maximum
        assert row["passed"] == "yes"
    assert rows["cas"]["submitted_at"] == "2026-11-03 09:00:00"
    one_language = tmp_path / "english.csv"
    run(course, capsys, "cohort", "export", EN, "--out", str(one_language))
    english = read(one_language)
    assert {k: r["language"] for k, r in english.items()} == {"ada": "en", "cas": "en"}
    assert english["cas"]["passed"] == "no" and english["cas"]["also_submitted"] == ""

    # report: not submitted only for dan; items graded across both languages
    folder = tmp_path / "report"
    status, out = run(course, capsys, "cohort", "report", ASSESSMENT, "--out", str(folder))
    assert status == 0, out
    summary = (
        "3 of 4 learners submitted; graded per language: English 1, Nederlands 2; 1 "
        "submitted in more than one language (the latest counts); 3 passed (100%)"
    )
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert summary in out and summary in page
    assert f"<code>{EN}</code> and <code>{NL}</code>" in page
    assert "also submitted en 2026-11-02 09:00:00 (not counted)" in page
    learners = read(folder / "learners.csv")
    assert {k: r["result"] for k, r in learners.items()} == {
        "ada": "passed",
        "bea": "passed",
        "cas": "passed",
        "dan": "not submitted",
    }
    assert [learners[k]["language"] for k in ("ada", "bea", "cas", "dan")] == ["en", "nl", "nl", ""]
    assert learners["cas"]["also_submitted"] == "en 2026-11-02 09:00:00"
    with (folder / "items.csv").open(newline="", encoding="utf-8") as stream:
        by_item = {row["item_id"]: row for row in csv.DictReader(stream)}
    assert list(by_item) == [item.id for item in items]
    assert {row["graded"] for row in by_item.values()} == {"3"}
    status, out = run(course, capsys, "cohort", "report", NL, "--out", str(tmp_path / "nl"))
    dutch_only = read(tmp_path / "nl" / "learners.csv")
    assert dutch_only["ada"]["result"] == "not submitted"  # one version alone, as before

    # certify: each learner on the submission that counts, in its language
    status, out = run(course, capsys, "certify", ASSESSMENT)
    assert status == 0, out
    assert f"{ASSESSMENT}: 3 certificates issued, 0 issued before, 0 learners did not" in out
    assert "  judged per language: English 1, Nederlands 2" in out
    with Register(default_db_url(course)) as register:
        certificates = {c.learner: c for c in register.certificates()}
    assert {k: c.assignment for k, c in certificates.items()} == {"ada": EN, "bea": NL, "cas": NL}
    assert certificates["cas"].submitted_at == "2026-11-03 09:00:00"
    claims = unverified_payload(certificates["bea"].certificate_jws)
    assert claims["language"] == "nl"
    pdf = course / "certificates" / "bea" / f"{certificates['bea'].id}.pdf"
    assert run(course, capsys, "verify", str(pdf))[0] == 0
    status, out = run(course, capsys, "certify", NL)  # the same submissions: nothing twice
    assert "0 certificates issued, 2 issued before" in out
    status, out = run(course, capsys, "certify", ASSESSMENT)
    assert "0 certificates issued, 3 issued before" in out


def fingerprint(course: Path) -> dict[str, str]:
    """Every file of the course folder and a digest of its content."""
    return {
        str(path.relative_to(course)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(course.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    "command",
    [
        ["cohort", "export", "certification"],
        ["cohort", "report", "certification-exam-de"],
        ["cohort", "autograde", "exam"],
        ["cohort", "feedback", "exam"],
        ["cohort", "deadline", "exam", "2027-01-31T17:00+01:00"],
        ["cohort", "release-zip", "exam"],
        ["cohort", "collect", "exam"],
        ["certify", "certification"],
    ],
    ids=lambda command: "-".join(command[:2]),
)
def test_an_assessment_nobody_built_is_refused_and_nothing_changes(
    built_course: Path, tmp_path: Path, monkeypatch, capsys, command: list[str]
) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, str(tmp_path / "keys" / "signing-key.pem"))
    monkeypatch.chdir(tmp_path)
    before = fingerprint(built_course)
    status, out = run(built_course, capsys, *command)
    assert status == 2
    name = command[1] if command[0] == "certify" else command[2]
    assert f"grader: unknown assessment {name!r}: built are " in out
    assert "certification-exam (en, nl)" in out
    assert fingerprint(built_course) == before
    assert list(tmp_path.iterdir()) == [built_course]  # no file written beside it


def test_deadline_of_an_assessment_sets_every_language_and_ingest_needs_one(
    built_course: Path, tmp_path: Path, capsys
) -> None:
    status, out = run(built_course, capsys, "cohort", "deadline", ASSESSMENT, "2027-01-31T17:00Z")
    assert status == 0
    assert f"{EN} is due 2027-01-31 17:00 UTC" in out and f"{NL} is due 2027-01-31 17:00 UTC" in out
    status, out = run(built_course, capsys, "cohort", "deadline", NL, "--clear")
    assert out.startswith(f"{NL} has no due date")
    assert f"{EN} is due" in run(built_course, capsys, "cohort", "deadline", EN)[1]

    (tmp_path / "download").mkdir()
    status, out = run(
        built_course, capsys, "cohort", "ingest", ASSESSMENT, str(tmp_path / "download")
    )
    assert status == 2
    assert f"give one of {EN}, {NL}" in out and not (built_course / "submitted").exists()

    status, out = run(
        built_course, capsys, "cohort", "release-zip", ASSESSMENT, "--out", str(tmp_path / "e.zip")
    )
    assert status == 0
    assert sorted(p.name for p in tmp_path.glob("*.zip")) == ["e-en.zip", "e-nl.zip"]

"""Release as a zip for an LMS, and ingest what an LMS download holds."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from grader.cli.main import main
from grader.cohort.gradebook import default_db_url, item_scores
from grader.cohort.roster import import_roster
from grader.course.items import Bank
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader


def test_release_zip_holds_the_learner_version(built_course: Path, tmp_path: Path) -> None:
    out = tmp_path / "exam.zip"
    assert (
        main(
            ["--course", str(built_course), "cohort", "release-zip", ASSIGNMENT, "--out", str(out)]
        )
        == 0
    )
    names = zipfile.ZipFile(out).namelist()
    assert sorted(names) == [
        f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        f"{ASSIGNMENT}/{ASSIGNMENT}.questions.json",
    ]
    notebook = zipfile.ZipFile(out).read(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb").decode()
    assert "BEGIN HIDDEN TESTS" not in notebook and "check_answer" not in notebook


def test_ingest_files_matched_submissions_and_reports_the_rest(
    built_course: Path, tmp_path: Path, bank: Bank, capsys
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email\nanna,Anna,a@example.com\nbram,Bram,b@example.com\n"
        "chloe,Chloe,c@example.com\ndaan,Daan,d@example.com\n"
    )
    import_roster(default_db_url(built_course), roster)
    released = built_course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = released.read_bytes()
    answers = json.dumps({"version": 1, "answers": all_right(bank.items_of(ASSESSMENT))})
    download = tmp_path / "download.zip"
    with zipfile.ZipFile(download, "w") as archive:
        archive.writestr(f"anna/{ASSIGNMENT}.ipynb", notebook)  # a folder per learner
        archive.writestr(f"anna/{ASSIGNMENT}.answers.json", answers)
        archive.writestr(f"bram_{ASSIGNMENT}.ipynb", notebook)  # learner id in front
        archive.writestr("Chloe Martin_4711_file/exam.ipynb", notebook)  # needs the mapping
        archive.writestr(f"stranger/{ASSIGNMENT}.ipynb", notebook)  # nobody we know
        archive.writestr("daan/one.ipynb", notebook)  # two notebooks: not filed
        archive.writestr("daan/two.ipynb", notebook)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("key,learner_id\nChloe Martin_4711_file,chloe\n")

    code = main(
        [
            "--course",
            str(built_course),
            "cohort",
            "ingest",
            ASSIGNMENT,
            str(download),
            "--mapping",
            str(mapping),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1, "unmatched files make the command fail so that they are noticed"
    assert "3 submissions filed" in out
    assert "unmatched: 'stranger'" in out
    assert "not filed: daan: expected one notebook" in out
    submitted = built_course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["anna", "bram", "chloe"]
    assert (submitted / "anna" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json").exists()
    assert (submitted / "chloe" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == notebook

    autograde_cohort(built_course, ASSIGNMENT, workers=2)
    scores = item_scores(default_db_url(built_course), ASSIGNMENT)
    auto = [item for item in bank.items_of(ASSESSMENT) if item.kind != "free-text"]
    assert all(scores["anna"][item.id] == item.points for item in auto)
    assert all(scores["bram"][item.id] == 0.0 for item in auto), "no answers file: zero"

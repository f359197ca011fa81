"""Bad input from an LMS download, a mapping file or a roster gets a clear answer, nothing
outside a learner's own folder is touched, and no cell a learner wrote runs as a formula
in HR's spreadsheet."""

from __future__ import annotations

import csv
import json
import os
import zipfile
from pathlib import Path

import pytest

from grader.cli.main import main
from grader.cohort.export import cohort_rows, write_csv
from grader.cohort.gradebook import default_db_url, item_scores
from grader.cohort.lms import IngestError, ingest
from grader.cohort.roster import import_roster
from grader.cohort.spreadsheet import safe_cell
from grader.course.items import Bank
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]


def roster(tmp_path: Path, course: Path, rows: str | list[list[str]]) -> None:
    path = tmp_path / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        stream.write("id,name,email,team\n")
        if isinstance(rows, str):
            stream.write(rows)
        else:
            csv.writer(stream).writerows(rows)
    import_roster(default_db_url(course), path)


def download(tmp_path: Path, course: Path, answers: dict, name: str = "anna") -> Path:
    notebook = (course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    archive_path = tmp_path / "download.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo(f"{name}/{ASSIGNMENT}.ipynb", (2026, 1, 5, 9, 0, 0)), notebook
        )
        info = zipfile.ZipInfo(f"{name}/{ASSIGNMENT}.answers.json", (2026, 1, 5, 9, 0, 0))
        archive.writestr(info, json.dumps({"version": 1, "answers": answers}))
    return archive_path


def test_a_mapping_row_naming_a_folder_outside_submitted_is_refused(
    built_course: Path, tmp_path: Path, bank: Bank
) -> None:
    """The row ``anna,../exercises`` used to delete the released assignment."""
    archive = download(tmp_path, built_course, all_right(bank.items_of(ASSESSMENT)))
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("key,learner_id\nanna,../exercises\n")
    with pytest.raises(IngestError, match=r"line 2: learner id '\.\./exercises' is not a valid"):
        ingest(built_course, ASSIGNMENT, archive, mapping)
    assert (built_course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key,learner_id\nanna\n", "line 2: needs both a key and a learner_id"),
        ("key\nanna\n", "needs the columns key and learner_id"),
        ("key,learner_id\n\xff\xfe", "cannot be read"),
    ],
)
def test_a_malformed_mapping_names_the_line(
    built_course: Path, tmp_path: Path, bank: Bank, text: str, message: str
) -> None:
    archive = download(tmp_path, built_course, {})
    mapping = tmp_path / "mapping.csv"
    mapping.write_bytes(text.encode("latin-1"))
    with pytest.raises(IngestError, match=message):
        ingest(built_course, ASSIGNMENT, archive, mapping)


def test_a_malformed_zip_gets_a_clear_error(
    built_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    broken = tmp_path / "download.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip file")
    status = main(["--course", str(built_course), "cohort", "ingest", ASSIGNMENT, str(broken)])
    assert status == 2
    assert "not a readable folder or zip file" in capsys.readouterr().err


def test_links_and_fifos_in_an_lms_folder_are_never_followed(
    built_course: Path, tmp_path: Path, bank: Bank
) -> None:
    roster(tmp_path, built_course, "anna,Anna,a@example.org,\nbram,Bram,b@example.org,\n")
    items = bank.items_of(ASSESSMENT)
    folder = tmp_path / "download"
    (folder / "anna").mkdir(parents=True)
    (folder / "bram").mkdir()
    released = built_course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    (folder / "anna" / released.name).write_bytes(released.read_bytes())
    (folder / "anna" / f"{ASSIGNMENT}.answers.json").write_text(
        json.dumps({"version": 1, "answers": all_right(items)})
    )
    (folder / "bram" / released.name).write_bytes(released.read_bytes())
    (folder / "bram" / f"{ASSIGNMENT}.answers.json").symlink_to(
        folder / "anna" / f"{ASSIGNMENT}.answers.json"
    )
    os.mkfifo(folder / "bram" / "pipe.ipynb")
    result = ingest(built_course, ASSIGNMENT, folder)
    assert sorted(result.filed) == ["anna", "bram"]
    filed = built_course / "submitted" / "bram" / ASSIGNMENT
    assert not (filed / f"{ASSIGNMENT}.answers.json").exists()


@pytest.mark.nbgrader
def test_a_corrected_download_with_the_same_dates_is_graded_again(
    built_course: Path, tmp_path: Path, bank: Bank
) -> None:
    """The LMS's corrected zip carries the same file dates as the first one."""
    roster(tmp_path, built_course, "anna,Anna,a@example.org,\n")
    items = bank.items_of(ASSESSMENT)
    ingest(built_course, ASSIGNMENT, download(tmp_path, built_course, all_wrong(items)))
    autograde_cohort(built_course, ASSIGNMENT)
    first = item_scores(default_db_url(built_course), ASSIGNMENT)["anna"]
    again = ingest(built_course, ASSIGNMENT, download(tmp_path, built_course, all_wrong(items)))
    assert again.unchanged == ["anna"] and not again.filed
    ingest(built_course, ASSIGNMENT, download(tmp_path, built_course, all_right(items)))
    (outcome,) = autograde_cohort(built_course, ASSIGNMENT)
    assert outcome.status == "graded"
    second = item_scores(default_db_url(built_course), ASSIGNMENT)["anna"]
    assert sum(v or 0 for v in second.values()) > sum(v or 0 for v in first.values())


def test_a_roster_id_that_is_no_plain_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email\n..,Dot Dot,d@example.org\n.hidden,H,h@example.org\n")
    result = import_roster(default_db_url(tmp_path), path)
    assert [p.line for p in result.problems] == [2, 3]
    assert "'..' is not a valid learner id" in str(result.problems[0])
    assert result.created == []


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_a_spreadsheet_would_run_starts_with_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Anna", "-1.5", "3", 2.0, "", "a=b"])
def test_other_cells_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


@pytest.mark.nbgrader
def test_names_emails_and_teams_reach_grades_csv_and_the_report_as_text(
    built_course: Path, tmp_path: Path, bank: Bank
) -> None:
    rows = [[f"learner{n}", text, f"x{n}@example.org", text] for n, text in enumerate(FORMULAS)]
    roster(tmp_path, built_course, rows)
    items = bank.items_of(ASSESSMENT)
    for n in range(len(FORMULAS)):
        submit(built_course, ASSIGNMENT, f"learner{n}", all_right(items))
    autograde_cohort(built_course, ASSIGNMENT)
    out = tmp_path / "grades.csv"
    write_csv(cohort_rows(built_course, ASSIGNMENT), out)
    assert (
        main(
            [
                "--course",
                str(built_course),
                "cohort",
                "report",
                ASSIGNMENT,
                "--out",
                str(tmp_path / "r"),
            ]
        )
        == 0
    )
    for path in [out, tmp_path / "r" / "learners.csv", tmp_path / "r" / "teams.csv"]:
        with path.open(newline="", encoding="utf-8") as stream:
            cells = [cell for row in csv.reader(stream) for cell in row]
        dangerous = [c for c in cells if c and (c[0] in "=+@" or (c[0] == "-" and not _number(c)))]
        assert not dangerous, (path.name, dangerous)
        assert any(cell == "'" + FORMULAS[0] for cell in cells), path.name


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

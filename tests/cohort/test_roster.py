"""Roster import into nbgrader's gradebook: bad rows named by line, nothing duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.cli.main import main
from grader.cohort import roster
from grader.cohort.gradebook import default_db_url
from grader.cohort.roster import RosterError, import_roster, learner_teams, read_roster

ROSTER = """id,name,email,team
anna,Anna de Vries,anna@example.com,Sales
,No Id,noid@example.com,Sales
bram,Bram Jansen,bram@example.com,HR
anna,Anna Again,anna2@example.com,Sales
chloe,Chloé Martin,not-an-email,IT
daan,Daan Bakker,,Customer service
"""


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def students(db_url: str) -> dict[str, tuple]:
    with Gradebook(db_url) as gradebook:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gradebook.students}


def test_bad_rows_are_reported_by_line_and_good_rows_imported(tmp_path: Path) -> None:
    db_url = default_db_url(tmp_path)
    result = import_roster(db_url, write(tmp_path, ROSTER))
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "the id is missing"),
        (5, "the id 'anna' is already used on line 2"),
        (6, "the email address 'not-an-email' is not valid"),
    ]
    assert result.created == ["anna", "bram", "daan"]
    assert students(db_url) == {
        "anna": ("Anna", "de Vries", "anna@example.com"),
        "bram": ("Bram", "Jansen", "bram@example.com"),
        "daan": ("Daan", "Bakker", None),
    }
    assert learner_teams(db_url) == {"anna": "Sales", "bram": "HR", "daan": "Customer service"}


def test_existing_learners_are_updated_not_duplicated(tmp_path: Path) -> None:
    db_url = default_db_url(tmp_path)
    import_roster(db_url, write(tmp_path, ROSTER))
    changed = "id,name,email,department\nanna,Anna de Vries,anna@new.example.com,Marketing\n"
    result = import_roster(db_url, write(tmp_path, changed, "again.csv"))
    assert (result.created, result.updated) == ([], ["anna"])
    assert students(db_url)["anna"] == ("Anna", "de Vries", "anna@new.example.com")
    assert len(students(db_url)) == 3
    assert learner_teams(db_url)["anna"] == "Marketing"


def test_a_roster_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="lacks the column"):
        import_roster(default_db_url(tmp_path), write(tmp_path, "name,email\nAnna,a@b.nl\n"))


def test_the_command_reports_what_it_did(built_course: Path, capsys) -> None:
    roster = write(built_course, ROSTER)
    code = main(["--course", str(built_course), "cohort", "roster", str(roster)])
    out = capsys.readouterr().out
    assert code == 1, "skipped rows make the command fail so that scripts notice"
    assert "3 learners added, 0 updated" in out
    assert "line 6: the email address 'not-an-email' is not valid" in out


CHANGED = """id,name,email,team
anna,Anna,,Marketing
bram,Bram Jansen,bram@example.com,
emma,Emma van Dijk,emma@example.com,IT
"""


def test_a_second_import_stores_what_nbgraders_own_update_would(tmp_path: Path) -> None:
    """Bulk import, row for row the same as ``Gradebook.update_or_create_student``: a
    changed name and email (an empty one cleared), a team kept when the new row has none."""
    db_url = default_db_url(tmp_path)
    import_roster(db_url, write(tmp_path, ROSTER))
    changed = write(tmp_path, CHANGED, "changed.csv")
    result = import_roster(db_url, changed)
    assert (result.created, result.updated) == (["emma"], ["anna", "bram"])
    (tmp_path / "nbgrader").mkdir()
    expected_url = default_db_url(tmp_path / "nbgrader")
    with Gradebook(expected_url) as gradebook:
        for path in (tmp_path / "roster.csv", changed):
            for learner in read_roster(path)[0]:
                first, _, last = learner.name.partition(" ")
                gradebook.update_or_create_student(
                    learner.id,
                    first_name=first or None,
                    last_name=last or None,
                    email=learner.email or None,
                )
    assert students(db_url) == students(expected_url)
    assert students(db_url)["anna"] == ("Anna", None, None)
    assert learner_teams(db_url) == {
        "anna": "Marketing",
        "bram": "HR",
        "daan": "Customer service",
        "emma": "IT",
    }


def test_an_import_that_fails_midway_leaves_the_gradebook_as_it_was(
    tmp_path: Path, monkeypatch
) -> None:
    db_url = default_db_url(tmp_path)
    import_roster(db_url, write(tmp_path, ROSTER))
    before = students(db_url), learner_teams(db_url)
    stored, store = [], roster._store

    def store_then_fail(db, columns, rows, known):
        if stored:  # the students are written; the teams' turn fails
            raise RuntimeError("the disk is full")
        stored.append(len(rows))
        store(db, columns, rows, known)

    monkeypatch.setattr(roster, "_store", store_then_fail)
    with pytest.raises(RuntimeError, match="disk is full"):
        import_roster(db_url, write(tmp_path, CHANGED, "changed.csv"))
    assert stored, "the students were written before the failure"
    assert (students(db_url), learner_teams(db_url)) == before


def test_a_field_too_long_for_the_gradebook_is_a_row_problem_not_a_failed_import(
    tmp_path: Path,
) -> None:
    """PostgreSQL refuses a value longer than its column: one such row must not make the
    whole import fail."""
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,email,team\nann,Ann,ann@example.com,IT\n"
        f"bob,{'B' * 129},bob@example.com,IT\ncas,Cas,cas@example.com,{'T' * 257}\n"
    )
    result = import_roster(f"sqlite:///{tmp_path / 'gradebook.db'}", roster)
    assert result.created == ["ann"]
    assert [str(p) for p in result.problems] == [
        "line 3: the name is longer than 128 characters",
        "line 4: the team is longer than 256 characters",
    ]

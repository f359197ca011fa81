"""The certificate register: append-only, status from events, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from grader.certificates.register import (
    AlreadyIssued,
    Certificate,
    Register,
    RegisterError,
    certificates_table,
    events_table,
    new_code,
    normal_code,
    show_code,
    write_register_csv,
)
from grader.certificates.renewal import due

from ..cohort.test_postgres import postgres_url  # noqa: F401  (a fresh database on the server)

NOW = dt.datetime(2026, 5, 4, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gradebook.db'}"
    return request.getfixturevalue("postgres_url")


def certificate(learner: str, submitted: str, issued: dt.datetime, months: int = 12) -> Certificate:
    return Certificate(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{learner}/{submitted}")),
        code=new_code(),
        learner=learner,
        name=learner.title(),
        email=f"{learner}@example.com",
        assignment="certification-exam-en",
        submitted_at=submitted,
        issued_at=issued.isoformat(),
        expires_on=issued.date() + dt.timedelta(days=30 * months),
        badge_jws="h.p.s",
        certificate_jws="h.p.s",
    )


def test_status_comes_from_events_and_nothing_is_rewritten(db_url: str, tmp_path: Path) -> None:
    first = certificate("ada", "2026-05-01 09:00:00", NOW)
    with Register(db_url) as register:
        register.issue(first, supersedes=[])
        with pytest.raises(AlreadyIssued):  # the same submission again
            register.issue(dataclasses.replace(first, id="other", code=new_code()), supersedes=[])
        second = certificate("ada", "2026-06-01 09:00:00", NOW + dt.timedelta(days=31))
        register.issue(second, supersedes=[first.id])
        old, new = register.certificates("ada")
        assert (old.status, old.reason, new.status) == ("superseded", second.id, "issued")
        assert register.current()["ada"].id == second.id
        register.revoke(new.id, "left the company", NOW)
        assert register.get(new.id).status == "revoked"
        assert register.by_code(show_code(new.code).lower()).reason == "left the company"
        with pytest.raises(RegisterError, match="revoked already"):
            register.revoke(new.id, "again", NOW)
        with pytest.raises(RegisterError, match="no certificate 'nope'"):
            register.revoke("nope", "why", NOW)
        with pytest.raises(RegisterError, match="give a reason"):
            register.revoke(first.id, "  ", NOW)
        assert [e[1] for e in register.events()] == ["issued", "issued", "superseded", "revoked"]
        out = tmp_path / "register.csv"
        assert write_register_csv(register, out, NOW.date()) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["learner_id"], r["status"], r["reason"]) for r in rows] == [
        ("ada", "superseded", second.id),
        ("ada", "revoked", "left the company"),
    ]
    engine = create_engine(db_url)  # two rows, four events: appended, never changed
    with engine.connect() as connection:
        assert (
            connection.execute(select(func.count()).select_from(certificates_table)).scalar() == 2
        )
        assert connection.execute(select(func.count()).select_from(events_table)).scalar() == 4
    engine.dispose()


def test_renewal_list_uses_each_learners_current_certificate(db_url: str) -> None:
    with Register(db_url) as register:
        register.issue(certificate("ada", "1", NOW, months=1), supersedes=[])
        register.issue(certificate("bo", "1", NOW, months=3), supersedes=[])
        register.issue(certificate("cas", "1", NOW, months=12), supersedes=[])
    rows = due(db_url, within_days=40, today=NOW.date() + dt.timedelta(days=60))
    assert [(r.learner, r.status, r.days_left) for r in rows] == [
        ("ada", "expired", -30),
        ("bo", "expires soon", 30),
    ]


def test_codes_are_unambiguous_and_forgiving_to_type() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 12 for c in codes)
    assert not set("".join(codes)) & set("01IOL")
    code = next(iter(codes))
    assert normal_code(f" {show_code(code).lower()} ") == code
    assert normal_code(show_code(code).replace("-", " ")) == code
    assert normal_code("ABCD-EFGH-JKM") is None and normal_code("ABCD-EFGH-JKM0") is None


def test_a_name_a_spreadsheet_would_run_is_written_as_text(tmp_path: Path) -> None:
    """CSV injection: a learner named ``=HYPERLINK(…)`` in the register HR opens."""
    from grader.certificates.register import write_table

    out = tmp_path / "register.csv"
    write_table(out, ["learner_id", "name"], [["ada", '=HYPERLINK("http://evil.example")']])
    assert (
        out.read_text(encoding="utf-8").splitlines()[1]
        == 'ada,"\'=HYPERLINK(""http://evil.example"")"'
    )

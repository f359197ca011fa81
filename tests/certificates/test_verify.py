"""``grader verify`` of a code or id: the register's own account, to compare a copy with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from grader.certificates.certify import issue_certificates
from grader.certificates.register import show_code
from grader.certificates.verify import verify
from grader.cli.main import main

from .conftest import LEARNERS, Issued, issue, passing_row


def run(course: Path, *args: str) -> int:
    return main(["--course", str(course), *args])


def test_verify_by_code_prints_the_registers_name_course_and_dates(issued: Issued, capsys) -> None:
    """A visual forgery (another name drawn over, a QR swapped) is exposed by comparing."""
    ada = issued.certificates["ada"]
    for subject in (show_code(ada.code), ada.id):
        capsys.readouterr()
        assert run(issued.course, "verify", subject) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines == [
            f"VALID: valid until {ada.expires_on.isoformat()}",
            f"  Ada Lovelace (ada), issued {ada.issued_at[:10]}, "
            f"valid until {ada.expires_on.isoformat()}",
            "  course: Social media guidelines",
            f"  certificate {ada.id}, code {show_code(ada.code)}",
            "  these are the register's own name, course and dates: a certificate shown with "
            "this code or id that shows anything else is not genuine",
        ]


def test_a_superseded_certificate_says_so_and_names_the_newer_one(
    issuing_course: Path, capsys
) -> None:
    first = issue(issuing_course, LEARNERS[:1]).certificates["ada"]
    later = passing_row(*LEARNERS[0], submitted="2026-11-20 09:00")
    (newer,) = issue_certificates(issuing_course, "certification-exam-en", [later]).issued
    capsys.readouterr()
    assert run(issuing_course, "verify", show_code(first.code)) == 0  # valid until it runs out
    out = capsys.readouterr().out
    assert out.startswith(
        f"VALID: valid until {first.expires_on.isoformat()}, but superseded by a newer "
        f"certificate\n"
    )
    assert (
        f"  superseded on {newer.issued_at[:10]} by the newer certificate {newer.id} "
        f"(code {show_code(newer.code)}), valid until {newer.expires_on.isoformat()}\n" in out
    )
    after = first.expires_on + dt.timedelta(days=1)
    expired = verify(issuing_course, first.id, today=after)
    assert expired.status == "expired"
    assert any(d.startswith("superseded on ") for d in expired.details)
    assert verify(issuing_course, newer.id).headline == (
        f"valid until {newer.expires_on.isoformat()}"
    )

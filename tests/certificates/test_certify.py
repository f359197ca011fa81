"""Certification end to end: a cohort graded by nbgrader, certificates issued, checked, forged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from pypdf import PdfReader, PdfWriter

from grader.certificates import signing
from grader.certificates.certify import certificate_files, certify
from grader.certificates.register import Register, show_code
from grader.certificates.renewal import due
from grader.certificates.verify import verify
from grader.cli.main import main
from grader.cohort.gradebook import default_db_url
from grader.cohort.roster import import_roster
from grader.course.items import Bank
from grader.course.settings import SIGNING_KEY_ENV
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader

ROSTER = (
    "id,name,email,team\n"
    "ada,Ada Lovelace,ada@example.com,IT\n"
    "bob,Bob Jansen,bob@example.com,Sales\n"
    "cas,Cas de Wit,cas@example.com,HR\n"
    "dee,Dee Bakker,dee@example.com,IT\n"
)
OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def grade_written_answers(course: Path, learners: list[str], bank: Bank) -> None:
    """The trainer gives full points for the written answers, as in the formgrader (which
    also clears the grade's flag for review when it saves a score)."""
    with Gradebook(default_db_url(course)) as gradebook:
        for learner in learners:
            for item in bank.items_of(ASSESSMENT):
                if item.kind == "free-text":
                    grade = gradebook.find_grade(item.id, ASSIGNMENT, ASSIGNMENT, learner)
                    grade.manual_score = item.points
                    grade.needs_manual_grade = False
        gradebook.db.commit()


@pytest.fixture(scope="module")
def graded_template(built_course_template: Path, tmp_path_factory, bank: Bank) -> Path:
    """A cohort graded by nbgrader: ada passes, bob fails overall, cas fails guideline 2,
    dee waits for a trainer, eve passes but is not on the roster."""
    course = tmp_path_factory.mktemp("certify") / "course"
    shutil.copytree(built_course_template, course)
    (course / "roster.csv").write_text(ROSTER)
    import_roster(default_db_url(course), course / "roster.csv")
    items = bank.items_of(ASSESSMENT)
    right, wrong = all_right(items), all_wrong(items)
    black_period_wrong = {
        **right,
        **{i.id: wrong[i.id] for i in items if i.guideline == "black-period"},
    }
    when = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    for learner, answers in [
        ("ada", right),
        ("bob", wrong),
        ("cas", black_period_wrong),
        ("dee", right),
        ("eve", right),
    ]:
        submit(course, ASSIGNMENT, learner, answers, timestamp=when)
    outcomes = autograde_cohort(course, ASSIGNMENT, workers=2)
    assert [o.status for o in outcomes] == ["graded"] * 5
    grade_written_answers(course, ["ada", "cas", "eve"], bank)
    return course


@pytest.fixture(scope="module")
def signing_key_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "grader" / "signing-key.pem"
    signing.create_key(path)
    return path


@pytest.fixture
def course(graded_template: Path, tmp_path: Path, signing_key_file: Path, monkeypatch) -> Path:
    """A fresh copy of the graded cohort, signed with the test key."""
    folder = tmp_path / "course"
    shutil.copytree(graded_template, folder)
    monkeypatch.setenv(SIGNING_KEY_ENV, str(signing_key_file))
    monkeypatch.chdir(tmp_path)
    return folder


def run(course: Path, *args: str) -> int:
    return main(["--course", str(course), *args])


def ada_files(course: Path) -> dict[str, Path]:
    with Register(default_db_url(course)) as register:
        (certificate,) = register.certificates("ada")
    return certificate_files(certificate, course / "certificates")


def test_certify_issues_once_and_says_why_others_did_not_pass(course: Path, capsys) -> None:
    assert run(course, "certify", ASSIGNMENT) == 1  # eve passed but cannot be certified
    out = capsys.readouterr().out
    assert f"{ASSIGNMENT}: 1 certificate issued, 0 issued before, 3 learners did not pass" in out
    assert "issued: ada (Ada Lovelace), valid until 2027-" in out
    assert "not passed: bob: overall 0% is below the pass mark of 70%; guideline 1 " in out
    assert (
        "not passed: cas: guideline 2 During a black period, stay vague 0% is below the "
        "minimum of 50%\n" in out
    )
    assert "not passed: dee: overall 88% is below the pass mark of 70%" not in out
    assert "not passed: dee: 2 written answers not graded yet\n" in out
    assert "not issued: eve: passed, but has no name or email address" in out
    files = ada_files(course)
    assert all(path.is_file() for path in files.values())
    first = {path: path.read_bytes() for path in files.values()}

    assert run(course, "certify", ASSIGNMENT) == 1
    assert "0 certificates issued, 1 issued before" in capsys.readouterr().out
    with Register(default_db_url(course)) as register:
        assert [c.learner for c in register.certificates()] == ["ada"]
        assert [event for _, event, _, _ in register.events()] == ["issued"]
    assert sorted(p.name for p in (course / "certificates").rglob("*") if p.is_file()) == sorted(
        p.name for p in files.values()
    )
    assert {path: path.read_bytes() for path in files.values()} == first

    files["pdf"].unlink()  # a lost file is written again, still the same certificate
    run(course, "certify", ASSIGNMENT)
    assert files["pdf"].is_file() and run(course, "verify", str(files["pdf"])) == 0


def test_badge_is_an_open_badges_2_assertion_signed_with_the_published_key(
    course: Path, tmp_path: Path
) -> None:
    certify(course, ASSIGNMENT)
    files = ada_files(course)
    badge = json.loads(files["badge"].read_text())
    assert badge["@context"] == OB2_CONTEXT and badge["type"] == "Assertion"
    assert badge["id"].startswith("urn:uuid:") and badge["id"][9:] in files["pdf"].name
    recipient = badge["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    digest = hashlib.sha256(("ada@example.com" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${digest}"
    assert badge["badge"] == "https://learning.meridian.example/badges/badgeclass.json"
    assert badge["verification"] == {
        "type": "SignedBadge",
        "creator": "https://learning.meridian.example/badges/public-key.json",
    }
    issued = dt.datetime.fromisoformat(badge["issuedOn"])
    expires = dt.datetime.fromisoformat(badge["expires"])
    assert issued.tzinfo is not None and 364 <= (expires - issued).days <= 366

    published = tmp_path / "published"
    assert run(course, "certificates", "publish", "--out", str(published)) == 0
    key = json.loads((published / "public-key.json").read_text())
    issuer = json.loads((published / "issuer.json").read_text())
    badge_class = json.loads((published / "badgeclass.json").read_text())
    assert key["type"] == "CryptographicKey" and key["owner"] == issuer["id"]
    assert key["id"] == badge["verification"]["creator"] == issuer["publicKey"]
    assert issuer["type"] == "Issuer" and issuer["name"] == "Meridian Group"
    assert badge_class["type"] == "BadgeClass" and badge_class["id"] == badge["badge"]
    assert badge_class["issuer"] == issuer["id"] and badge_class["image"].startswith("data:image")
    assert badge_class["criteria"]["narrative"]
    # A verifier with only the published key checks the JWS and finds the same assertion.
    token = files["jws"].read_text().strip()
    assert signing.verify(token, signing.load_public_pem(key["publicKeyPem"])) == badge
    assert (
        run(course, "verify", str(files["jws"]), "--public-key", str(published / "public-key.pem"))
        == 0
    )


def test_genuine_certificates_verify_by_file_code_and_id(course: Path, capsys) -> None:
    certify(course, ASSIGNMENT)
    files = ada_files(course)
    with Register(default_db_url(course)) as register:
        (certificate,) = register.certificates("ada")
    capsys.readouterr()
    for subject in [
        files["pdf"],
        files["badge"],
        files["jws"],
        show_code(certificate.code),
        certificate.code.lower(),
        certificate.id,
    ]:
        assert run(course, "verify", str(subject)) == 0, subject
        out = capsys.readouterr().out
        assert out.startswith(f"VALID: valid until {certificate.expires_on.isoformat()}\n")
        assert "Ada Lovelace (ada)" in out


def edit_pdf(path: Path, old: bytes, new: bytes) -> None:
    """Change the text drawn on the page and write the file anew, claims and all."""
    writer = PdfWriter(clone_from=PdfReader(path))
    page = writer.pages[0]
    contents = page.get_contents()
    data = contents.get_data()
    assert old in data
    contents.set_data(data.replace(old, new))
    page.replace_contents(contents)
    with path.open("wb") as stream:
        writer.write(stream)


def forge_edited_name(course: Path, files, tmp_path) -> str:
    edit_pdf(files["pdf"], b"(Ada Lovelace)", b"(Eve Lovelace)")
    return str(files["pdf"])


def forge_edited_expiry(course: Path, files, tmp_path) -> str:
    edit_pdf(files["pdf"], b" 2027)", b" 2029)")
    return str(files["pdf"])


def forge_badge_expiry(course: Path, files, tmp_path) -> str:
    badge = json.loads(files["badge"].read_text())
    badge["expires"] = badge["expires"].replace("2027", "2031")
    files["badge"].write_text(json.dumps(badge))
    return str(files["badge"])


def forge_other_key(course: Path, files, tmp_path) -> str:
    other = signing.create_key(tmp_path / "other" / "key.pem")
    payload = signing.unverified_payload(files["jws"].read_text())
    forged = tmp_path / "forged.badge.jws"
    forged.write_text(signing.sign(payload, other))
    return str(forged)


def forge_unknown_code(course: Path, files, tmp_path) -> str:
    return "ABCD-EFGH-JKMN"


@pytest.mark.parametrize(
    ("forge", "exit_code", "headline"),
    [
        (forge_edited_name, 5, "NOT GENUINE: the signed bytes were changed: the PDF signature"),
        (forge_edited_expiry, 5, "NOT GENUINE: the signed bytes were changed: the PDF signature"),
        (forge_badge_expiry, 5, "NOT GENUINE: altered: expires differ from the badge that"),
        (forge_other_key, 5, "NOT GENUINE: the badge is not genuine: the signature does not"),
        (forge_unknown_code, 5, "NOT GENUINE: unknown certificate: ABCD-EFGH-JKMN was never"),
    ],
    ids=["edited-name", "edited-expiry", "edited-badge-expiry", "other-key", "unknown-code"],
)
def test_forgeries_are_not_genuine(
    course: Path, tmp_path: Path, capsys, forge, exit_code: int, headline: str
) -> None:
    certify(course, ASSIGNMENT)
    subject = forge(course, ada_files(course), tmp_path)
    capsys.readouterr()
    assert run(course, "verify", subject) == exit_code
    assert capsys.readouterr().out.startswith(headline)


def test_expired_certificate(course: Path, capsys) -> None:
    certify(course, ASSIGNMENT, now=dt.datetime(2024, 1, 31, 12, 0, tzinfo=dt.UTC))
    files = ada_files(course)
    capsys.readouterr()
    for subject in files.values():
        assert run(course, "verify", str(subject)) == 3
        assert capsys.readouterr().out.startswith("EXPIRED: expired on 2025-01-31\n")


def test_revoked_certificate_fails_and_is_listed(course: Path, tmp_path: Path, capsys) -> None:
    certify(course, ASSIGNMENT)
    files = ada_files(course)
    with Register(default_db_url(course)) as register:
        (certificate,) = register.certificates("ada")
    assert (
        run(course, "revoke", show_code(certificate.code), "--reason", "exam taken by someone else")
        == 0
    )
    assert run(course, "revoke", certificate.id, "--reason", "again") == 2
    assert "is revoked already (exam taken by someone else)" in capsys.readouterr().err
    for subject in files.values():
        assert run(course, "verify", str(subject)) == 4
        assert capsys.readouterr().out.startswith("REVOKED: revoked: exam taken by someone else")
    run(course, "certificates", "publish", "--out", str(tmp_path / "published"))
    revoked = json.loads((tmp_path / "published" / "revocation-list.json").read_text())
    assert revoked["type"] == "RevocationList"
    assert revoked["revokedAssertions"] == [
        {"id": f"urn:uuid:{certificate.id}", "revocationReason": "exam taken by someone else"}
    ]
    with Register(default_db_url(course)) as register:
        assert [event for _, event, _, _ in register.events()] == ["issued", "revoked"]
    run(course, "certify", ASSIGNMENT)  # the same submission is never certified again
    out = capsys.readouterr().out
    assert "0 certificates issued, 1 issued before" in out
    assert "  still revoked: ada: exam taken by someone else (needs a new submission)" in out


def test_a_new_pass_supersedes_and_renewal_lists_who_is_due(
    course: Path, bank: Bank, tmp_path: Path, capsys
) -> None:
    certify(course, ASSIGNMENT, now=dt.datetime(2025, 12, 20, 9, 0, tzinfo=dt.UTC))
    grade_written_answers(course, ["dee"], bank)  # dee passes now too
    certify(course, ASSIGNMENT, now=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
    rows = due(default_db_url(course), 30, today=dt.date(2026, 12, 1))
    assert [(r.learner, r.status, r.days_left) for r in rows] == [("ada", "expires soon", 19)]
    rows = due(default_db_url(course), 30, today=dt.date(2027, 3, 5))
    assert [(r.learner, r.status, r.days_left) for r in rows] == [
        ("ada", "expired", -75),
        ("dee", "expired", -4),
    ]

    items = bank.items_of(ASSESSMENT)  # ada takes the exam again and passes
    later = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    submit(course, ASSIGNMENT, "ada", all_right(items), timestamp=later)
    autograde_cohort(course, ASSIGNMENT, workers=1, learners=["ada"])
    grade_written_answers(course, ["ada"], bank)
    result = certify(course, ASSIGNMENT)
    (new,) = result.issued
    with Register(default_db_url(course)) as register:
        old, _ = register.certificates("ada")
        assert (old.status, old.reason) == ("superseded", new.id)
        assert [e for _, e, _, _ in register.events()] == [
            "issued",
            "issued",
            "issued",
            "superseded",
        ]
    rows = due(default_db_url(course), 30, today=dt.date(2026, 12, 10))
    assert [r.learner for r in rows] == []
    check = verify(course, old.id, today=dt.date(2026, 12, 10))  # genuine until it runs out
    assert check.status == "valid"
    assert check.headline == "valid until 2026-12-20, but superseded by a newer certificate"
    assert f"superseded on {new.issued_at[:10]} by the newer certificate {new.id} " in "\n".join(
        check.details
    )
    assert verify(course, old.id, today=dt.date(2026, 12, 21)).status == "expired"

    out = tmp_path / "due.csv"
    assert run(course, "cohort", "due", "--within", "400", "--out", str(out)) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "learner_id,name,email,certificate_id,code,expires_on,days_left,status"
    assert [line.split(",")[0] for line in lines[1:]] == ["dee", "ada"]


def test_a_grade_lowered_after_certification_is_pointed_out_with_the_revoke_command(
    course: Path, bank: Bank, capsys
) -> None:
    """The certificate stays valid (certify never revokes), but the trainer is told."""
    run(course, "certify", ASSIGNMENT)
    capsys.readouterr()
    with Gradebook(default_db_url(course)) as gradebook:
        for item in bank.items_of(ASSESSMENT):
            if item.kind == "free-text":
                grade = gradebook.find_grade(item.id, ASSIGNMENT, ASSIGNMENT, "ada")
                grade.manual_score = 0
        for item in bank.items_of(ASSESSMENT):
            if item.kind == "choice":
                grade = gradebook.find_grade(item.id, ASSIGNMENT, ASSIGNMENT, "ada")
                grade.manual_score = 0
        gradebook.db.commit()
    with Register(default_db_url(course)) as register:
        (certificate,) = register.certificates("ada")

    assert run(course, "certify", ASSIGNMENT) == 1
    out = capsys.readouterr().out
    assert "not passed: ada: overall" in out
    assert (
        f"still certified: ada holds certificate {certificate.id}, valid until "
        f"{certificate.expires_on.isoformat()}, for this submission, which no longer passes. "
        f'If the new grades are right, revoke it: grader revoke {certificate.id} --reason "'
    ) in out
    with Register(default_db_url(course)) as register:
        assert [c.status for c in register.certificates("ada")] == ["issued"]

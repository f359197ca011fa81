"""Certificates issued for real, without grading: a course folder, a key and passing rows."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.certificates import badges, certify, pdf_signature, signing
from grader.certificates.certify import certificate_files, issue_certificates
from grader.certificates.register import Certificate
from grader.cohort.export import Row
from grader.course.guidelines import GUIDELINES
from grader.course.settings import SETTINGS_FILE, SIGNING_KEY_ENV

from ..conftest import ASSIGNMENT, REPO

LEARNERS = [
    ("ada", "Ada Lovelace", "ada@example.com"),
    ("learner5", "Learner Five", "learner5@Example.org"),  # as the roster has it
]


def passing_row(learner: str, name: str, email: str, submitted: str = "2026-11-02 09:00") -> Row:
    """A learner who passed, as ``grader cohort export`` reads them from the gradebook."""
    by_guideline = {g.slug: (5.0, 6.0) for g in GUIDELINES}
    return Row(learner, name, email, "Team", submitted, 40.0, 48.0, 0, by_guideline, True)


@dataclass(frozen=True)
class Issued:
    course: Path
    certificates: dict[str, Certificate]  # by learner

    def files(self, learner: str) -> dict[str, Path]:
        return certificate_files(self.certificates[learner], self.course / "certificates")


@pytest.fixture(scope="session")
def organisation_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "grader" / "signing-key.pem"
    signing.create_key(path)
    return path


@pytest.fixture
def issuing_course(tmp_path: Path, organisation_key_file: Path, monkeypatch) -> Path:
    """A course folder with the repository's settings, signed with the test key."""
    course = tmp_path / "course"
    course.mkdir()
    for name in ("nbgrader_config.py", SETTINGS_FILE):
        shutil.copy(REPO / name, course / name)
    monkeypatch.setenv(SIGNING_KEY_ENV, str(organisation_key_file))
    monkeypatch.chdir(tmp_path)
    return course


def issue(course: Path, learners=LEARNERS) -> Issued:
    result = issue_certificates(course, ASSIGNMENT, [passing_row(*learner) for learner in learners])
    return Issued(course, {c.learner: c for c in result.issued})


@pytest.fixture
def issued(issuing_course: Path) -> Issued:
    """Certificates for ada and learner5, issued as ``grader certify`` issues them."""
    return issue(issuing_course)


def old_hashed_email(email: str, salt: str) -> str:
    """How badges hashed the recipient before: the address in lower case."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issue_as_before_pdf_signatures(course: Path, monkeypatch) -> Issued:
    """Issue as the code did before PDF signatures: the claims without ``pdf_signed``, the
    PDF as rendered (document information carrying the JWS, no PDF signature), and the
    badge's recipient hashed in lower case."""
    claims_now = certify.certificate_claims
    with monkeypatch.context() as patch:
        patch.setattr(
            certify,
            "certificate_claims",
            lambda *args: {k: v for k, v in claims_now(*args).items() if k != "pdf_signed"},
        )
        patch.setattr(pdf_signature, "sign_pdf", lambda data, key, organisation: data)
        patch.setattr(badges, "hashed_email", old_hashed_email)
        return issue(course)

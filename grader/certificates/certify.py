"""Certify a cohort: a signed PDF certificate and Open Badge for every learner who passes.

The pass rule is :func:`grader.course.passing.verdict` on nbgrader's grades. For each learner
who passes, one certificate is recorded in the register (:mod:`grader.certificates.register`)
and its files are written to ``certificates/<learner>/<certificate id>.*``:

- ``.pdf``: the certificate to print, carrying its signed claims, signed as a PDF (PAdES);
- ``.badge.json``: the Open Badges 2.0 Assertion (readable JSON);
- ``.badge.jws``: the same Assertion signed (RS256), what badge verifiers and backpacks take.

Running it again issues nothing twice: a submission that has a certificate keeps it (its
missing files are written again, so deleting the PDF of a certificate issued before PDFs
were signed and running it again gives a PDF-signed copy of the same certificate). A later
passing submission of a learner gets a new certificate that supersedes the earlier ones.

An assessment in several languages is certified over all of them: each learner is judged
on their latest submission in any language (:func:`grader.cohort.export.cohort_rows`), and
the certificate records that language version (``certification-exam-nl``) and is written
in its language, as a certificate of that version alone always was.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.certificates import badges, pdf, pdf_signature, signing
from grader.certificates.register import AlreadyIssued, Certificate, Register, new_code
from grader.cohort.export import Row, cohort_rows, split_assignment
from grader.course.nbgrader_course import course_db_url
from grader.course.passing import Verdict, verdict
from grader.course.settings import (
    CertificateSettings,
    Settings,
    certificate_settings,
    load_settings,
)
from grader.errors import GraderError

CERTIFICATES_DIR = "certificates"


class CertifyError(GraderError):
    """Certificates cannot be issued as configured (for instance a key inside the course)."""


@dataclass
class CertifyResult:
    issued: list[Certificate] = field(default_factory=list)
    kept: list[Certificate] = field(default_factory=list)  # issued before for this submission
    failed: list[Verdict] = field(default_factory=list)
    # Certified for this very submission, which no longer passes (a grade was lowered).
    contradicted: list[tuple[Verdict, Certificate]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # passed, but cannot be certified
    superseded: list[str] = field(default_factory=list)
    out: Path = Path(CERTIFICATES_DIR)
    rows: list[Row] = field(default_factory=list)  # every learner judged, one row each


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def signing_key_path(course_root: Path | str, config: CertificateSettings) -> Path:
    """The configured key path, refused when it lies inside the course folder (shared)."""
    path = config.signing_key.resolve()
    if path.is_relative_to(Path(course_root).resolve()):
        raise CertifyError(
            f"the signing key {config.signing_key} is inside the course folder, which is "
            f"shared with learners: keep it elsewhere (certificate.signing_key)"
        )
    return path


def certify(
    course_root: Path | str,
    name: str,
    *,
    out: Path | str | None = None,
    now: dt.datetime | None = None,
) -> CertifyResult:
    """Issue certificates for ``name`` (an assessment, or one language version) from
    nbgrader's grades; see the module docstring."""
    rows = cohort_rows(course_root, name)
    return issue_certificates(course_root, name, rows, out=out, now=now)


def issue_certificates(
    course_root: Path | str,
    assignment: str,
    rows: list[Row],
    *,
    out: Path | str | None = None,
    now: dt.datetime | None = None,
) -> CertifyResult:
    """Judge each row with the pass rule and issue what is due (grading already done).

    A row names the language version it was submitted to; one that does not (made by
    hand) was submitted to ``assignment``, which is then a language version."""
    settings = load_settings(course_root)
    config = certificate_settings(settings)
    key_path = signing_key_path(course_root, config)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    result = CertifyResult(
        out=Path(out) if out else Path(course_root) / CERTIFICATES_DIR, rows=list(rows)
    )
    signing_key = functools.cache(lambda: signing.load_key(key_path, create=True))
    with Register(course_db_url(course_root)) as register:
        by_submission = {
            (c.learner, c.assignment, c.submitted_at): c for c in register.certificates()
        }
        current = register.current()
        for row in rows:
            version = row.assignment or assignment
            _, language = split_assignment(version)
            judged = verdict(row, settings.pass_mark, config.guideline_minimum)
            done = by_submission.get((row.learner, version, row.submitted_at))
            if not judged.passed:
                result.failed.append(judged)
                if done is not None and done.status == "issued" and not done.expired(now.date()):
                    result.contradicted.append((judged, done))
                continue
            if done is not None:
                result.kept.append(done)
                _write_files(done, result.out, signing_key, settings.organisation)
                continue
            problem = _cannot_issue(row, current.get(row.learner))
            if problem:
                result.problems.append(f"{row.learner}: {problem}")
                continue
            certificate = _new_certificate(settings, row, version, language, now, signing_key())
            replaced = [c.id for c in register.certificates(row.learner) if c.status == "issued"]
            try:
                register.issue(certificate, supersedes=replaced)
            except AlreadyIssued:
                continue  # another run issued it a moment ago
            result.issued.append(certificate)
            result.superseded += replaced
            _write_files(certificate, result.out, signing_key, settings.organisation)
    return result


def _cannot_issue(row: Row, latest: Certificate | None) -> str:
    """Why a learner who passed gets no certificate now ("" when nothing stands in the way)."""
    if latest is not None and latest.submitted_at > row.submitted_at:
        return (
            f"has a certificate for a later submission ({latest.assignment}, "
            f"{latest.submitted_at}); none issued for this one"
        )
    if not row.name.strip() or not row.email:
        return (
            "passed, but has no name or email address in the gradebook "
            "(import them with `grader cohort roster`)"
        )
    if not pdf.printable(row.name):
        return (
            f"passed, but the name {row.name!r} has letters the certificate font cannot "
            f"print (it has Latin, Greek and Cyrillic letters)"
        )
    return ""


def certificate_claims(
    settings: Settings, certificate: Certificate, language: str, issued_on: dt.date
) -> dict[str, Any]:
    """What the PDF shows, signed: the page can be checked against it."""
    config = certificate_settings(settings)
    return {
        "certificate": certificate.id,
        "code": certificate.code,
        "name": certificate.name,
        "course": badges.course_title(settings, language),
        "organisation": settings.organisation,
        "issued": issued_on.isoformat(),
        "expires": certificate.expires_on.isoformat(),
        "language": language,
        "verify_url": config.verify_url,
        "badge": f"urn:uuid:{certificate.id}",
        "iss": config.issuer_url,
        "pdf_signed": True,  # verify refuses this certificate's PDF without its PDF signature
    }


def _new_certificate(
    settings: Settings,
    row: Row,
    assignment: str,
    language: str,
    now: dt.datetime,
    key: Any,
) -> Certificate:
    config = certificate_settings(settings)
    certificate_id = str(uuid.uuid4())
    expires_on = add_months(now.date(), config.validity_months)
    assertion = badges.assertion(settings, certificate_id, row.email, now, expires_on)
    draft = Certificate(
        id=certificate_id,
        code=new_code(),
        learner=row.learner,
        name=row.name.strip(),
        email=row.email,
        assignment=assignment,
        submitted_at=row.submitted_at,
        issued_at=now.isoformat(),
        expires_on=expires_on,
        badge_jws=signing.sign(assertion, key),
        certificate_jws="",
    )
    claims = certificate_claims(settings, draft, language, now.date())
    return dataclasses.replace(draft, certificate_jws=signing.sign(claims, key))


def certificate_files(certificate: Certificate, out: Path) -> dict[str, Path]:
    """Where a certificate's files go: ``<out>/<learner>/<id>.pdf`` and the badge files."""
    stem = out / certificate.learner / certificate.id
    return {
        "pdf": stem.with_suffix(".pdf"),
        "badge": stem.with_name(f"{certificate.id}.badge.json"),
        "jws": stem.with_name(f"{certificate.id}.badge.jws"),
    }


def _write_files(
    certificate: Certificate, out: Path, signing_key: Callable[[], Any], organisation: str
) -> None:
    """Write the certificate's files that are missing (all of them for a new one)."""
    files = certificate_files(certificate, out)
    files["pdf"].parent.mkdir(parents=True, exist_ok=True)
    if not files["pdf"].exists():
        claims = signing.unverified_payload(certificate.certificate_jws) or {}
        document = pdf.document(claims, certificate.certificate_jws)
        files["pdf"].write_bytes(pdf_signature.sign_pdf(document, signing_key(), organisation))
    if not files["badge"].exists():
        assertion = signing.unverified_payload(certificate.badge_jws)
        files["badge"].write_text(json.dumps(assertion, indent=2) + "\n", encoding="utf-8")
    if not files["jws"].exists():
        files["jws"].write_text(certificate.badge_jws + "\n", encoding="ascii")

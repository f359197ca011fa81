"""Verify a certificate: valid, expired, revoked, or not genuine — and why.

What can be checked: a PDF certificate, an Open Badge (the signed ``.badge.jws`` or the
readable ``.badge.json``), a verification code as printed on the certificate, or a
certificate id. Signatures are checked with the organisation's public key; the register
says whether the certificate was issued and whether it has been revoked since.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from grader.certificates import pdf, signing
from grader.certificates.certify import signing_key_path
from grader.course.nbgrader_course import course_db_url
from grader.certificates.register import Certificate, Register, normal_code, show_code
from grader.course.settings import certificate_settings, load_settings

VALID, EXPIRED, REVOKED, NOT_GENUINE = "valid", "expired", "revoked", "not genuine"
EXIT_CODES = {VALID: 0, EXPIRED: 3, REVOKED: 4, NOT_GENUINE: 5}
UUID = re.compile(r"^(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Check:
    """The outcome of a verification: a status, one line saying it, and the details."""

    status: str
    headline: str
    details: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


def course_public_key(course_root: Path | str) -> rsa.RSAPublicKey:
    """The public half of the organisation's signing key (never creates one)."""
    config = certificate_settings(load_settings(course_root))
    return signing.load_key(signing_key_path(course_root, config)).public_key()


def read_public_key(path: Path | str) -> rsa.RSAPublicKey:
    """A published public key: PEM, or the CryptographicKey JSON (``publicKeyPem``)."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        text = json.loads(text).get("publicKeyPem", "")
    return signing.load_public_pem(text)


def verify(
    course_root: Path | str,
    subject: str,
    *,
    public_key: rsa.RSAPublicKey | None = None,
    today: dt.date | None = None,
) -> Check:
    """Verify a file (PDF, badge JSON or JWS), a verification code or a certificate id."""
    key = public_key or course_public_key(course_root)
    today = today or dt.datetime.now(dt.UTC).date()
    with Register(course_db_url(course_root)) as register:
        path = Path(subject)
        if path.is_file():
            data = path.read_bytes()
            if data.startswith(b"%PDF"):
                return _pdf(path, register, key, today)
            if data.lstrip().startswith(b"{"):
                return _badge_json(data, register, key, today)
            return _badge_jws(data.decode("ascii", "replace"), register, key, today)
        if UUID.match(subject.strip().lower()):
            found = register.get(subject.strip().lower().removeprefix("urn:uuid:"))
        elif normal_code(subject):
            found = register.by_code(subject)
        elif path.suffix or "/" in subject:
            raise FileNotFoundError(f"{subject}: no such file")
        else:
            return Check(NOT_GENUINE, f"{subject!r} is not a verification code or certificate id")
        if found is None:
            return Check(NOT_GENUINE, f"unknown certificate: {subject} was never issued")
        try:
            signing.verify(found.certificate_jws, key)
        except signing.BadSignature as error:
            return Check(NOT_GENUINE, f"the register entry of {subject} is not genuine: {error}")
        return judge(found, today)


def judge(certificate: Certificate, today: dt.date) -> Check:
    """Status of a genuine certificate today, from the register."""
    details = [
        f"{certificate.name} ({certificate.learner}), issued {certificate.issued_at[:10]}, "
        f"valid until {certificate.expires_on.isoformat()}",
        f"certificate {certificate.id}, code {show_code(certificate.code)}",
    ]
    if certificate.status == "revoked":
        return Check(REVOKED, f"revoked: {certificate.reason}", details)
    if certificate.expired(today):
        return Check(EXPIRED, f"expired on {certificate.expires_on.isoformat()}", details)
    if certificate.status == "superseded":
        details.append(f"superseded by the newer certificate {certificate.reason}")
    return Check(VALID, f"valid until {certificate.expires_on.isoformat()}", details)


def _signed(token: str, key: rsa.RSAPublicKey, what: str) -> dict[str, Any] | Check:
    try:
        return signing.verify(token, key)
    except signing.BadSignature as error:
        claimed = signing.unverified_payload(token) or {}
        name = claimed.get("name") or claimed.get("id") or "nobody"
        return Check(NOT_GENUINE, f"{what} is not genuine: {error}", [f"it claims: {name}"])


def _pdf(path: Path, register: Register, key: rsa.RSAPublicKey, today: dt.date) -> Check:
    try:
        content = pdf.read_pdf(path)
    except pdf.CertificatePdfError as error:
        return Check(NOT_GENUINE, str(error))
    if not content.token:
        return Check(NOT_GENUINE, f"{path.name} carries no certificate signature")
    claims = _signed(content.token, key, path.name)
    if isinstance(claims, Check):
        return claims
    found = register.get(str(claims.get("certificate", "")))
    if found is None:
        return Check(NOT_GENUINE, f"unknown certificate: {claims.get('certificate')} not issued")
    if found.certificate_jws != content.token:
        return Check(NOT_GENUINE, f"the signed claims differ from those of {found.id} issued")
    problems = pdf.shown_as_expected(content, claims)
    if problems:
        return Check(NOT_GENUINE, f"altered: {problems[0]}", problems[1:])
    return judge(found, today)


def _badge_jws(token: str, register: Register, key: rsa.RSAPublicKey, today: dt.date) -> Check:
    assertion = _signed(token, key, "the badge")
    if isinstance(assertion, Check):
        return assertion
    return _badge_in_register(assertion, register, key, today)


def _badge_json(data: bytes, register: Register, key: rsa.RSAPublicKey, today: dt.date) -> Check:
    try:
        assertion = json.loads(data)
    except ValueError as error:
        return Check(NOT_GENUINE, f"the badge is not valid JSON ({error})")
    if not isinstance(assertion, dict) or assertion.get("type") != "Assertion":
        return Check(NOT_GENUINE, "the file is not an Open Badges assertion")
    return _badge_in_register(assertion, register, key, today)


def _badge_in_register(
    assertion: dict[str, Any], register: Register, key: rsa.RSAPublicKey, today: dt.date
) -> Check:
    """An assertion is genuine when it is exactly the signed one the register holds."""
    badge_id = str(assertion.get("id", ""))
    found = register.get(badge_id.removeprefix("urn:uuid:")) if UUID.match(badge_id) else None
    if found is None:
        return Check(NOT_GENUINE, f"unknown badge: {badge_id or 'no id'} was never issued")
    signed = _signed(found.badge_jws, key, "the register entry")
    if isinstance(signed, Check):
        return signed
    changed = sorted(
        k for k in signed.keys() | assertion.keys() if signed.get(k) != assertion.get(k)
    )
    if changed:
        return Check(
            NOT_GENUINE,
            f"altered: {', '.join(changed)} differ from the badge that was issued",
            [f"issued {k}: {json.dumps(signed.get(k))}" for k in changed],
        )
    return judge(found, today)

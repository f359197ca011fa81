"""Verify a certificate: valid, expired, revoked, or not genuine — and why.

What can be checked: a PDF certificate (:mod:`grader.certificates.verify_pdf`), an Open Badge
(the signed ``.badge.jws`` or the readable ``.badge.json``), a verification code as printed on
the certificate, or a certificate id. Signatures are checked with the organisation's public
key; the register says whether the certificate was issued and whether it has been revoked or
superseded since. A code or id shows the register's own name, course and dates, so that a
copy showing anything else is exposed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from grader.certificates import badges, signing
from grader.certificates.certify import signing_key_path
from grader.certificates.register import Register, normal_code
from grader.certificates.verdicts import (
    EXIT_CODES,
    EXPIRED,
    NOT_GENUINE,
    REVOKED,
    VALID,
    Check,
    judge,
    judge_in,
    signed_payload,
)
from grader.certificates.verify_pdf import verify_pdf
from grader.course.nbgrader_course import course_db_url
from grader.course.settings import certificate_settings, load_settings

__all__ = ["EXIT_CODES", "EXPIRED", "NOT_GENUINE", "REVOKED", "VALID", "Check", "judge", "verify"]
COMPARE = (
    "these are the register's own name, course and dates: a certificate shown with this "
    "code or id that shows anything else is not genuine"
)
UUID = re.compile(r"^(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


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
                return verify_pdf(path, register, key, today)
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
        return judge_in(register, found, today).adding(COMPARE)


def _badge_jws(token: str, register: Register, key: rsa.RSAPublicKey, today: dt.date) -> Check:
    assertion = signed_payload(token, key, "the badge")
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
    signed = signed_payload(found.badge_jws, key, "the register entry")
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
    return judge_in(register, found, today).adding(badges.recipient_note(signed, found.email))

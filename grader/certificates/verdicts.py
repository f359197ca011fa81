"""The verdicts of ``grader verify`` and the register's own account of a certificate.

Every check ends in one :class:`Check`. For a genuine certificate, :func:`judge` gives its
status today from the register (valid, expired, revoked; superseded ones are still valid
until they expire, and say so) and lists what the register holds: name, course and dates.
Whoever is shown a certificate compares those with what it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from grader.certificates import signing
from grader.certificates.register import Certificate, Register, show_code

VALID, EXPIRED, REVOKED, NOT_GENUINE = "valid", "expired", "revoked", "not genuine"
EXIT_CODES = {VALID: 0, EXPIRED: 3, REVOKED: 4, NOT_GENUINE: 5}


@dataclass(frozen=True)
class Check:
    """The outcome of a verification: a status, one line saying it, and the details."""

    status: str
    headline: str
    details: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def adding(self, *details: str) -> Check:
        """The same verdict with more details."""
        return Check(self.status, self.headline, [*self.details, *details])


def register_entry(certificate: Certificate) -> list[str]:
    """What the register holds: the name, course and dates any copy must show."""
    claims = signing.unverified_payload(certificate.certificate_jws) or {}
    course = claims.get("course") or certificate.assignment
    return [
        f"{certificate.name} ({certificate.learner}), issued {certificate.issued_at[:10]}, "
        f"valid until {certificate.expires_on.isoformat()}",
        f"course: {course}",
        f"certificate {certificate.id}, code {show_code(certificate.code)}",
    ]


def judge(certificate: Certificate, today: dt.date, newer: Certificate | None = None) -> Check:
    """Status of a genuine certificate today, from the register.

    ``newer`` is the certificate that superseded this one, when the register has it.
    """
    details = register_entry(certificate)
    expires = certificate.expires_on.isoformat()
    if certificate.status == "revoked":
        return Check(REVOKED, f"revoked: {certificate.reason}", details)
    superseded = certificate.status == "superseded"
    if superseded:
        details.append(_superseded_by(certificate, newer))
    if certificate.expired(today):
        return Check(EXPIRED, f"expired on {expires}", details)
    if superseded:
        return Check(
            VALID, f"valid until {expires}, but superseded by a newer certificate", details
        )
    return Check(VALID, f"valid until {expires}", details)


def judge_in(register: Register, certificate: Certificate, today: dt.date) -> Check:
    """:func:`judge`, with the newer certificate looked up when this one was superseded."""
    newer = register.get(certificate.reason) if certificate.status == "superseded" else None
    return judge(certificate, today, newer)


def _superseded_by(certificate: Certificate, newer: Certificate | None) -> str:
    if newer is None:
        return f"superseded by the newer certificate {certificate.reason}"
    return (
        f"superseded on {newer.issued_at[:10]} by the newer certificate {newer.id} "
        f"(code {show_code(newer.code)}), valid until {newer.expires_on.isoformat()}"
    )


def signed_payload(token: str, key: rsa.RSAPublicKey, what: str) -> dict[str, Any] | Check:
    """The payload of a JWS signed with ``key``, or the verdict that ``what`` is forged."""
    try:
        return signing.verify(token, key)
    except signing.BadSignature as error:
        claimed = signing.unverified_payload(token) or {}
        name = claimed.get("name") or claimed.get("id") or "nobody"
        return Check(NOT_GENUINE, f"{what} is not genuine: {error}", [f"it claims: {name}"])

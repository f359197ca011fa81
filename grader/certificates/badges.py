"""Open Badges 2.0 documents: the signed Assertion, its BadgeClass, Issuer, key and revocations.

A signed badge (``"verification": {"type": "SignedBadge"}``) is verified offline with the
issuer's public key. The BadgeClass, Issuer profile, CryptographicKey and RevocationList
are published at ``certificate.issuer_url`` (``grader certificates publish``) so that any
Open Badges verifier can follow the links. The recipient is a salted SHA-256 hash of the
learner's email address as the roster has it (Open Badges validators hash the address they
are given without changing its case): the badge proves who holds it without revealing it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from typing import Any
from xml.sax.saxutils import escape

from grader.course.settings import Settings, certificate_settings

CONTEXT = "https://w3id.org/openbadges/v2"
DOCUMENTS = {
    "issuer": "issuer.json",
    "badge": "badgeclass.json",
    "key": "public-key.json",
    "revocations": "revocation-list.json",
}


def document_url(settings: Settings, name: str) -> str:
    """The published address of one of :data:`DOCUMENTS`."""
    return certificate_settings(settings).issuer_url + DOCUMENTS[name]


def hashed_email(email: str, salt: str) -> str:
    """Open Badges' IdentityHash: ``sha256$`` + hex SHA-256 of the address as given + salt.

    Validators hash the address they are given exactly like this, without changing its
    case, so the address is hashed as the roster has it (``learner5@Example.org``).
    """
    digest = hashlib.sha256((email + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def recipient_note(assertion: dict[str, Any], email: str) -> str:
    """Which spelling of ``email`` the badge's recipient hash is of, for ``grader verify``.

    Badges issued before the address was hashed as given hashed it in lower case: they are
    still genuine, but a validator accepts them only when given the address in lower case.
    """
    recipient = assertion.get("recipient") or {}
    identity, salt = recipient.get("identity"), str(recipient.get("salt") or "")
    if not recipient.get("hashed"):
        return "the recipient is named in plain text"
    if identity == hashed_email(email, salt):
        return "the recipient hash is of the address as the roster has it"
    if identity == hashed_email(email.strip().lower(), salt):
        return (
            f"the recipient hash is of the address in lower case ({email.strip().lower()}), "
            f"as badges issued before addresses were hashed as given: badge validators "
            f"accept it only when given the address spelt that way"
        )
    return "the recipient hash is of none of the spellings of the address in the register"


def assertion(
    settings: Settings,
    certificate_id: str,
    email: str,
    issued_at: dt.datetime,
    expires_on: dt.date,
) -> dict[str, Any]:
    """The signed-badge Assertion for one certificate (``expires`` at the end of its day)."""
    salt = secrets.token_hex(16)
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": f"urn:uuid:{certificate_id}",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hashed_email(email, salt),
        },
        "badge": document_url(settings, "badge"),
        "verification": {"type": "SignedBadge", "creator": document_url(settings, "key")},
        "issuedOn": issued_at.isoformat(timespec="seconds"),
        "expires": f"{expires_on.isoformat()}T23:59:59+00:00",
    }


def course_title(settings: Settings, language: str | None = None) -> str:
    """The course named on certificates, in ``language`` or the first one configured."""
    titles = certificate_settings(settings).course
    return titles.get(language or "", titles.get(settings.languages[0], ""))


def badge_class(settings: Settings) -> dict[str, Any]:
    title = course_title(settings)
    rule = (
        f"at least {settings.pass_mark:g}% of the points and at least "
        f"{certificate_settings(settings).guideline_minimum:g}% on each guideline"
    )
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": document_url(settings, "badge"),
        "name": f"{title} — {settings.organisation}",
        "description": (
            f"Awarded by {settings.organisation} to staff who passed the certification exam "
            f"of the course {title}. Valid for "
            f"{certificate_settings(settings).validity_months} months."
        ),
        "image": badge_image(settings.organisation, title),
        "criteria": {
            "narrative": (
                f"Pass the certification exam with {rule}, every written answer graded "
                f"by a trainer."
            )
        },
        "issuer": document_url(settings, "issuer"),
    }


def issuer(settings: Settings) -> dict[str, Any]:
    base = certificate_settings(settings).issuer_url
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": document_url(settings, "issuer"),
        "name": settings.organisation,
        "url": base,
        "email": certificate_settings(settings).issuer_email,
        "publicKey": document_url(settings, "key"),
        "revocationList": document_url(settings, "revocations"),
    }


def cryptographic_key(settings: Settings, public_pem: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "CryptographicKey",
        "id": document_url(settings, "key"),
        "owner": document_url(settings, "issuer"),
        "publicKeyPem": public_pem,
    }


def revocation_list(settings: Settings, revoked: list[tuple[str, str]]) -> dict[str, Any]:
    """The RevocationList for (certificate id, reason) pairs."""
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": document_url(settings, "revocations"),
        "issuer": document_url(settings, "issuer"),
        "revokedAssertions": [
            {"id": f"urn:uuid:{certificate_id}", "revocationReason": reason}
            for certificate_id, reason in revoked
        ],
    }


def badge_image(organisation: str, title: str) -> str:
    """A round badge as an SVG data URI (BadgeClass requires an image)."""
    title_size = min(24, 440 // max(len(title), 1))  # long texts get smaller, stay in the ring
    name_size = min(20, 400 // max(len(organisation), 1))
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400">
<circle cx="200" cy="200" r="190" fill="#17324d"/>
<circle cx="200" cy="200" r="172" fill="none" stroke="#c9a227" stroke-width="6"/>
<text x="200" y="150" text-anchor="middle" font-family="Helvetica, Arial, sans-serif"
 font-size="26" fill="#c9a227" letter-spacing="4">CERTIFIED</text>
<text x="200" y="210" text-anchor="middle" font-family="Helvetica, Arial, sans-serif"
 font-size="{title_size}" font-weight="bold" fill="#ffffff">{escape(title)}</text>
<text x="200" y="265" text-anchor="middle" font-family="Helvetica, Arial, sans-serif"
 font-size="{name_size}" fill="#dfe6ee">{escape(organisation)}</text>
</svg>"""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")

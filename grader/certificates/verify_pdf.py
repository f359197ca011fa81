"""Verify a PDF certificate: its PDF signature, its signed claims and the register.

A certificate issued with a PDF signature is genuine only when that signature is intact,
covers the whole file and was made with the organisation's key
(:mod:`grader.certificates.pdf_signature`): then the page is exactly the one issued, and
its signed claims must be the register's. A certificate issued before PDFs were signed has
only its signed claims: an update appended to it is refused, and its page text is compared
with the claims (:func:`pdf.shown_as_expected`), which cannot see what a file written anew
draws, pastes, stamps or crops over the text, so the verdict says so and how to get a signed
copy. A certificate issued signed whose PDF signature is gone is not genuine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from grader.certificates import pdf, pdf_signature, signing
from grader.certificates.register import Register
from grader.certificates.verdicts import NOT_GENUINE, Check, judge_in, signed_payload

SIGNED = (
    "the PDF signature is intact, covers the whole file and was made with the organisation's key"
)
PREDATES = (
    "this certificate predates PDF signatures: it was checked by its text only (and that no "
    "update was appended to the file), which cannot show shapes, pictures, stamps or a crop "
    "laid over the page by writing the file anew; compare the page with the register's entry"
)


def verify_pdf(path: Path, register: Register, key: rsa.RSAPublicKey, today: dt.date) -> Check:
    """The verdict on the certificate PDF at ``path``."""
    signature = pdf_signature.check_signature(path.read_bytes(), key)
    if signature.problem:
        return Check(NOT_GENUINE, signature.problem, [*signature.details, *_claimed(path)])
    try:
        content = pdf.read_pdf(path, text=not signature.signed)  # signed: the page is as issued
    except pdf.CertificatePdfError as error:
        return Check(NOT_GENUINE, str(error))
    if not content.token:
        return Check(NOT_GENUINE, f"{path.name} carries no certificate signature")
    claims = signed_payload(content.token, key, path.name)
    if isinstance(claims, Check):
        return claims
    found = register.get(str(claims.get("certificate", "")))
    if found is None:
        return Check(NOT_GENUINE, f"unknown certificate: {claims.get('certificate')} not issued")
    if found.certificate_jws != content.token:
        return Check(NOT_GENUINE, f"the signed claims differ from those of {found.id} issued")
    if signature.signed:
        return judge_in(register, found, today).adding(SIGNED)
    if claims.get("pdf_signed"):
        return Check(
            NOT_GENUINE,
            "the PDF signature it was issued with has been removed",
            [f"it claims: {claims.get('name')}"],
        )
    problems = pdf.shown_as_expected(content, claims)
    if problems:
        return Check(NOT_GENUINE, f"altered: {problems[0]}", problems[1:])
    return judge_in(register, found, today).adding(
        PREDATES,
        f"for a PDF-signed copy of the same certificate, delete {found.learner}/{found.id}.pdf "
        f"in the certificates folder and run `grader certify {found.assignment}` again",
    )


def _claimed(path: Path) -> list[str]:
    """Whose certificate a forged file claims to be, when that can be read at all."""
    try:
        token = pdf.read_pdf(path, text=False).token
    except pdf.CertificatePdfError:
        return []
    name = (signing.unverified_payload(token or "") or {}).get("name")
    return [f"it claims: {name}"] if name else []

"""The PDF certificate signed as a PDF: a PAdES baseline B signature made with pyHanko.

The signed claims in the document information (:mod:`grader.certificates.pdf`) prove what a
certificate says, but not what its page shows: anything drawn, pasted, stamped or cropped
over the page in a later incremental update leaves the claims and the text untouched. A
PDF signature covers every byte of the file as issued, so :func:`check_signature` asks
three things of it: that the signed bytes are unchanged, that nothing was appended after
them (see :mod:`grader.certificates.pdf_updates` for naming what was), and that it was made
with the organisation's key, whatever certificate the file carries.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from grader.certificates.pdf_updates import changes_after
from grader.certificates.signer_certificate import organisation_certificate, public_key_der

FIELD_NAME = "CertificateSignature"


class _KeySigner(signers.Signer):
    """A pyHanko signer that signs with an RSA key already loaded (RS256, PKCS#1 v1.5)."""

    def __init__(self, key: rsa.RSAPrivateKey, certificate: asn1_x509.Certificate) -> None:
        self._key = key
        super().__init__(signing_cert=certificate)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:  # pyHanko sizes the signature before making it
            return bytes(self._key.key_size // 8)
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def sign_pdf(data: bytes, key: rsa.RSAPrivateKey, organisation: str) -> bytes:
    """``data`` (a PDF) with a certifying PAdES signature that allows no later change."""
    certificate = organisation_certificate(key, organisation)
    signer = _KeySigner(
        key,
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        name=organisation,
        reason="Certificate issued by " + organisation,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return signers.PdfSigner(meta, signer).sign_pdf(writer).getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What the PDF signature says: absent, genuine, or why the file is not genuine."""

    signed: bool  # the file carries a PDF signature at all
    problem: str = ""  # empty when the file is as signed (or, unsigned, as issued)
    details: tuple[str, ...] = ()


def check_signature(data: bytes, public_key: rsa.RSAPublicKey) -> SignatureCheck:
    """Check the PDF signature of ``data`` against the organisation's ``public_key``.

    An unsigned file (issued before PDFs were signed) was written in one go: any update
    appended to it is reported the same way.
    """
    try:
        reader = PdfFileReader(io.BytesIO(data))
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as error:  # issued ones always read
        return SignatureCheck(b"/ByteRange" in data, f"the file cannot be read as a PDF ({error})")
    if not signatures:  # issued before PDFs were signed, as one revision: updates are forged
        if reader.xrefs.total_revisions > 1:
            first_change, *more = changes_after(reader, 0)
            return SignatureCheck(
                False, f"changed after it was issued: {first_change}", tuple(more)
            )
        return SignatureCheck(signed=False)
    first = signatures[0]
    try:
        signer_cert = first.signer_cert
        signer = signer_cert.subject.human_friendly
    except (ValueError, KeyError, TypeError) as error:
        return SignatureCheck(True, f"the PDF signature names no signer ({error})")
    if signer_cert.public_key.dump() != public_key_der(public_key):
        return SignatureCheck(
            True,
            "the PDF is signed, but not with the organisation's key",
            (f"the signature claims to be by {signer}",),
        )
    try:
        status = validate_pdf_signature(
            first,
            ValidationContext(
                trust_roots=[signer_cert], allow_fetching=False, revocation_mode="soft-fail"
            ),
            skip_diff=True,
        )
    except (PdfError, ValueError, KeyError, TypeError) as error:
        return SignatureCheck(True, f"the PDF signature cannot be checked ({error})")
    if not status.intact or not status.valid:
        return SignatureCheck(
            True, "the signed bytes were changed: the PDF signature does not match the file"
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or len(signatures) > 1:
        first_change, *more = changes_after(reader, first.signed_revision)
        return SignatureCheck(True, f"changed after it was signed: {first_change}", tuple(more))
    return SignatureCheck(signed=True)

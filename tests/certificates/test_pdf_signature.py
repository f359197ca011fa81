"""The PDF signature: PAdES baseline B, by the organisation's key, allowing no change."""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import read_certification_data

from grader.certificates import pdf, pdf_signature, signing
from grader.certificates.signer_certificate import public_key_der

from . import forgeries
from .test_pdf import CLAIMS


def test_a_certificate_is_signed_pades_baseline_b_by_the_organisation(
    organisation_key_file: Path, tmp_path: Path
) -> None:
    key = signing.load_key(organisation_key_file)
    signed = pdf_signature.sign_pdf(pdf.document(CLAIMS, "h.p.s"), key, "Meridian Group")
    reader = PdfFileReader(io.BytesIO(signed))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    attributes = [a["type"].native for a in signature.signer_info["signed_attrs"]]
    assert "signing_certificate_v2" in attributes and "signing_time" not in attributes
    assert signature.md_algorithm == "sha256"
    assert read_certification_data(reader).permission == MDPPerm.NO_CHANGES
    assert signature.signer_cert.subject.native["common_name"] == "Meridian Group"
    assert signature.signer_cert.public_key.dump() == public_key_der(key)
    (tmp_path / "signed.pdf").write_bytes(signed)
    assert pdf.read_pdf(tmp_path / "signed.pdf").token == "h.p.s"  # the claims are still there
    check = pdf_signature.check_signature(signed, key.public_key())
    assert (check.signed, check.problem) == (True, "")


def test_an_update_to_an_unsigned_certificate_is_refused_too(
    organisation_key_file: Path, tmp_path: Path
) -> None:
    """Certificates from before PDF signatures were written in one go: an update is forged."""
    key = signing.load_key(organisation_key_file)
    path = pdf.render(CLAIMS, "h.p.s", tmp_path / "old.pdf")
    assert pdf_signature.check_signature(path.read_bytes(), key.public_key()).problem == ""
    forgeries.stamp_over_the_name(path)
    check = pdf_signature.check_signature(path.read_bytes(), key.public_key())
    assert not check.signed
    assert check.problem == "changed after it was issued: a Stamp annotation on the page"


def test_bytes_appended_after_the_signature_are_refused(organisation_key_file: Path) -> None:
    key = signing.load_key(organisation_key_file)
    signed = pdf_signature.sign_pdf(pdf.document(CLAIMS, "h.p.s"), key, "Meridian Group")
    check = pdf_signature.check_signature(signed + b"\n% appended\n", key.public_key())
    assert check.problem.startswith("changed after it was signed: ")

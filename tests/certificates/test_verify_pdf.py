"""Verifying a PDF certificate: forgeries that keep the signed claims and the page's text.

Each forgery starts from a certificate issued as ``grader certify`` issues it and changes it
the way a PDF editor would: an incremental update drawn, pasted, stamped or cropped over the
page, or a change to the signed bytes. Comparing the text with the signed claims sees none
of them; the PDF signature sees every one.
"""

from __future__ import annotations

import io
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter

from grader.certificates import pdf, pdf_signature, signing
from grader.certificates.publish import publish
from grader.certificates.register import Register
from grader.certificates.verify import course_public_key, read_public_key, verify
from grader.course.nbgrader_course import course_db_url

from . import forgeries
from .conftest import Issued, issue, issue_as_before_pdf_signatures


def check(issued: Issued, path: Path):
    return verify(issued.course, str(path))


def assert_not_genuine(issued: Issued, path: Path, found: str) -> None:
    """The forgery is refused, and the verdict names what was added."""
    result = check(issued, path)
    assert result.status == "not genuine", (result.headline, result.details)
    assert result.headline.startswith("changed after it was signed: "), result.headline
    assert found in result.headline, result.headline


def test_a_genuine_certificate_verifies_by_its_pdf_signature(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    result = check(issued, path)
    assert result.status == "valid", result.headline
    assert result.details[-1].startswith("the PDF signature is intact, covers the whole file")
    assert pdf.shown_as_expected(pdf.read_pdf(path), _claims(issued, "ada")) == []


def test_another_name_drawn_as_vector_paths_in_an_update_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.draw_another_name_as_paths(path)
    assert "Ada Lovelace" in pdf.read_pdf(path).text  # the text still says Ada
    assert_not_genuine(issued, path, "a content stream drawing vector shapes on the page")


def test_an_inline_image_pasted_over_the_name_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.paste_inline_image(path)
    assert pdf.read_pdf(path).images == 0  # no image XObject to count
    assert_not_genuine(issued, path, "a content stream drawing an inline image on the page")


def test_a_stamp_annotation_over_the_name_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.stamp_over_the_name(path)
    assert "Eve Mallory" not in pdf.read_pdf(path).text  # annotations are not page text
    assert_not_genuine(issued, path, "a Stamp annotation on the page")


def test_the_qr_code_replaced_by_another_certificates_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.replace_qr(path, _claims(issued, "learner5"))
    assert_not_genuine(issued, path, "a content stream drawing vector shapes on the page")


def test_a_cropbox_hiding_the_dates_and_qr_code_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.crop_away_dates_and_qr(path)
    assert PdfReader(path).pages[0].cropbox.bottom == 200
    assert_not_genuine(issued, path, "a CropBox added on the page, which hides or moves part")


def test_a_byte_flipped_inside_the_signed_range_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.flip_byte(path, b"ReportLab PDF Library")  # the producer: no text changes
    result = check(issued, path)
    assert result.status == "not genuine"
    assert result.headline == (
        "the signed bytes were changed: the PDF signature does not match the file"
    )
    assert result.details == ["it claims: Ada Lovelace"]


def test_a_certificate_whose_pdf_signature_was_stripped_is_not_genuine(issued: Issued) -> None:
    path = issued.files("ada")["pdf"]
    forgeries.strip_pdf_signature(path)
    assert not pdf_signature.check_signature(path.read_bytes(), _public_key(issued)).signed
    result = check(issued, path)
    assert result.status == "not genuine"
    assert result.headline == "the PDF signature it was issued with has been removed"


def test_a_forgery_signed_again_with_another_key_is_not_genuine(
    issued: Issued, tmp_path: Path
) -> None:
    """Change the page, then sign it with a key of one's own under the same name."""
    path = issued.files("ada")["pdf"]
    claims = _claims(issued, "ada")
    forged = pdf.document(
        {**claims, "name": "Eve Mallory"}, issued.certificates["ada"].certificate_jws
    )
    other = signing.create_key(tmp_path / "other" / "key.pem")
    path.write_bytes(pdf_signature.sign_pdf(forged, other, claims["organisation"]))
    result = check(issued, path)
    assert result.status == "not genuine"
    assert result.headline == "the PDF is signed, but not with the organisation's key"
    assert result.details[0].startswith("the signature claims to be by ")
    assert "Meridian Group" in result.details[0]


def test_a_certificate_from_before_pdf_signatures_still_verifies_by_its_text(
    issuing_course: Path, monkeypatch
) -> None:
    old = issue_as_before_pdf_signatures(issuing_course, monkeypatch)
    path = old.files("ada")["pdf"]
    assert not pdf_signature.check_signature(path.read_bytes(), _public_key(old)).signed
    result = check(old, path)
    assert result.status == "valid", result.headline
    assert result.details[-2].startswith(
        "this certificate predates PDF signatures: it was checked by its text only"
    )
    assert "`grader certify certification-exam-en` again" in result.details[-1]

    path.unlink()  # as the verdict says: certify writes a signed copy, the same certificate
    again = issue(issuing_course)
    assert again.certificates == {}
    result = check(old, path)
    assert result.status == "valid", result.headline
    assert result.details[-1].startswith("the PDF signature is intact")
    with Register(course_db_url(issuing_course)) as register:
        assert [c.id for c in register.certificates("ada")] == [old.certificates["ada"].id]


def test_an_old_certificate_with_edited_text_is_still_not_genuine(
    issuing_course: Path, monkeypatch
) -> None:
    old = issue_as_before_pdf_signatures(issuing_course, monkeypatch)
    path = old.files("ada")["pdf"]
    writer = PdfWriter(clone_from=PdfReader(path))
    contents = writer.pages[0].get_contents()
    contents.set_data(contents.get_data().replace(b"(Ada Lovelace)", b"(Eve Lovelace)"))
    writer.pages[0].replace_contents(contents)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    result = check(old, path)
    assert result.status == "not genuine"
    assert result.headline == "altered: the name shown is not the one signed (Ada Lovelace)"


def _claims(issued: Issued, learner: str) -> dict:
    return signing.unverified_payload(issued.certificates[learner].certificate_jws)


def _public_key(issued: Issued):
    return course_public_key(issued.course)


def test_an_old_certificate_with_a_stamp_appended_is_not_genuine(
    issuing_course: Path, monkeypatch
) -> None:
    old = issue_as_before_pdf_signatures(issuing_course, monkeypatch)
    path = old.files("ada")["pdf"]
    forgeries.stamp_over_the_name(path)
    result = check(old, path)
    assert result.status == "not genuine"
    assert result.headline == "changed after it was issued: a Stamp annotation on the page"


def test_the_published_key_and_certificate_check_the_pdf_signature(
    issued: Issued, tmp_path: Path
) -> None:
    """A verifier with only the published files; PDF readers can be told to trust the
    published certificate, which is the one the PDF carries."""
    published = publish(issued.course, tmp_path / "published")
    assert (tmp_path / "published" / "signing-certificate.pem") in published
    path = issued.files("ada")["pdf"]
    key = read_public_key(tmp_path / "published" / "public-key.pem")
    assert verify(issued.course, str(path), public_key=key).status == "valid"
    certificate = x509.load_pem_x509_certificate(
        (tmp_path / "published" / "signing-certificate.pem").read_bytes()
    )
    (signature,) = PdfFileReader(io.BytesIO(path.read_bytes())).embedded_signatures
    assert signature.signer_cert.dump() == certificate.public_bytes(serialization.Encoding.DER)

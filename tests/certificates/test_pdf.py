"""The PDF certificate: shows exactly its signed claims, and any change to the page shows."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from grader.certificates.pdf import (
    JWS_KEY,
    layout,
    long_date,
    printable,
    qr_text,
    read_pdf,
    render,
    shown_as_expected,
)

CLAIMS = {
    "certificate": "3f2b7c1e-8d4a-4b6e-9a51-2c7d8e9f0a1b",
    "code": "ABCD2345WXYZ",
    "name": "Anna de Vries-Özdemir",
    "course": "Richtlijnen voor social media",
    "organisation": "Meridian Group",
    "issued": "2026-12-01",
    "expires": "2027-12-01",
    "language": "nl",
    "verify_url": "https://learning.example/verify?code={code}",
}


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return render(CLAIMS, "header.payload.signature", tmp_path / "certificate.pdf")


def test_the_page_shows_the_claims_in_the_learners_language(pdf: Path) -> None:
    content = read_pdf(pdf)
    assert content.token == "header.payload.signature"
    assert (content.pages, content.images) == (1, 0)
    for text in ["CERTIFICAAT", "Anna de Vries-Özdemir", "1 december 2027", "ABCD-2345-WXYZ"]:
        assert text in content.text
    assert shown_as_expected(content, CLAIMS) == []
    assert PdfReader(pdf).metadata.title == "Certificaat: Anna de Vries-Özdemir"
    assert qr_text(CLAIMS) == "https://learning.example/verify?code=ABCD2345WXYZ"
    assert qr_text({**CLAIMS, "verify_url": ""}) == "ABCD2345WXYZ"
    assert long_date(dt.date(2027, 3, 9), "en") == "9 March 2027"


def test_long_names_shrink_to_fit_and_unprintable_names_are_known() -> None:
    long_name = "Maximiliaan Alexander Johannes Cornelis van Oldenbarnevelt-Hoogstraten"
    (name,) = [line for line in layout({**CLAIMS, "name": long_name}) if line.text == long_name]
    assert 15 < name.size < 36
    assert printable("Anna de Vries-Özdemir") and printable("Łukasz Żółć")
    assert not printable("山田 花子"), "a font without the letters is known, not guessed"


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Łukasz Żółć-Dvořák"},
        {"name": "Şükrü Öztürk", "organisation": "Мерідіан Груп"},
        {"name": "Αθηνά Παπαδοπούλου", "course": "Κοινωνικά μέσα"},
    ],
)
def test_names_in_other_european_scripts_are_shown_and_verified(
    changes: dict[str, str], tmp_path: Path
) -> None:
    claims = {**CLAIMS, **changes}
    content = read_pdf(render(claims, "header.payload.signature", tmp_path / "c.pdf"))

    for text in changes.values():
        assert text.upper() in content.text or text in content.text
    assert shown_as_expected(content, claims) == []
    other = {**claims, "name": "Lukasz Zolc-Dvorak"}
    assert shown_as_expected(content, other) == [
        "the name shown is not the one signed (Lukasz Zolc-Dvorak)"
    ]


def overlay(pdf: Path, draw) -> None:
    """Stamp something on top of the page, as a forger with a PDF editor would."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    draw(canvas)
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.pages[0].merge_page(PdfReader(buffer).pages[0])
    with pdf.open("wb") as stream:
        writer.write(stream)


def test_added_text_a_pasted_picture_and_a_lost_signature_are_noticed(
    pdf: Path, tmp_path: Path
) -> None:
    overlay(pdf, lambda canvas: canvas.drawString(100, 100, "with distinction"))
    assert shown_as_expected(read_pdf(pdf), CLAIMS) == ["the page shows text that was not signed"]

    pasted = render(CLAIMS, "h.p.s", tmp_path / "pasted.pdf")
    picture = tmp_path / "p.png"
    Image.new("RGB", (40, 10), "white").save(picture)
    overlay(pasted, lambda canvas: canvas.drawImage(str(picture), 100, 100))
    assert shown_as_expected(read_pdf(pasted), CLAIMS) == [
        "the document has pages or pictures that were not issued"
    ]

    bare = PdfWriter(clone_from=PdfReader(pdf))
    bare.add_metadata({JWS_KEY: ""})
    with (tmp_path / "bare.pdf").open("wb") as stream:
        bare.write(stream)
    assert read_pdf(tmp_path / "bare.pdf").token is None

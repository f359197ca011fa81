"""The PDF certificate: landscape A4, to print and hang on a wall, and to check.

Everything the page shows comes from the signed certificate claims (a JWS, see
:mod:`grader.certificates.signing`), and the JWS itself is kept in the PDF's document information
(``/CertificateJWS``). The file is then signed as a PDF (:mod:`grader.certificates.pdf_signature`),
which proves that the page is unchanged. For certificates issued before that, :func:`read_pdf`
returns the JWS and the text the page shows, so that ``grader verify`` can still check that the
name and dates in the text are the ones signed.
Texts are in the language of the assessment the learner took.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from grader.certificates.register import show_code

JWS_KEY = "/CertificateJWS"
FONTS_DIR = Path(__file__).parent / "fonts"
# Names, organisations and courses come from people: they are set in embedded DejaVu
# fonts, which have the letters of Europe's languages, Greek and Cyrillic. The fixed
# texts use the PDF standard fonts.
NAME_FONT = "DejaVuSerif-BoldItalic"
TITLE_FONT = "DejaVuSans-Bold"
NAVY = HexColor("#17324d")
GOLD = HexColor("#b08d1f")
GREY = HexColor("#5b6670")

TEXTS = {
    "en": {
        "title": "Certificate",
        "certifies": "This certifies that",
        "passed": "has passed the certification exam of the course",
        "issued": "Issued",
        "valid_until": "Valid until",
        "code": "Verification code",
        "id": "Certificate ID",
        "verify": "Scan the code or enter it to check this certificate.",
        "months": "January February March April May June July August September October "
        "November December",
    },
    "nl": {
        "title": "Certificaat",
        "certifies": "Hierbij verklaren wij dat",
        "passed": "is geslaagd voor het certificeringsexamen van de cursus",
        "issued": "Uitgegeven",
        "valid_until": "Geldig tot",
        "code": "Verificatiecode",
        "id": "Certificaat-ID",
        "verify": "Scan de code of voer hem in om dit certificaat te controleren.",
        "months": "januari februari maart april mei juni juli augustus september oktober "
        "november december",
    },
}


class CertificatePdfError(Exception):
    """A file that is not a readable PDF certificate."""


@dataclass(frozen=True)
class Line:
    """One line of text on the page: where, in which font, aligned how."""

    text: str
    x: float
    y: float
    font: str
    size: float
    colour: Any = NAVY
    align: str = "centre"  # centre | left | right


def long_date(day: dt.date, language: str) -> str:
    """``1 December 2026`` / ``1 december 2026``."""
    return f"{day.day} {TEXTS[language]['months'].split()[day.month - 1]} {day.year}"


def qr_text(claims: dict[str, Any]) -> str:
    """What the QR code carries: the verification page with the code, or the code alone."""
    return claims["verify_url"].replace("{code}", claims["code"]) or claims["code"]


def layout(claims: dict[str, Any]) -> list[Line]:
    """Every text line of the certificate for these claims (also what verification expects)."""
    words = TEXTS[claims["language"]]
    width, height = landscape(A4)
    middle = width / 2
    issued = dt.date.fromisoformat(claims["issued"])
    expires = dt.date.fromisoformat(claims["expires"])
    left, bottom = 30 * mm, 30 * mm
    for font in (NAME_FONT, TITLE_FONT):
        embedded_font(font)  # registered before any width is measured or text drawn
    return [
        Line(claims["organisation"].upper(), middle, height - 42 * mm, TITLE_FONT, 13, GREY),
        Line(words["title"].upper(), middle, height - 66 * mm, "Times-Bold", 44),
        Line(words["certifies"], middle, height - 86 * mm, "Times-Italic", 16, GREY),
        Line(claims["name"], middle, height - 104 * mm, NAME_FONT, _fit(claims["name"], 36, width)),
        Line(words["passed"], middle, height - 120 * mm, "Times-Italic", 16, GREY),
        Line(
            claims["course"],
            middle,
            height - 134 * mm,
            TITLE_FONT,
            _fit(claims["course"], 22, width, TITLE_FONT),
        ),
        Line(words["issued"], left, bottom + 22 * mm, "Helvetica", 9, GREY, "left"),
        Line(
            long_date(issued, claims["language"]),
            left,
            bottom + 16 * mm,
            "Helvetica-Bold",
            13,
            align="left",
        ),
        Line(words["valid_until"], left + 62 * mm, bottom + 22 * mm, "Helvetica", 9, GREY, "left"),
        Line(
            long_date(expires, claims["language"]),
            left + 62 * mm,
            bottom + 16 * mm,
            "Helvetica-Bold",
            13,
            align="left",
        ),
        Line(
            f"{words['id']}  {claims['certificate']}",
            left,
            bottom + 4 * mm,
            "Helvetica",
            8,
            GREY,
            "left",
        ),
        Line(words["code"], width - 72 * mm, bottom + 22 * mm, "Helvetica", 9, GREY, "right"),
        Line(
            show_code(claims["code"]),
            width - 72 * mm,
            bottom + 15 * mm,
            "Courier-Bold",
            15,
            align="right",
        ),
        Line(words["verify"], width - 72 * mm, bottom + 4 * mm, "Helvetica", 8, GREY, "right"),
    ]


@functools.cache
def embedded_font(name: str) -> TTFont:
    """One of the embedded fonts, registered with reportlab on first use."""
    font = TTFont(name, str(FONTS_DIR / f"{name}.ttf"))
    pdfmetrics.registerFont(font)
    return font


def _fit(text: str, size: float, page_width: float, font: str = NAME_FONT) -> float:
    """The font size at which ``text`` fits between the frame's margins (at most ``size``)."""
    room = page_width - 70 * mm
    wide = stringWidth(text, font, size)
    return size if wide <= room else round(size * room / wide, 1)


def printable(text: str, font: str = NAME_FONT) -> bool:
    """Whether ``font`` has every letter of ``text``."""
    letters = embedded_font(font).face.charWidths
    return all(ord(letter) in letters for letter in text if not letter.isspace())


def render(claims: dict[str, Any], token: str, path: Path | str) -> Path:
    """Write the certificate for ``claims`` with its signed ``token`` to ``path``, unsigned.

    This is the PDF as issued before certificates carried a PDF signature; ``certify``
    signs :func:`document` instead (:mod:`grader.certificates.pdf_signature`).
    """
    path = Path(path)
    path.write_bytes(document(claims, token))
    return path


def document(claims: dict[str, Any], token: str) -> bytes:
    """The certificate for ``claims`` as PDF bytes, its signed ``token`` in the metadata."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.setTitle(f"{TEXTS[claims['language']]['title']}: {claims['name']}")
    canvas.setAuthor(claims["organisation"])
    canvas.setSubject(claims["course"])
    _frame(canvas, width, height)
    for line in layout(claims):
        canvas.setFont(line.font, line.size)
        canvas.setFillColor(line.colour)
        draw = {"centre": canvas.drawCentredString, "left": canvas.drawString}.get(
            line.align, canvas.drawRightString
        )
        draw(line.x, line.y, line.text)
    _qr(canvas, qr_text(claims), width - 64 * mm, 30 * mm, 34 * mm)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    writer.add_metadata({JWS_KEY: token})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    canvas.setLineWidth(1.2)
    middle = width / 2
    for y in (height - 74 * mm, height - 146 * mm):
        canvas.line(middle - 40 * mm, y, middle + 40 * mm, y)


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(text, barLevel="M", barBorder=0)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    widget.barFillColor = NAVY
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


@dataclass(frozen=True)
class PdfContent:
    token: str | None  # the signed claims kept in the document information
    text: str  # the text the page shows
    pages: int
    images: int


def read_pdf(path: Path | str, *, text: bool = True) -> PdfContent:
    """The JWS and the visible text of a certificate PDF (without ``text``, the JWS only)."""
    try:
        reader = PdfReader(str(path))
        token = (reader.metadata or {}).get(JWS_KEY)
        shown = "\n".join(page.extract_text() or "" for page in reader.pages) if text else ""
        images = sum(_pictures(page) for page in reader.pages)
    except (PdfReadError, OSError, ValueError, KeyError) as error:
        raise CertificatePdfError(f"{path}: is not a readable PDF ({error})") from None
    return PdfContent(str(token) if token else None, shown, len(reader.pages), images)


def _pictures(page) -> int:
    """Images and embedded pages drawn on ``page`` (an issued certificate has none)."""
    resources = page.get("/Resources")
    objects = resources.get_object().get("/XObject") if resources else None
    return len(objects.get_object()) if objects else 0


def shown_as_expected(content: PdfContent, claims: dict[str, Any]) -> list[str]:
    """What differs between the page and the signed claims (empty when nothing does).

    Each signed line must be on the page, and the page must show nothing else: no extra
    text, no second page, no pasted picture.
    """
    shown = "".join(content.text.split())
    problems = []
    labels = {"name": "name", "issued": "date of issue", "expires": "expiry date"}
    for key, label in labels.items():
        value = claims[key]
        if key != "name":
            value = long_date(dt.date.fromisoformat(value), claims["language"])
        if "".join(value.split()) not in shown:
            problems.append(f"the {label} shown is not the one signed ({value})")
    expected = "".join("".join(line.text.split()) for line in layout(claims))
    if not problems and len(shown) != len(expected):
        problems.append("the page shows text that was not signed")
    if not problems and any("".join(line.text.split()) not in shown for line in layout(claims)):
        problems.append("the page does not show every signed line")
    if content.pages != 1 or content.images:
        problems.append("the document has pages or pictures that were not issued")
    return problems

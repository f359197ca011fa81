"""Forgeries as made with a PDF editor: incremental updates that leave the signed bytes and
the page's text alone, and changes to the bytes themselves."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from grader.certificates import pdf

WIDTH, HEIGHT = landscape(A4)
NAME_BOX = (120, 285, WIDTH - 240, 45)  # where the learner's name is printed
QR_BOX = (WIDTH - 64 * mm, 30 * mm, 34 * mm)  # where the QR code is: x, y, size
# Letters drawn as strokes in a unit box: a name that text extraction cannot see.
STROKES = {
    "E": [[(1, 1), (0, 1), (0, 0), (1, 0)], [(0, 0.5), (0.7, 0.5)]],
    "V": [[(0, 1), (0.5, 0), (1, 1)]],
}


def _update(path: Path, change) -> None:
    """Append one incremental update made by ``change(writer, page_ref)`` to ``path``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()))
    page_ref, _ = writer.find_page_for_modification(0)
    change(writer, page_ref)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


def draw_over(path: Path, content: bytes) -> None:
    """An update that adds a content stream drawn over the page."""

    def change(writer, page_ref) -> None:
        stream = writer.add_object(generic.StreamObject(stream_data=content))
        writer.add_stream_to_page(0, stream)

    _update(path, change)


def white_box(x: float, y: float, width: float, height: float) -> bytes:
    return f"q 1 1 1 rg {x} {y} {width} {height} re f Q\n".encode()


def vector_name(text: str, x: float, y: float, size: float) -> bytes:
    """``text`` as stroked paths, not as text."""
    ops = [f"q 0.09 0.2 0.3 RG {size / 12:.1f} w"]
    for letter in text:
        for stroke in STROKES[letter]:
            (first, *rest) = [(x + px * size * 0.7, y + py * size) for px, py in stroke]
            ops.append(f"{first[0]:.1f} {first[1]:.1f} m")
            ops += [f"{px:.1f} {py:.1f} l" for px, py in rest]
            ops.append("S")
        x += size
    ops.append("Q")
    return ("\n".join(ops) + "\n").encode()


def draw_another_name_as_paths(path: Path) -> None:
    draw_over(path, white_box(*NAME_BOX) + vector_name("EVE", WIDTH / 2 - 50, 290, 30))


def paste_inline_image(path: Path) -> None:
    """A white inline image (``BI … ID … EI``) over the name: no XObject, no text."""
    x, y, width, height = NAME_BOX
    image = b"BI /W 1 /H 1 /CS /G /BPC 8 ID \xff EI"
    draw_over(path, f"q {width} 0 0 {height} {x} {y} cm\n".encode() + image + b"\nQ\n")


def stamp_over_the_name(path: Path, text: str = "Eve Mallory") -> None:
    """A Stamp annotation whose appearance covers the name with another one."""
    x, y, width, height = NAME_BOX
    appearance = (
        white_box(0, 0, width, height)
        + f"BT /F1 30 Tf 0.09 0.2 0.3 rg 180 12 Td ({text}) Tj ET\n".encode()
    )

    def change(writer, page_ref) -> None:
        font = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            }
        )
        form = generic.StreamObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/XObject"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Form"),
                generic.pdf_name("/BBox"): _numbers(0, 0, width, height),
                generic.pdf_name("/Resources"): generic.DictionaryObject(
                    {
                        generic.pdf_name("/Font"): generic.DictionaryObject(
                            {generic.pdf_name("/F1"): font}
                        )
                    }
                ),
            },
            stream_data=appearance,
        )
        annotation = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Stamp"),
                generic.pdf_name("/Rect"): _numbers(x, y, x + width, y + height),
                generic.pdf_name("/F"): generic.NumberObject(4),
                generic.pdf_name("/AP"): generic.DictionaryObject(
                    {generic.pdf_name("/N"): writer.add_object(form)}
                ),
            }
        )
        writer.register_annotation(page_ref, writer.add_object(annotation))

    _update(path, change)


def qr_code(claims: dict[str, Any]) -> bytes:
    """The content stream that draws the QR code of ``claims`` where certificates have it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=0, invariant=1)
    pdf._qr(canvas, pdf.qr_text(claims), *QR_BOX)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0].get_contents().get_data()


def replace_qr(path: Path, other_claims: dict[str, Any]) -> None:
    """Cover the QR code and draw another certificate's in its place."""
    x, y, size = WIDTH - 64 * mm, 30 * mm, 34 * mm
    draw_over(path, white_box(x - 2, y - 2, size + 4, size + 4) + qr_code(other_claims))


def crop_away_dates_and_qr(path: Path) -> None:
    """A CropBox that shows the page above the dates, the code and the QR code only."""

    def change(writer, page_ref) -> None:
        page_ref.get_object()[generic.pdf_name("/CropBox")] = _numbers(0, 200, WIDTH, HEIGHT)
        writer.mark_update(page_ref)

    _update(path, change)


def flip_byte(path: Path, inside: bytes) -> None:
    """Change one byte of the first occurrence of ``inside`` (in the signed range)."""
    data = bytearray(path.read_bytes())
    at = data.index(inside) + len(inside) // 2
    data[at] ^= 0x20
    path.write_bytes(bytes(data))


def strip_pdf_signature(path: Path) -> None:
    """Write the file again without its signature field, signature or permissions."""
    writer = PdfWriter(clone_from=PdfReader(path))
    for key in ("/AcroForm", "/Perms"):
        if key in writer._root_object:
            del writer._root_object[key]
    page = writer.pages[0]
    if "/Annots" in page:
        del page["/Annots"]
    with path.open("wb") as stream:
        writer.write(stream)


def _numbers(*values: float) -> generic.ArrayObject:
    return generic.ArrayObject([generic.FloatObject(round(v, 2)) for v in values])

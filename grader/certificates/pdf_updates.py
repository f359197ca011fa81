"""Name what an incremental update added to a signed PDF, so a forgery says what it is.

A PDF can be changed without touching its signed bytes by appending an update: a content
stream that draws over the page, an annotation, a new page box. Such a file is never
genuine (:mod:`grader.certificates.pdf_signature` refuses anything after the signature);
this module only compares the signed revision with the file as it is now to tell the person
checking what was added. Nothing here decides whether a file is genuine.
"""

from __future__ import annotations

import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import PdfHandler

BOXES = ("/CropBox", "/MediaBox", "/TrimBox", "/BleedBox", "/ArtBox", "/Rotate")
TEXT = {"Tj", "TJ", "'", '"'}
PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s"}
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]()<>{}%]*|%[^\r\n]*")
_WORD = re.compile(rb"[A-Za-z'\"][A-Za-z0-9*'\"]*")
_INLINE_DATA = re.compile(rb"\bID\s.*?\sEI\b", re.DOTALL)
UP = {"/Parent", "/P"}  # links back up the tree: not followed when comparing
MAX_PAGES = 50  # a certificate has one page; a file with very many is described briefly


def changes_after(reader: PdfFileReader, signed_revision: int) -> list[str]:
    """What the file has now that its signed revision did not (plain phrases)."""
    updates = reader.xrefs.total_revisions - 1 - signed_revision
    if updates <= 0:
        return ["bytes were added after the signed ones"]
    try:
        then = reader.get_historical_resolver(signed_revision)
        found = _compare_pages(_pages(then), _pages(reader))
        found += _compare_document(then, reader)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError):
        found = []
    plural = "s" if updates > 1 else ""
    return found or [f"{updates} update{plural} appended to the file"]


def _pages(handler: PdfHandler) -> list[generic.DictionaryObject]:
    pages: list[generic.DictionaryObject] = []
    todo, seen = [handler.root.raw_get("/Pages")], set()
    while todo and len(pages) < MAX_PAGES:
        ref = todo.pop(0)
        key = getattr(ref, "reference", ref)
        if isinstance(key, generic.Reference):
            if (key.idnum, key.generation) in seen:
                continue
            seen.add((key.idnum, key.generation))
        node = ref.get_object()
        if node.get("/Type") == "/Pages":
            todo = list(node.raw_get("/Kids")) + todo
        else:
            pages.append(node)
    return pages


def _compare_pages(
    then: list[generic.DictionaryObject], now: list[generic.DictionaryObject]
) -> list[str]:
    found = []
    if len(now) != len(then):
        found.append(f"the number of pages changed from {len(then)} to {len(now)}")
    for number, (old, new) in enumerate(zip(then, now, strict=False), start=1):
        where = f"on page {number}" if len(now) > 1 else "on the page"
        found += [f"{what} {where}" for what in _drawn(old, new)]
        found += [f"{what} {where}" for what in _annotations(old, new)]
        for box in BOXES:
            if _plain(old.get(box)) != _plain(new.get(box)):
                verb = "added" if box not in old else "changed"
                found.append(f"a {box[1:]} {verb} {where}, which hides or moves part of it")
    return found


def _drawn(old: generic.DictionaryObject, new: generic.DictionaryObject) -> list[str]:
    """Content streams and resources the page has now and had not when signed."""
    signed = {_plain(stream.get_object().data) for stream in _contents(old)}
    found = []
    for stream in _contents(new):
        data = stream.get_object().data
        if _plain(data) not in signed:
            found.append("a content stream drawing " + describe_content(data))
    old_objects = _xobjects(old)
    for name, xobject in _xobjects(new).items():
        if name not in old_objects or _plain(old_objects[name]) != _plain(xobject):
            kind = "an image" if xobject.get("/Subtype") == "/Image" else "a drawing"
            found.append(f"{kind} ({name}) added to the page's resources")
    return found


def describe_content(data: bytes) -> str:
    """What a content stream draws: vector shapes, text, an inline image, placed objects."""
    bare = _STRING.sub(b" ", _INLINE_DATA.sub(b" ", data))
    words = {word.decode("latin-1") for word in _WORD.findall(bare)}
    kinds = []
    if "BI" in words:
        kinds.append("an inline image")
    if words & TEXT:
        kinds.append("text")
    if words & PAINT:
        kinds.append("vector shapes")
    if "Do" in words:
        kinds.append("images or drawings from the resources")
    return " and ".join(kinds) or "something"


def _annotations(old: generic.DictionaryObject, new: generic.DictionaryObject) -> list[str]:
    before = [_plain(annotation.get_object()) for annotation in _array(old, "/Annots")]
    found = []
    for annotation in _array(new, "/Annots"):
        annotation = annotation.get_object()
        if _plain(annotation) not in before:
            subtype = str(annotation.get("/Subtype", "/unknown"))[1:]
            found.append(f"a {subtype} annotation")
    return found


def _compare_document(then: PdfHandler, now: PdfFileReader) -> list[str]:
    found = []
    old_root, new_root = then.root, now.root
    changed = sorted(
        key
        for key in set(old_root) | set(new_root)
        if key not in {"/Pages"} and _plain(old_root.get(key)) != _plain(new_root.get(key))
    )
    if changed:
        found.append("the document catalogue changed (" + ", ".join(changed) + ")")
    if len(now.embedded_signatures) > 1:
        found.append("another signature")
    old_info, new_info = then.trailer_view.get("/Info"), now.trailer_view.get("/Info")
    if _plain(old_info) != _plain(new_info):
        found.append("the document information changed")
    return found


def _get(container: generic.DictionaryObject, key: str) -> generic.PdfObject | None:
    value = container.get(key)
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def _contents(page: generic.DictionaryObject) -> list:
    contents = _get(page, "/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, generic.ArrayObject) else [contents]


def _array(page: generic.DictionaryObject, key: str) -> list:
    value = _get(page, key)
    return list(value) if isinstance(value, generic.ArrayObject) else []


def _xobjects(page: generic.DictionaryObject) -> dict[str, generic.PdfObject]:
    resources = _get(page, "/Resources")
    xobjects = _get(resources, "/XObject") if isinstance(resources, dict) else None
    if not isinstance(xobjects, dict):
        return {}
    return {str(name): xobject.get_object() for name, xobject in xobjects.items()}


def _plain(value: object, depth: int = 0) -> object:
    """A PDF value as plain Python, references resolved (to compare two revisions)."""
    if depth > 12:
        return "…"
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    if isinstance(value, generic.StreamObject):
        items = {k: _plain(v, depth + 1) for k, v in value.items() if k != "/Length"}
        return ("stream", tuple(sorted(items.items())), value.data)
    if isinstance(value, dict):
        items = {k: _plain(v, depth + 1) for k, v in value.items() if k not in UP}
        return tuple(sorted(items.items()))
    if isinstance(value, list):
        return tuple(_plain(v, depth + 1) for v in value)
    return value

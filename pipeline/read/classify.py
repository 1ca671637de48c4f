"""Which pages are read from their text layer and which are pictures of paper to OCR: one rule;
and which pictures of paper bring their own text layer (sandwich PDFs).

A page is OCR'd when its text layer cannot be trusted — mostly glyphs without a Unicode map
(``(cid:123)`` or U+FFFD, pdfplumber #29, #159) — or when it is a picture with hardly any text
on it. Every reader of pages (the text layer, the fast pdfium reading, blind copies) asks here.
"""

from __future__ import annotations

import re

#: fewer visible characters than this and a page is no text page
MIN_TEXT_CHARS = 20
#: share of unmapped glyphs above which the text layer is garbage
MAX_UNMAPPED = 0.3
#: share of the page covered by images above which a page without text is a picture
MIN_IMAGE_SHARE = 0.3

_UNMAPPED = re.compile(r"\(cid:\d+\)")


def needs_ocr(text: str, image_share: float) -> bool:
    """Whether a page with this text layer and this share of its area in images must be OCR'd."""
    if text:
        unmapped = sum(len(m) for m in _UNMAPPED.findall(text)) + text.count("\ufffd")
        if unmapped / len(text) > MAX_UNMAPPED:
            return True
    if len(text.strip()) >= MIN_TEXT_CHARS:
        return False
    return image_share > MIN_IMAGE_SHARE


def plumber_page_needs_ocr(page) -> bool:
    """:func:`needs_ocr` for a pdfplumber page."""
    text = "".join(c["text"] for c in page.chars)
    area = float(page.width * page.height) or 1.0
    images = sum(max(0.0, (i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images)
    return needs_ocr(text, images / area)


def is_sandwich(page, image_share: float | None = None) -> bool:
    """Whether a pdfplumber page with a text layer is a sandwich: a picture of paper covering the
    page, no ruling lines drawn, and text over it (a scanner's or OCRmyPDF's own OCR, usually
    invisible). Its words come from the text layer; its cells and marks must come from the picture.

    ``image_share``: the share of the page its pictures cover, where pdfium measured it: a typed
    page with no picture so large is no sandwich, and pdfplumber need not parse its drawing (which
    took three quarters of a text page's reading)."""
    if image_share is not None and image_share < SANDWICH_SHARE:
        return False
    area = float(page.width * page.height) or 1.0
    images = sum(max(0.0, (i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images)
    return images >= SANDWICH_SHARE * area and len(page.edges) <= 4


#: a sandwich's picture covers at least this share of its page
SANDWICH_SHARE = 0.8


def pdfium_image_share(page) -> float:
    """Share of a pypdfium2 page covered by its pictures (their bounding boxes, summed)."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    area = float(width * height) or 1.0
    covered = 0.0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        x0, y0, x1, y1 = image.get_bounds()
        covered += max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return covered / area


#: colour spaces (PDF names) of pictures without colour
_GREY_SPACES = {"DeviceGray", "CalGray", "G"}


def images_in_colour(page) -> bool | None:
    """Whether the pictures on a pdfplumber page hold colour: False when every one is greyscale or
    black and white (then red cannot be told on that page), None when the page has none."""
    found = False
    for image in page.images:
        found = True
        if image.get("imagemask") or image.get("bits") == 1:
            continue
        if _space_name(image.get("colorspace")) not in _GREY_SPACES:
            return True
    return False if found else None


def _space_name(space) -> str:
    """The name of a colour space as pdfplumber gives it (a list of names and streams; an
    ICCBased space counts by its number of components)."""
    from pdfminer.pdftypes import resolve1

    if isinstance(space, (list, tuple)) and space:
        first = resolve1(space[0])
        name = getattr(first, "name", str(first)).lstrip("/")
        if name == "ICCBased" and len(space) > 1:
            stream = resolve1(space[1])
            components = resolve1(getattr(stream, "attrs", {}).get("N"))
            return "DeviceGray" if components == 1 else "ICCBased"
        return name
    return str(getattr(space, "name", space) or "").lstrip("/")

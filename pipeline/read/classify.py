"""Which pages are read from their text layer and which are pictures of paper to OCR: one rule.

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

"""One scanned page read into the page model: deskew, the grid, seals, OCR words.

``read_scan`` turns one RGB page image into a ``PageLayout`` (``source="ocr"``) whose words,
cells and seals are in points (pixels × 72 / dpi) measured on the *deskewed* image, which is
returned alongside so that ink can be measured later in the same frame. The steps follow
FIELD-NOTES「Reading scans」:

1. deskew from the table's horizontal rules (:mod:`pipeline.read.deskew`);
2. seals by colour (:mod:`pipeline.read.seals`), then red ink painted out so the seal's
   characters never enter a field, and print under the seal kept (:func:`ink.without_red`);
3. cells from the ruling lines (:mod:`pipeline.read.grid`);
4. OCR words on the page with rules painted out (:mod:`pipeline.read.ocr_words`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .deskew import estimate_skew, rotate
from .grid import closing_rules, find_cells, rule_masks, vertical_rules
from .ink import without_red
from .ocr_words import CHAR_MIN_PT, ocr_words, reading_order, unread_cells
from .page import Box, PageLayout
from .seals import find_seals


@dataclass
class ScannedPage:
    """One scanned page read: the layout, the deskewed image it was measured on, its dpi."""

    layout: PageLayout
    image: np.ndarray
    dpi: float
    angle: float = 0.0  # degrees the scan was turned to straighten it (counter-clockwise +)


def read_scan(image: np.ndarray, dpi: float, number: int) -> ScannedPage:
    """Read one scanned page (RGB ``uint8``) into words, cells and seals in points."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("read_scan expects an RGB uint8 image (height × width × 3)")
    angle = estimate_skew(image, dpi)
    straight = rotate(image, angle) if abs(angle) >= 0.02 else image
    to_pt = 72.0 / dpi
    height, width = straight.shape[:2]

    seals = find_seals(straight, dpi)
    gray = without_red(straight)
    horizontal, vertical, k = rule_masks(gray, dpi, seals)
    cells = find_cells(cv2.bitwise_or(horizontal, closing_rules(horizontal, vertical, dpi * k / 72.0)),
                       vertical, k, dpi)

    # OCR input: red ink and ruling lines painted out, so neither the seal's characters nor a
    # rule read as "1" / "|" end up in a field.
    clean = gray.copy()
    rules_full = cv2.resize(cv2.bitwise_or(horizontal, vertical), (width, height), interpolation=cv2.INTER_NEAREST)
    grow = max(3, int(round(1.2 * dpi / 72)) | 1)
    clean[cv2.dilate(rules_full, np.ones((grow, grow), np.uint8)) > 0] = 255
    rules = vertical_rules(vertical, k)
    del gray, rules_full, horizontal, vertical  # free before the OCR engine's peak
    # a 「1」 read off a rule's stub (a box a point across) is no word; the smallest mark is larger
    words = [w for w in ocr_words(clean, dpi, rules) if max(w.x1 - w.x0, w.bottom - w.top) >= CHAR_MIN_PT / 2]
    words = reading_order(words + unread_cells(clean, dpi, cells, words))

    layout = PageLayout(
        number=number,
        width=width * to_pt,
        height=height * to_pt,
        words=words,
        cells=[Box(float(c.x0 * to_pt), float(c.top * to_pt), float(c.x1 * to_pt), float(c.bottom * to_pt))
               for c in cells],
        seals=seals,
        source="ocr",
    )
    return ScannedPage(layout=layout, image=straight, dpi=dpi, angle=angle)

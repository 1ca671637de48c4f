"""One page image read into the page model: made upright, its grid, seals and words.

``read_scan`` turns one RGB page image into a ``PageLayout`` whose words, cells and seals are in
points (pixels × 72 / dpi) measured on the *straightened* image, and says how it straightened it
(:class:`Straightening`), so that the same pixels can be made again to measure ink later. The
steps follow FIELD-NOTES「Reading scans」 and what returned forms taught:

1. a phone photo: the sheet found by its corners and flattened, its light evened out, and once
   upright its table's outer rules squared (:mod:`pipeline.read.photo`);
2. a page turned 90°, 180° or 270° inside the image turned upright (:mod:`pipeline.read.orient`);
3. deskew from the table's horizontal rules (:mod:`pipeline.read.deskew`);
4. seals: red round seals by colour (:mod:`pipeline.read.seals`), then red ink painted out so the
   seal's characters never enter a field (print under the seal kept); on a page without colour,
   round seal outlines in the dark ink, which a person must judge, and the words OCR read off
   their arcs of characters dropped;
5. cells from the ruling lines (:mod:`pipeline.read.grid`);
6. words: OCR on the page with rules painted out (:mod:`pipeline.read.ocr_words`), or, for a
   sandwich PDF (a scanner's page image with its own invisible text), that text layer's words.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .deskew import estimate_skew, rotate
from .grid import closing_rules, find_cells, rule_masks, vertical_rules
from .ink import has_colour, without_red
from .ocr_words import CHAR_MIN_PT, missed_lines, ocr_words, reading_order, unread_cells
from .orient import page_turn
from .page import Box, PageLayout, Word
from .photo import cut_sides, find_sheet, flatten, squared, table_square, widened
from .seals import find_seal_shapes, find_seals

#: times a photo's sheet is widened where its table runs into the border (WIDEN each time)
WIDEN_TRIES = 3
#: a round seal's arc of characters lies at about 0.72 of its radius (in radii, a word's centre):
#: without colour OCR reads them there one or two at a time, at odd angles, and they are no print
SEAL_ARC = (0.6, 0.9)
#: ... words of at most this many characters (print under a seal is read in longer pieces)
SEAL_ARC_CHARS = 2


@dataclass(frozen=True)
class Straightening:
    """How a page image was made upright: the sheet's corners in a photo (pixels, clockwise from
    top left), the quarter turn (degrees clockwise), the tilt (degrees counter-clockwise)."""

    corners: tuple[float, ...] | None = None
    turn: int = 0
    angle: float = 0.0
    #: in a photo, the perspective (3 × 3, row by row) that squared the table's rules last
    square: tuple[float, ...] | None = None

    def apply(self, image: np.ndarray, dpi: float) -> np.ndarray:
        """The same image made upright again, pixel for pixel."""
        if self.corners is not None:
            image = flatten(image, np.asarray(self.corners, dtype=np.float32).reshape(4, 2), dpi)
        if self.turn:
            image = np.ascontiguousarray(np.rot90(image, -self.turn // 90))
        if abs(self.angle) >= 0.02:
            image = rotate(image, self.angle)
        if self.square is not None:
            image = squared(image, self.square)
        return image


@dataclass
class ScannedPage:
    """One scanned page read: the layout, the straightened image it was measured on, its dpi."""

    layout: PageLayout
    image: np.ndarray
    dpi: float
    how: Straightening = Straightening()


def straighten(image: np.ndarray, dpi: float, *, turn: bool = True) -> tuple[Straightening, np.ndarray]:
    """How to make a page image upright, and the upright image (``turn``: look for quarter turns)."""
    corners = find_sheet(image)
    flat = flatten(image, corners, dpi) if corners is not None else image
    for _ in range(WIDEN_TRIES if corners is not None else 0):
        cut = cut_sides(flat, dpi)
        if not cut:
            break
        # an edge in shadow was found inside the sheet, and the table cut there: moved out
        corners = widened(corners, cut)
        flat = flatten(image, corners, dpi)
    quarter = page_turn(cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY), dpi) if turn else 0
    upright = np.ascontiguousarray(np.rot90(flat, -quarter // 90)) if quarter else flat
    angle = estimate_skew(upright, dpi)
    straight = rotate(upright, angle) if abs(angle) >= 0.02 else upright
    square = table_square(straight, dpi) if corners is not None else None
    how = Straightening(None if corners is None else tuple(float(v) for v in corners.ravel()), quarter, angle,
                        None if square is None else tuple(float(v) for v in square.ravel()))
    return how, straight if square is None else squared(straight, square)


def read_scan(image: np.ndarray, dpi: float, number: int, words: list[Word] | None = None,
              colour: bool | None = None) -> ScannedPage:
    """Read one page image (RGB ``uint8``) into words, cells and seals in points.

    ``colour``: whether the page's pictures hold colour, as the PDF says (None: not known, then
    judged from the pixels).
    ``words``: the page's own text layer (a sandwich PDF), in points of the page as drawn; the
    page is then not OCR'd, only straightened by its tilt, and the words are moved with it.
    """
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("read_scan expects an RGB uint8 image (height × width × 3)")
    sandwich = words is not None
    if sandwich:
        angle = estimate_skew(image, dpi)
        how = Straightening(angle=angle)
        straight = rotate(image, angle) if abs(angle) >= 0.02 else image
    else:
        how, straight = straighten(image, dpi)
    to_pt = 72.0 / dpi
    height, width = straight.shape[:2]

    colour = has_colour(straight) if colour is None else colour
    seals = find_seals(straight, dpi) if colour else find_seal_shapes(straight, dpi)
    gray = without_red(straight)
    horizontal, vertical, k, inked = rule_masks(gray, dpi, seals)
    cells = find_cells(cv2.bitwise_or(horizontal, closing_rules(horizontal, vertical, dpi * k / 72.0)),
                       vertical, k, dpi)

    if sandwich:
        words = _moved(words, how.angle, width * to_pt, height * to_pt)
    else:
        # OCR input: red ink and ruling lines painted out, so neither the seal's characters nor
        # a rule read as "1" / "|" end up in a field (a seal without colour stays: print under it
        # would go with it).
        clean = gray.copy()
        rules_full = cv2.resize(inked, (width, height), interpolation=cv2.INTER_NEAREST)
        grow = max(3, int(round(1.2 * dpi / 72)) | 1)
        clean[cv2.dilate(rules_full, np.ones((grow, grow), np.uint8)) > 0] = 255
        rules = vertical_rules(vertical, k, cells, dpi)
        del rules_full
        # a 「1」 read off a rule's stub (a box a point across) is no word; the smallest mark is larger
        k = dpi / 72.0
        # a line running under a seal is read in pieces: what lies beside the seal reads cleanly
        # even where the print under it does not (dark seal ink, or no colour to part it by)
        discs = [(s.centre[0] * k, s.centre[1] * k, s.radius * k) for s in seals]
        found = [w for w in ocr_words(clean, dpi, rules, discs)
                 if max(w.x1 - w.x0, w.bottom - w.top) >= CHAR_MIN_PT / 2]
        found += unread_cells(clean, dpi, cells, found)
        words = reading_order(found + missed_lines(clean, dpi, cells, found, discs))
        if not colour:
            words = [w for w in words if not _on_seal_arc(w, seals)]
    del gray, horizontal, vertical, inked

    layout = PageLayout(
        number=number,
        width=width * to_pt,
        height=height * to_pt,
        words=words,
        cells=[Box(float(c.x0 * to_pt), float(c.top * to_pt), float(c.x1 * to_pt), float(c.bottom * to_pt))
               for c in cells],
        seals=seals,
        source="ocr",
        kind="sandwich" if sandwich else "photo" if how.corners is not None else "scan",
        colour=colour,
        turned=how.turn,
    )
    return ScannedPage(layout=layout, image=straight, dpi=dpi, how=how)


def _on_seal_arc(word: Word, seals) -> bool:
    """A word OCR read off a colourless seal's arc of characters (indep K/009 「NA」, J/020 「福」
    「科」 ended up as a last line of the 意见): short, wholly inside the seal's disc, its centre
    on the arc."""
    if len(word.text.strip()) > SEAL_ARC_CHARS:
        return False
    for seal in seals:
        (cx, cy), r = seal.centre, seal.radius
        corners = ((word.x0, word.top), (word.x1, word.top), (word.x0, word.bottom), (word.x1, word.bottom))
        middle = np.hypot((word.x0 + word.x1) / 2 - cx, (word.top + word.bottom) / 2 - cy) / r
        if SEAL_ARC[0] <= middle <= SEAL_ARC[1] and all(np.hypot(x - cx, y - cy) < r for x, y in corners):
            return True
    return False


def _moved(words: list[Word], angle: float, width: float, height: float) -> list[Word]:
    """Words of the page as drawn, where they are on the page turned by ``angle`` (deskewed)."""
    if abs(angle) < 0.02:
        return list(words)
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    moved = []
    for word in words:
        corners = np.array([[word.x0, word.top, 1], [word.x1, word.top, 1], [word.x1, word.bottom, 1],
                            [word.x0, word.bottom, 1]], dtype=np.float64) @ matrix.T
        (x0, top), (x1, bottom) = corners.min(axis=0), corners.max(axis=0)
        moved.append(Word(float(x0), float(top), float(x1), float(bottom), text=word.text, score=word.score))
    return reading_order(moved)

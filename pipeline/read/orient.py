"""Which way up a scanned page is: turned 90, 180 or 270 degrees inside the image, or upright.

Text lines of a form run across the page: on a page turned 90° or 270° the detector's line
boxes stand tall. Which of the two turns (or 0° against 180°) reads is told by the recogniser:
the longest lines read upright give confident text, upside down they do not.
"""

from __future__ import annotations

import cv2
import numpy as np

from .ocr import detect_lines, recognise

#: the resolution lines are looked for at (a page's print is still ~8 px high)
ORIENT_DPI = 60.0
#: lines recognised to tell the two candidate turns apart
_LINES = 6
#: upright text of a form reads with at least this mean confidence: the other turn is not tried
_SURE = 0.85
#: a box is a line of print when its long side is this many times its short side
LINE_ASPECT = 3.0
#: a page runs sideways when its tall lines outmeasure its wide ones this many times (a form's
#: stacked label columns are a few tall boxes among many wide lines)
SIDEWAYS = 2.0
#: and a page turned sideways shows at least this many of them (a form page shows dozens)
MIN_LINES = 4


def page_turn(gray: np.ndarray, dpi: float) -> int:
    """Degrees (0, 90, 180, 270) to turn the page clockwise so that its text reads upright."""
    scale = min(1.0, ORIENT_DPI / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    boxes = []
    for quad in detect_lines(small):
        x0, y0 = quad.min(axis=0) / scale
        x1, y1 = quad.max(axis=0) / scale
        boxes.append((int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))))
    # a line of print is long: a lone character or a short word (a label stacked one character
    # a line stands as a tall box) says nothing of which way the page runs
    boxes = [b for b in boxes if max(b[2] - b[0], b[3] - b[1]) >= LINE_ASPECT * min(b[2] - b[0], b[3] - b[1])]
    if not boxes:
        return 0
    if len(boxes) < 2 * MIN_LINES:
        # A page with few lines (a form's last page: an opinion, a date; a row run over onto a
        # page of its own) gives the detector's shapes too little to go by, and a label stacked
        # a character a line reads as well turned as upright. The sheet's own shape tells: a
        # form's page is portrait, so an image wider than tall was turned sideways. The
        # recogniser tells which way round.
        landscape = gray.shape[1] > gray.shape[0]
        longest = sorted(boxes, key=lambda b: max(b[2] - b[0], b[3] - b[1]), reverse=True)[:_LINES]
        crops = [c for c in (_crop(gray, box, dpi) for box in longest) if c.size]
        first, second = (90, 270) if landscape else (0, 180)
        return first if _confidence(crops, first) >= _confidence(crops, second) else second
    across = sum(x1 - x0 for x0, y0, x1, y1 in boxes if x1 - x0 >= y1 - y0)
    down = sum(y1 - y0 for x0, y0, x1, y1 in boxes if y1 - y0 > x1 - x0)
    tall = sum(1 for x0, y0, x1, y1 in boxes if y1 - y0 > x1 - x0)
    sideways = down > SIDEWAYS * across and tall >= MIN_LINES
    lines = sorted((b for b in boxes if ((b[3] - b[1]) > (b[2] - b[0])) == sideways),
                   key=lambda b: max(b[2] - b[0], b[3] - b[1]), reverse=True)[:_LINES]
    crops = [_crop(gray, box, dpi) for box in lines]
    crops = [c for c in crops if c.size]
    if not crops:
        return 0
    first, second = (90, 270) if sideways else (0, 180)
    score = _confidence(crops, first)
    if not sideways and score >= _SURE:
        return 0
    return first if score >= _confidence(crops, second) else second


def _crop(gray: np.ndarray, box, dpi: float) -> np.ndarray:
    """A line's crop at no more than 150 dpi (the recogniser's height is 48 px)."""
    x0, y0, x1, y1 = box
    pad = max(2, int(2 * dpi / 72))
    crop = gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
    if dpi > 150 and crop.size:
        crop = cv2.resize(crop, None, fx=150 / dpi, fy=150 / dpi, interpolation=cv2.INTER_AREA)
    return crop


def _confidence(crops: list[np.ndarray], turn: int) -> float:
    """Mean recognition confidence of the crops turned ``turn`` degrees clockwise."""
    turned = [np.ascontiguousarray(np.rot90(crop, -turn // 90)) for crop in crops]
    scores = [score for _, score in recognise(turned)]
    return float(np.mean(scores)) if scores else 0.0

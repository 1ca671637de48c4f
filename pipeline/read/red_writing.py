"""Red writing in a box of a page image, read by OCR: a red e-signature (a name set in a brush or
handwriting font, pasted as an image) stamped under or over a round 公章.

Its red is one with the seal's, so colour and blobs cannot tell it; what it says can. The red ink
of the box alone, black on white, goes to the text-line detector and the recogniser: the seal's
arc of characters and its star come along, but read as what they are — a piece of the unit's
name, or nothing — and the signer's name reads as that name.
"""

from __future__ import annotations

import numpy as np

from .ink import box_pixels, red_mask
from .ocr import detect_lines, recognise
from .page import Box

#: the recogniser's score below which a line's reading is not taken
MIN_SCORE = 0.5


def red_lines(image: np.ndarray, dpi: float, box: Box) -> list[str]:
    """The lines of red writing OCR reads in ``box`` (points), each as one string."""
    if image.ndim != 3:
        return []
    x0, y0, x1, y1 = box_pixels(box, dpi, image.shape)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    red = red_mask(image[y0:y1, x0:x1])
    if not red.any():
        return []
    ink = np.where(red > 0, 0, 255).astype(np.uint8)
    crops = []
    for quad in detect_lines(ink):
        qx0, qy0 = (int(max(0, v)) for v in quad.min(axis=0))
        qx1, qy1 = (int(v) + 1 for v in quad.max(axis=0))
        if qx1 - qx0 >= 4 and qy1 - qy0 >= 4:
            crops.append(ink[qy0:qy1, qx0:qx1])
    return [text.replace(" ", "") for text, score in recognise(crops or [ink]) if text and score >= MIN_SCORE]

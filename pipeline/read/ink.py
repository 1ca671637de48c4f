"""Ink on a page image: red seal ink, dark or blue writing, ruling lines — as masks and measures.

Everything here works on an RGB ``uint8`` page image at a known ``dpi`` and speaks points
(origin top left) to the caller, like the rest of the page model (:mod:`pipeline.read.page`):

- ``red_mask``: red ink (seals, red print), by colour;
- ``without_red`` / ``binary`` / ``dark``: the grey page with red ink painted out, and its ink;
- ``ink_mask`` / ``rule_mask``: dark or blue non-red ink with the ruling lines removed;
- ``ink_in``, ``ink_boxes``, ``written_slash``: how much ink is in a box, its blobs, and whether
  it is a lone 「/」 (OCR misses a lone "/", PaddleOCR #9690).
"""

from __future__ import annotations

from typing import Iterable

import cv2
import numpy as np

from .page import Box

# Ruling lines are straight strokes at least this long (points); the longest printed glyph
# stroke at form sizes (一 in a 16 pt heading) is about 15 pt.
RULE_MIN_PT = 30.0


# Ink smaller than this (points, longest side) is a speck of dirt, not writing: a 「/」 in
# 五号 print is about 8 pt tall, the dots of a scanned page 1–2 pt.
SPECK_PT = 4.0


def px(pt: float, dpi: float) -> int:
    return int(round(pt * dpi / 72.0))


def red_mask(image: np.ndarray) -> np.ndarray:
    """Pixels of red ink (seal ink, red print) as a 0/255 mask.

    HSV over two hue ranges, because red wraps round hue 0 (OpenCV hue is 0–179):
    0–10 and 156–179, with S ≥ 43 and V ≥ 46.
    """
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, 43, 46), (10, 255, 255))
    high = cv2.inRange(hsv, (156, 43, 46), (180, 255, 255))
    return cv2.bitwise_or(low, high)



def without_red(image: np.ndarray) -> np.ndarray:
    """Grey page with red ink painted paper-white (seals and red print are not rules or text)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    red = red_mask(image)
    if cv2.countNonZero(red):
        # Anti-aliased seal edges are pinkish-grey: widen the mask a little.
        red = cv2.dilate(red, np.ones((3, 3), np.uint8)) > 0
        paper = int(np.percentile(gray, 90))
        # Seal ink multiplies over toner: print under a seal is dark red, dark in the red
        # channel too, while the seal's own ink is nearly paper-white there (FIELD-NOTES: keep
        # the red channel). Painting the whole red mask out took the 「6」 of 「2026年」 under it.
        channel = image[..., 0]
        seal_only = red & (channel.astype(np.float32) > paper * 0.72)
        under = red & ~seal_only
        gray[seal_only] = paper
        gray[under] = channel[under]
    return gray


def binary(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0, the threshold relative to the paper (grey scan backgrounds)."""
    paper = float(np.percentile(gray, 90))
    return ((gray < paper * 0.7) * 255).astype(np.uint8)


def dark(clean: np.ndarray) -> np.ndarray:
    """Dark pixels of the cleaned page (relative to its paper, which is rarely white)."""
    return clean < float(np.percentile(clean, 90)) * 0.7



def ink_mask(image: np.ndarray, dpi: float) -> np.ndarray:
    """Dark or blue, non-red ink as a 0/255 mask, ruling lines removed.

    Black print and black or blue ballpoint count; red (seals, red print) does not. The
    threshold is relative to the paper, so a grey scan background is not ink.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    paper = float(np.percentile(gray, 90)) if gray.size else 255.0
    dark = gray < paper * 0.62
    r = image[..., 0].astype(np.int16)
    g = image[..., 1].astype(np.int16)
    b = image[..., 2].astype(np.int16)
    # Blue ballpoint is often lighter than black print: catch it by its colour.
    blue = (b - r > 40) & (b - g > 15) & (gray < paper * 0.85)
    ink = ((dark | blue) & (red_mask(image) == 0)).astype(np.uint8) * 255
    ink = cv2.bitwise_and(ink, cv2.bitwise_not(rule_mask(ink, dpi)))
    # Scanner dust: drop specks smaller than about 0.8 pt square.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    speck = max(2, int((0.8 * dpi / 72) ** 2))
    small = np.nonzero(stats[:, cv2.CC_STAT_AREA] < speck)[0]
    small = small[small != 0]
    if len(small):
        ink[np.isin(labels, small)] = 0
    return ink


def rule_mask(mask: np.ndarray, dpi: float, min_pt: float = RULE_MIN_PT) -> np.ndarray:
    """Long straight horizontal and vertical strokes of a 0/255 ink mask, slightly widened."""
    n = max(3, px(min_pt, dpi))
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    rules = cv2.bitwise_or(horizontal, vertical)
    # JPEG ringing and anti-aliasing leave a pixel or two beside each rule.
    grow = max(3, px(1.5, dpi) | 1)
    return cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (grow, grow)))


def _boxpx(box: Box, dpi: float, shape) -> tuple[int, int, int, int]:
    k = dpi / 72.0
    h, w = shape[:2]
    x0 = min(max(int(np.floor(box.x0 * k)), 0), w)
    x1 = min(max(int(np.ceil(box.x1 * k)), 0), w)
    y0 = min(max(int(np.floor(box.top * k)), 0), h)
    y1 = min(max(int(np.ceil(box.bottom * k)), 0), h)
    return x0, y0, x1, y1


def _ink_around(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box]):
    """Ink mask of ``box`` (computed with a margin so rules crossing the box stay long)."""
    margin = RULE_MIN_PT * 1.5
    outer = Box(box.x0 - margin, box.top - margin, box.x1 + margin, box.bottom + margin)
    ox0, oy0, ox1, oy1 = _boxpx(outer, dpi, image.shape)
    x0, y0, x1, y1 = _boxpx(box, dpi, image.shape)
    if x1 <= x0 or y1 <= y0:
        return None, 0
    ink = ink_mask(image[oy0:oy1, ox0:ox1], dpi)[y0 - oy0:y1 - oy0, x0 - ox0:x1 - ox0].copy()
    keep = np.ones(ink.shape, dtype=bool)
    for other in ignore:
        ix0, iy0, ix1, iy1 = _boxpx(other, dpi, image.shape)
        ix0, ix1 = max(ix0, x0) - x0, min(ix1, x1) - x0
        iy0, iy1 = max(iy0, y0) - y0, min(iy1, y1) - y0
        if ix1 > ix0 and iy1 > iy0:
            keep[iy0:iy1, ix0:ix1] = False
    ink[~keep] = 0
    return ink, int(keep.sum())


def ink_in(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box] = ()) -> float:
    """Share of ``box`` covered by dark non-red ink, rules and ``ignore`` boxes left out.

    The share is taken of the box's area minus the ignored parts. A signature scribble in a
    signer's area gives a few per cent; a lone "/" in a form cell about 0.3–1 %; a clean empty
    area 0.
    """
    ink, area = _ink_around(image, dpi, box, ignore)
    if ink is None or area == 0:
        return 0.0
    return cv2.countNonZero(ink) / float(area)


def written_slash(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box] = ()) -> bool | None:
    """Whether the ink in ``box`` is a hand- or typewritten 「/」: True, nothing written: False,
    something else (characters): None.

    Specks of dirt (under ``SPECK_PT``) do not count. A 「/」 is one thin stroke, taller than
    wide, leaning right: its pixels lie along a line whose x falls as y grows; a 「1」 or 「l」
    stands upright, and a character is not one thin line.
    """
    ink, _ = _ink_around(image, dpi, box, ignore)
    if ink is None:
        return False
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    speck = SPECK_PT * dpi / 72.0
    marks = [i for i in range(1, count) if max(stats[i, 2], stats[i, 3]) >= speck]
    if not marks:
        return False
    if len(marks) > 1:
        return None
    ys, xs = np.nonzero(labels == marks[0])
    height = float(ys.max() - ys.min() + 1)
    width = float(xs.max() - xs.min() + 1)
    if height < 1.2 * width or len(ys) < 3:
        return None
    slope, offset = np.polyfit(ys.astype(np.float64), xs.astype(np.float64), 1)
    spread = float(np.std(xs - (slope * ys + offset)))
    return bool(-1.0 <= slope <= -0.12 and spread <= 0.12 * height)


def ink_boxes(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box] = ()) -> list[Box]:
    """Connected blobs of dark non-red ink inside ``box``, in points (rules and ``ignore`` left out)."""
    ink, _ = _ink_around(image, dpi, box, ignore)
    if ink is None:
        return []
    x0, y0, _, _ = _boxpx(box, dpi, image.shape)
    # Join the strokes of one character or one scribble (about 1.5 pt apart).
    k = max(3, px(1.5, dpi) | 1)
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    to_pt = 72.0 / dpi
    pad = k // 2
    blobs = []
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        blobs.append(Box(float((x0 + x + pad) * to_pt), float((y0 + y + pad) * to_pt),
                         float((x0 + x + w - pad) * to_pt), float((y0 + y + h - pad) * to_pt)))
    blobs.sort(key=lambda b: (b.top, b.x0))
    return blobs


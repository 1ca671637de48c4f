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

    HSV over two hue ranges, because red wraps round hue 0 (OpenCV hue is 0–179): 0–12 and
    140–179 (dark and purplish reds too), saturation from 30 (a faded, pinkish stamp), and red
    standing clear of green, not below blue, so that grey paper, black print's anti-aliased
    edges and blue ballpoint never count.
    """
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, 30, 50), (12, 255, 255))
    high = cv2.inRange(hsv, (140, 30, 50), (180, 255, 255))
    hue = cv2.bitwise_or(low, high)
    if not cv2.countNonZero(hue):
        return hue
    red = image[..., 0].astype(np.int16)
    green = image[..., 1].astype(np.int16)
    blue = image[..., 2].astype(np.int16)
    # red well above green, and not below blue: red, dark red, a purplish or faded magenta stamp;
    # grey and black (all equal) and a blue or blue-violet pen (blue above red) are not
    return cv2.bitwise_and(hue, (((red - green >= 30) & (red >= blue - 10)) * 255).astype(np.uint8))


def has_colour(image: np.ndarray) -> bool:
    """Whether a page image holds colour at all: a greyscale or black-and-white scan has none (all
    three channels equal), so red ink cannot be told there."""
    if image.ndim != 3:
        return False
    step = max(1, image.shape[0] // 400)  # a few hundred rows are enough to tell
    sample = image[::step, ::step].astype(np.int16)
    chroma = sample.max(axis=2) - sample.min(axis=2)
    return bool(chroma.max() > 4)


def without_red(image: np.ndarray) -> np.ndarray:
    """Grey page with red ink painted paper-white (seals and red print are not rules or text)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    ink = red_mask(image) > 0
    if ink.any():
        # Anti-aliased seal edges are pinkish-grey: widen the mask a little.
        red = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        paper = int(np.percentile(gray, 90))
        # Seal ink multiplies over toner: print under a seal is dark in the red channel too,
        # while the seal's own ink is bright there (FIELD-NOTES: keep the red channel). Painting
        # the whole red mask out took the 「6」 of 「2026年」 under it; taking only nearly white red
        # for the seal's own left a dark red seal's ring and characters for OCR to read. Print
        # under a stamp is a stroke darker than the stamp's own ink around it, however bright or
        # dark that stamp is (a bright round seal, a dark red name seal beside it).
        channel = image[..., 0]
        # the stamp's own ink around each pixel: the brightest red-channel value of its saturated
        # ink nearby — not of the widened mask's paper or the pale fringe, brighter than any ink,
        # beside which the stamp's own strokes would pass for print under it
        hsv_s = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)[..., 1]
        core = ink & (hsv_s >= STAMP_CORE)
        reach = max(3, int(image.shape[1] / 595 * 3) | 1)  # about 3 pt on an A4 page
        kernel = np.ones((reach, reach), np.uint8)
        own = cv2.dilate(np.where(core, channel, 0).astype(np.uint8), kernel)
        fringe_only = cv2.dilate(np.where(ink, channel, 0).astype(np.uint8), kernel)
        own = np.where(own > 0, own, fringe_only)
        # ... and dark against the paper in the red channel, which no stamp's own ink is (its
        # darkest strokes keep half the paper's red; toner under a stamp keeps well under that)
        under = red & (channel.astype(np.float32) < SEAL_UNDER * own.astype(np.float32)) & (
            channel < UNDER_DARK * float(np.percentile(channel, 90)))
        gray[red & ~under] = paper
        gray[under] = channel[under]
    return gray


#: print under a stamp is darker in the red channel than this share of the stamp's own ink around
#: it (black toner under bright or dark red: ~0.1–0.3; under a thick, nearly opaque paste ~0.7)
SEAL_UNDER = 0.8
#: a stamp's own ink, not its pale anti-aliased fringe: this saturated (OpenCV 0–255)
STAMP_CORE = 80
#: print under a stamp keeps less than this share of the paper's brightness in the red channel
UNDER_DARK = 0.6
#: inside a seal on a page in colour, reddish or purplish ink this saturated (OpenCV 0–255) is the
#: seal's, not a pen's
SEAL_SATURATION = 50
#: a rule's pixels are darker than this share of the paper's brightness: lighter than print's 0.7,
#: because a thin rule straightened (interpolated), reduced or photographed spreads over two rows
#: of mid grey; only long straight runs of it are taken for rules
RULE_INK = 0.84


def binary(gray: np.ndarray, share: float = 0.7) -> np.ndarray:
    """Ink as 255 on 0: darker than ``share`` of the paper's brightness (grey scan backgrounds)."""
    paper = float(np.percentile(gray, 90))
    return ((gray < paper * share) * 255).astype(np.uint8)


def dark(clean: np.ndarray) -> np.ndarray:
    """Dark pixels of the cleaned page (relative to its paper, which is rarely white)."""
    return clean < float(np.percentile(clean, 90)) * 0.7



#: ink is darker than this share of the paper's brightness ...
INK_DARK = 0.62
#: ... or, looked for where nothing that dark is, than this: a pencil's or a faded pen's
#: 「/」 photographed (grey, thin, blurred) keeps more than 0.62 of the paper's light
FAINT_INK = 0.8


def ink_mask(image: np.ndarray, dpi: float, share: float = INK_DARK) -> np.ndarray:
    """Dark or blue, non-red ink as a 0/255 mask, ruling lines removed.

    Black print and black or blue ballpoint count; red (seals, red print) does not. The
    threshold is relative to the paper, so a grey scan background is not ink.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    paper = float(np.percentile(gray, 90)) if gray.size else 255.0
    dark = gray < paper * share
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


def box_pixels(box: Box, dpi: float, shape) -> tuple[int, int, int, int]:
    """``box`` (points) as pixel bounds (x0, y0, x1, y1) of an image of ``shape`` at ``dpi``, clipped."""
    k = dpi / 72.0
    h, w = shape[:2]
    x0 = min(max(int(np.floor(box.x0 * k)), 0), w)
    x1 = min(max(int(np.ceil(box.x1 * k)), 0), w)
    y0 = min(max(int(np.floor(box.top * k)), 0), h)
    y1 = min(max(int(np.ceil(box.bottom * k)), 0), h)
    return x0, y0, x1, y1


def _ink_around(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box], discs: Iterable = (),
                seals: Iterable = (), share: float = INK_DARK):
    """Ink mask of ``box`` (computed with a margin so rules crossing the box stay long), the
    ``ignore`` boxes and ``discs`` ((x, y, radius) in points) left out, and inside ``seals``
    (discs of seals on a page in colour) the coloured ink left out: a purple or dark red seal is
    dark, but not black or blue; and the area left."""
    margin = RULE_MIN_PT * 1.5
    outer = Box(box.x0 - margin, box.top - margin, box.x1 + margin, box.bottom + margin)
    ox0, oy0, ox1, oy1 = box_pixels(outer, dpi, image.shape)
    x0, y0, x1, y1 = box_pixels(box, dpi, image.shape)
    if x1 <= x0 or y1 <= y0:
        return None, 0
    ink = ink_mask(image[oy0:oy1, ox0:ox1], dpi, share)[y0 - oy0:y1 - oy0, x0 - ox0:x1 - ox0].copy()
    seals = list(seals)
    if seals:
        inside = np.ones(ink.shape, dtype=bool)
        _leave_out_discs(inside, seals, dpi, x0, y0)  # False inside the seals
        hsv = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_RGB2HSV)
        hue, saturation = hsv[..., 0], hsv[..., 1]
        seal_hue = (hue >= 125) | (hue <= 15)  # red, magenta, purple; a blue pen's ink is 100–125
        ink[~inside & seal_hue & (saturation >= SEAL_SATURATION)] = 0
    keep = np.ones(ink.shape, dtype=bool)
    for other in ignore:
        ix0, iy0, ix1, iy1 = box_pixels(other, dpi, image.shape)
        ix0, ix1 = max(ix0, x0) - x0, min(ix1, x1) - x0
        iy0, iy1 = max(iy0, y0) - y0, min(iy1, y1) - y0
        if ix1 > ix0 and iy1 > iy0:
            keep[iy0:iy1, ix0:ix1] = False
    _leave_out_discs(keep, discs, dpi, x0, y0)
    ink[~keep] = 0
    return ink, int(keep.sum())


def _leave_out_discs(keep: np.ndarray, discs: Iterable, dpi: float, x0: int, y0: int) -> None:
    k = dpi / 72.0
    for cx, cy, r in discs:
        cv2.circle(keep.view(np.uint8), (int(round(cx * k)) - x0, int(round(cy * k)) - y0),
                   int(round(r * k)), 0, thickness=-1)


def red_in(image: np.ndarray, dpi: float, box: Box, discs: Iterable = ()) -> float:
    """Share of ``box`` covered by red ink, ``discs`` ((x, y, radius) in points: round seals)
    left out: a personal name seal or a red e-signature in a signer's area."""
    x0, y0, x1, y1 = box_pixels(box, dpi, image.shape)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    red = red_mask(image[y0:y1, x0:x1]) > 0
    keep = np.ones(red.shape, dtype=bool)
    _leave_out_discs(keep, discs, dpi, x0, y0)
    area = int(keep.sum())
    return float((red & keep).sum()) / area if area else 0.0


def red_in_seal_band(image: np.ndarray, dpi: float, box: Box, seals: Iterable,
                     band: tuple[float, float]) -> tuple[float, float]:
    """(share of red ink, share of ``box``) of the part of ``box`` inside the ring ``band`` of
    round seals (``seals``: (x, y, radius) in points; ``band`` in radii). Between a seal's star
    and its arc of characters a seal holds no ink of its own: red there is a name seal or a red
    e-signature stamped under or over it."""
    x0, y0, x1, y1 = box_pixels(box, dpi, image.shape)
    if x1 <= x0 or y1 <= y0:
        return 0.0, 0.0
    k = dpi / 72.0
    yy, xx = np.mgrid[y0:y1, x0:x1]
    zone = np.zeros(yy.shape, dtype=bool)
    for cx, cy, r in seals:
        d = np.hypot(xx - cx * k, yy - cy * k) / (r * k)
        zone |= (d >= band[0]) & (d < band[1])
    if not zone.any():
        return 0.0, 0.0
    red = red_mask(image[y0:y1, x0:x1]) > 0
    return float(red[zone].mean()), float(zone.mean())


def ink_in(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box] = (), discs: Iterable = (),
           seals: Iterable = ()) -> float:
    """Share of ``box`` covered by dark non-red ink, rules, ``ignore`` boxes and ``discs`` left out.

    The share is taken of the box's area minus the ignored parts. A signature scribble in a
    signer's area gives a few per cent; a lone "/" in a form cell about 0.3–1 %; a clean empty
    area 0.
    """
    ink, area = _ink_around(image, dpi, box, ignore, discs, seals)
    if ink is None or area == 0:
        return 0.0
    return cv2.countNonZero(ink) / float(area)


def written_slash(image: np.ndarray, dpi: float, box: Box, ignore: Iterable[Box] = ()) -> bool | None:
    """Whether the ink in ``box`` is a hand- or typewritten 「/」: True, nothing written: False,
    something else (characters): None.

    Specks of dirt (under ``SPECK_PT``) do not count. A 「/」 is one thin stroke, taller than
    wide, leaning right: its pixels lie along a line whose x falls as y grows; a 「1」 or 「l」
    stands upright, and a character is not one thin line. Where no ink is as dark as print,
    fainter ink is looked for (a pencil's 「/」 photographed) before the box is called empty.
    """
    for share in (INK_DARK, FAINT_INK):
        ink, _ = _ink_around(image, dpi, box, ignore, share=share)
        if ink is None:
            return False
        count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        speck = SPECK_PT * dpi / 72.0
        marks = [i for i in range(1, count) if max(stats[i, 2], stats[i, 3]) >= speck]
        if marks:
            break
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
    x0, y0, _, _ = box_pixels(box, dpi, image.shape)
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


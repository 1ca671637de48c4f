"""Round seals (公章) on a page image, as boxes in points: red ones, and on a page without colour
the round outlines a person must look at.

FIELD-NOTES「Seals and signatures」 and what returned forms taught: the two 意见 boxes are shorter
than a 4.2 cm seal, so stamped seals touch or overlap each other and the rules between the boxes,
and the red ink is then one tall blob. So seals are found as circles, not as blobs: circle
candidates by the Hough transform on the ink (at 72 dpi), each kept when ink runs round most of its
ring (a faded stamp inks 60–70 % of it) and ink is inside it (characters, the star); the best
first, and a later candidate counts only the ring ink no kept seal accounts for — so a circle
through the overlap of two seals, made of both rings, is not a third seal. A ring inked only in
part is first fitted to its own stroke: the Hough centre of a faded ring beside a name seal or the
next seal lies off, and the ring would seem inked round less than it is.
"""

from __future__ import annotations

import cv2
import numpy as np

from .ink import binary, red_mask, rule_mask
from .page import Mark

MM = 72 / 25.4  # points per millimetre

# Seal size accepted: 34–51 mm across (official round seals are 40–42 mm; 38–45 mm are stamped).
SEAL_MIN_MM = 34.0
SEAL_MAX_MM = 51.0
# Share of the ring's 72 sectors (those not inside a seal already kept) that must hold ink.
SEAL_MIN_RING = 0.5
# The same for a dark ring on a page without colour, which must stand out of the print around it.
SEAL_MIN_SHAPE = 0.6
# A dark ring runs on round its circle: its longest run of inked sectors is at least this share.
SHAPE_MIN_RUN = 0.2
# A ring must have this share of its sectors outside the seals already kept to be judged at all.
SEAL_MIN_FREE = 0.45
# The ink inside the ring (characters, the star): at least this share of its area.
SEAL_MIN_INSIDE = 0.01
# A red ring inked round less than SEAL_MIN_RING but at least this share, with characters inside
# (SEAL_FAINT_INSIDE of the disc at least), is a faded or half-stamped seal that cannot be told
# for sure: kept as kind "faint_seal", for a person to judge — neither a seal nor no seal.
SEAL_FAINT_RING = 0.4
SEAL_FAINT_INSIDE = 0.05
#: resolution the search runs at: a seal is still ~115 px across
WORK_DPI = 72.0
_SECTORS = 72
_RING = (0.84, 1.06)  # the ring's band, in radii
_STROKE = (0.9, 1.06)  # a fitted ring's own stroke, in radii (the characters lie inside it)


def find_seals(image: np.ndarray, dpi: float) -> list[Mark]:
    """Red round seals on the page, as ``Mark(kind="seal")`` boxes in points."""
    red = red_mask(image)
    if cv2.countNonZero(red) == 0:
        return []
    return _circles(_reduced(red, dpi), dpi, "seal")


def find_seal_shapes(image: np.ndarray, dpi: float) -> list[Mark]:
    """Round seal outlines in the dark ink of a page without colour (``Mark(kind="seal_shape")``):
    where one is, a person must judge whether a red seal was stamped there.

    A dark ring must stand out of the ink around it — its band densely inked, the bands just
    inside and outside it much less — so that a paragraph of print is no ring.
    """
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    ink = binary(gray)
    ink = cv2.bitwise_and(ink, cv2.bitwise_not(rule_mask(ink, dpi)))
    return _circles(_reduced(ink, dpi), dpi, "seal_shape", isolated=True)


def _reduced(mask: np.ndarray, dpi: float) -> np.ndarray:
    scale = min(1.0, WORK_DPI / dpi)
    if scale < 1.0:
        mask = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        mask = ((mask > 40) * 255).astype(np.uint8)
    return mask


def _circles(mask: np.ndarray, dpi: float, kind: str, isolated: bool = False) -> list[Mark]:
    """Seal-sized rings of ink in a 0/255 mask at ``min(dpi, WORK_DPI)``."""
    if cv2.countNonZero(mask) < 50:
        return []
    work = min(dpi, WORK_DPI)
    k = work / 72.0
    lo, hi = int(SEAL_MIN_MM * MM * k / 2), int(np.ceil(SEAL_MAX_MM * MM * k / 2))
    blurred = cv2.GaussianBlur(mask, (0, 0), 1.5)
    found = cv2.HoughCircles(blurred, cv2.HOUGH_GRADIENT, dp=1, minDist=lo * 0.5, param1=60, param2=10,
                             minRadius=lo, maxRadius=hi)
    if found is None:
        return []
    ys, xs = np.nonzero(mask)
    points = np.column_stack([xs, ys]).astype(np.float32)
    faint = None if isolated else (SEAL_FAINT_RING, SEAL_FAINT_INSIDE)
    candidates = []
    for cx, cy, r in found[0]:
        band = _RING
        ring, inside = _ring(points, cx, cy, r, isolated)
        if not isolated and 0.3 <= ring < 0.9:
            # a faded or partly hidden red ring: fitted, and measured on its own stroke (the
            # wide band takes in the arc of characters just inside a ring, and with it a share
            # of the sectors the ring itself leaves bare); the fit is kept where its stroke
            # holds ink round more of the circle than the Hough circle's (in a crowd of red ink
            # the fit can run off to the neighbours')
            band = _STROKE
            hough = (float(cx), float(cy), float(r))
            (ring, inside), (cx, cy, r) = max((_ring(points, *c, isolated, band=band), c)
                                              for c in (hough, _fitted(points, *hough, lo, hi)))
        if (ring >= min(SEAL_MIN_RING, SEAL_MIN_SHAPE) and inside >= SEAL_MIN_INSIDE) or \
                (faint and ring >= faint[0] and inside >= faint[1]):
            candidates.append((ring, float(cx), float(cy), float(r), inside, band))
    candidates.sort(reverse=True)
    kept: list[tuple[float, float, float, float]] = []
    kinds: list[str] = []
    # seals first, faint ones after: a faint circle through a faded seal's neighbours (a name seal,
    # the next seal) must not hide that seal
    for want_faint in (False, True):
        for _, cx, cy, r, inside, band in candidates:
            if any(np.hypot(cx - x, cy - y) < max(r, q) for _, x, y, q in kept):
                # a circle centred within a kept seal is that seal again, or made of its ink and
                # its neighbours' (a name seal beside it, the next box's seal): two stamped seals
                # that overlap each other stand more than a radius apart
                continue
            ring, _ = _ring(points, cx, cy, r, isolated, covered=kept, band=band)
            if not want_faint and ring >= (SEAL_MIN_SHAPE if isolated else SEAL_MIN_RING):
                kinds.append(kind)
            elif want_faint and faint and ring >= faint[0] and inside >= faint[1]:
                kinds.append("faint_seal")
            else:
                continue  # its ring is the ink of seals already kept (a circle through two of them)
            kept.append((ring, cx, cy, _outer_radius(points, cx, cy, r)))
    to_pt = 1.0 / k
    return [Mark(float((cx - r) * to_pt), float((cy - r) * to_pt), float((cx + r) * to_pt), float((cy + r) * to_pt),
                 kind=found_kind, score=round(ring, 3)) for (ring, cx, cy, r), found_kind in zip(kept, kinds)]


def _fitted(points: np.ndarray, cx: float, cy: float, r: float, lo: float, hi: float) -> tuple[float, float, float]:
    """The circle of a seal's outer ring near a Hough circle, fitted to the ink.

    On a faded ring the Hough centre can lie several points off (the ink of a touching seal, a
    name seal or the characters pulls it), and the ring then seems inked round less than it is.
    The circle whose thin band (the ring's stroke, ±5 % of the radius) holds ink in the most
    sectors and the band just beyond it in the fewest (the ring is the seal's outermost ink: a
    smaller circle through the arc of characters inside it is not), searched coarse then fine
    round the Hough circle."""
    d = np.hypot(points[:, 0] - cx, points[:, 1] - cy)
    near = points[d < 1.45 * r]
    if len(near) < _SECTORS:
        return cx, cy, r
    best = (-1.0, cx, cy, r)
    for step, reach in ((3.0, 4), (1.0, 2)):
        _, bx, by, br = best if best[0] >= 0 else (0, cx, cy, r)
        radii = [br + k * step for k in range(-reach, reach + 1) if lo <= br + k * step <= hi] or [br]
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                x, y = bx + dx * step, by + dy * step
                dist = np.hypot(near[:, 0] - x, near[:, 1] - y)
                sector = ((np.arctan2(near[:, 1] - y, near[:, 0] - x) + np.pi) / (2 * np.pi) * _SECTORS
                          ).astype(int) % _SECTORS
                for radius in radii:
                    hit = np.abs(dist - radius) < 0.05 * radius
                    beyond = (dist > 1.08 * radius) & (dist < 1.2 * radius)
                    share = (np.count_nonzero(np.bincount(sector[hit], minlength=_SECTORS))
                             - np.count_nonzero(np.bincount(sector[beyond], minlength=_SECTORS))) / _SECTORS
                    if share > best[0] + 1e-9:
                        best = (share, x, y, radius)
    return best[1], best[2], best[3]


def _ring(points: np.ndarray, cx: float, cy: float, r: float, isolated: bool,
          covered: list = (), band: tuple[float, float] | None = None) -> tuple[float, float]:
    """(share of the ring's sectors holding ink, share of the inner disc inked).

    ``covered``: seals already kept; the sectors of this ring that lie inside one of them are
    left out (their ink is that seal's), and a ring mostly inside kept seals is none.
    ``isolated``: a sector counts only where its ring band holds clearly more ink than the bands
    just inside and outside it (dark print all around is no ring).
    """
    angles = (np.arange(_SECTORS) + 0.5) / _SECTORS * 2 * np.pi - np.pi
    free = np.ones(_SECTORS, dtype=bool)
    for _, x, y, q in covered:
        free &= np.hypot(cx + r * np.cos(angles) - x, cy + r * np.sin(angles) - y) > 1.02 * q
    if free.mean() < SEAL_MIN_FREE:
        return 0.0, 0.0
    d = np.hypot(points[:, 0] - cx, points[:, 1] - cy)
    near = d < 1.3 * r
    d, p = d[near], points[near]
    if not len(d):
        return 0.0, 0.0
    sector = ((np.arctan2(p[:, 1] - cy, p[:, 0] - cx) + np.pi) / (2 * np.pi) * _SECTORS).astype(int) % _SECTORS
    lo, hi = band or _RING
    in_band = (d > lo * r) & (d < hi * r)
    inside = float((d < 0.75 * r).sum() / (np.pi * (0.75 * r) ** 2))
    ring = np.bincount(sector[in_band], minlength=_SECTORS)
    if isolated:
        outside = np.bincount(sector[(d > 1.1 * r) & (d < 1.26 * r)], minlength=_SECTORS)
        # per sector the ring band is 22 % of the radius wide, the band outside it 16 %: a ring's
        # band holds twice the ink density of the paper just outside it (a paragraph of print is
        # as dense there), and a few pixels of ink at least (the seal's characters are inside)
        hit = (ring >= 4) & (ring * 0.16 > 2.0 * 0.22 * outside)
        if _longest_run(hit) < SHAPE_MIN_RUN * _SECTORS:
            return 0.0, inside  # scattered hits are print, a ring runs on round the circle
    else:
        hit = ring > 0
    return float(hit[free].mean()), inside


def _longest_run(flags: np.ndarray) -> int:
    """The longest run of True round a circle of sectors."""
    if flags.all():
        return len(flags)
    doubled = np.concatenate([flags, flags])
    longest = run = 0
    for flag in doubled:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return min(longest, len(flags))


def _outer_radius(points: np.ndarray, cx: float, cy: float, r: float) -> float:
    """The seal's outer edge: a seal's ink ends at its outer ring, which the circle found may lie
    inside of (an inner ring, the arc of characters). Per sector the farthest ink within 1.3 r;
    their median, where it is beyond the circle found (a touching seal's ink reaches further in a
    few sectors only)."""
    d = np.hypot(points[:, 0] - cx, points[:, 1] - cy)
    near = (d > 0.8 * r) & (d < 1.3 * r)
    if not near.any():
        return r
    sector = ((np.arctan2(points[near, 1] - cy, points[near, 0] - cx) + np.pi) / (2 * np.pi) * _SECTORS
              ).astype(int) % _SECTORS
    farthest = np.zeros(_SECTORS)
    np.maximum.at(farthest, sector, d[near])
    inked = farthest[farthest > 0]
    return float(max(r, np.median(inked))) if len(inked) >= _SECTORS // 3 else r

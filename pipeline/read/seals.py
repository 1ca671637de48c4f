"""Red round seals (公章) on a page image, as boxes in points.

FIELD-NOTES「Seals and signatures」: an HSV mask over the two red hue ranges, the gaps closed,
then round, seal-sized shapes (a 4.0–4.2 cm seal is ~115 pt) whose ring holds red ink.
"""

from __future__ import annotations

import cv2
import numpy as np

from .ink import px, red_mask
from .page import Mark

PT_PER_CM = 72 / 2.54


# Seal size accepted: 3–5 cm across (official round seals are 4.0–4.2 cm).
SEAL_MIN_CM = 3.0


SEAL_MAX_CM = 5.0


# A ring's outer contour fills most of its enclosing circle; a block of red text does not.
SEAL_MIN_FILL = 0.72


# Share of the ring's angular positions that must hold red ink (a stamped ring may be broken).
SEAL_MIN_RING = 0.6


def find_seals(image: np.ndarray, dpi: float) -> list[Mark]:
    """Red round seals on the page, as ``Mark(kind="seal")`` boxes in points."""
    red = red_mask(image)
    if cv2.countNonZero(red) == 0:
        return []
    # Work at about 72 dpi: a seal is still ~115 px across and the closing is cheap.
    scale = min(1.0, 72.0 / dpi)
    if scale < 1.0:
        red = cv2.resize(red, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        red = (red > 40).astype(np.uint8) * 255
    work_dpi = dpi * scale
    k = max(3, px(3.0, work_dpi) | 1)
    closed = cv2.morphologyEx(red, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)

    lo = px(SEAL_MIN_CM * PT_PER_CM, work_dpi)
    hi = px(SEAL_MAX_CM * PT_PER_CM, work_dpi)
    to_pt = 72.0 / work_dpi
    seals: list[Mark] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (lo <= w <= hi and lo <= h <= hi):
            continue
        if min(w, h) / max(w, h) < 0.8:
            continue
        (cx, cy), radius = cv2.minEnclosingCircle(contour)
        fill = cv2.contourArea(cv2.convexHull(contour)) / (np.pi * radius * radius)
        if fill < SEAL_MIN_FILL:
            continue
        ring = _ring_coverage(red, cx, cy, radius)
        if ring < SEAL_MIN_RING:
            continue
        seals.append(Mark(float(x * to_pt), float(y * to_pt), float((x + w) * to_pt), float((y + h) * to_pt),
                          kind="seal", score=round(float(min(1.0, fill) * ring), 3)))
    return seals


def _ring_coverage(red: np.ndarray, cx: float, cy: float, radius: float) -> float:
    """Share of 72 angular sectors holding red ink near the outer radius (the seal's ring)."""
    ys, xs = np.nonzero(red)
    dx, dy = xs - cx, ys - cy
    dist = np.hypot(dx, dy)
    near = (dist > 0.8 * radius) & (dist < 1.05 * radius)
    if not near.any():
        return 0.0
    angles = np.arctan2(dy[near], dx[near])
    sectors = np.unique(((angles + np.pi) / (2 * np.pi) * 72).astype(int) % 72)
    return len(sectors) / 72.0


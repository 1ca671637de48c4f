"""Straightening a scanned page: its tilt from the table's rules, and the turn that undoes it.

The angle comes from a line fitted to each long horizontal rule (exact to a few hundredths of a
degree), weighted by length; pages without rules fall back to the sharpest row profile of the
text lines (FIELD-NOTES「Reading scans」: deskew first).
"""

from __future__ import annotations

import cv2
import numpy as np

from .ink import RULE_INK, binary, without_red

# Largest tilt looked for (degrees).
MAX_TILT = 5.0


def estimate_skew(image: np.ndarray, dpi: float) -> float:
    """Tilt of the page in degrees; rotating by it (``rotate``) makes the rules level."""
    gray = without_red(image)
    scale = min(1.0, 100.0 / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    work_dpi = dpi * scale
    ink = binary(small, RULE_INK)
    angle = _skew_from_rules(ink, work_dpi)
    if angle is None:
        angle = _skew_from_profile(ink)
    return angle


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Turn ``image`` counter-clockwise by ``angle`` degrees about its centre, same size, white fill."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    fill = (255,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def _skew_from_rules(ink: np.ndarray, dpi: float) -> float | None:
    # A tilted rule still has horizontal runs of thickness / tan(tilt) pixels (≥ 40 px at 2°),
    # so a short horizontal opening keeps the rules and drops the text.
    n = max(5, int(12 * dpi / 72))
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    min_len = 100 * dpi / 72
    angles, weights = [], []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w < min_len or h > w * np.tan(np.radians(MAX_TILT)) + 6:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        vx, vy, _, _ = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        if vx < 0:
            vx, vy = -vx, -vy
        angles.append(np.degrees(np.arctan2(vy, vx)))
        weights.append(w)
    if len(angles) < 2:
        return None
    order = np.argsort(angles)
    angles, weights = np.asarray(angles)[order], np.asarray(weights, float)[order]
    # Weighted median: one stray stroke (a signature's long underline) does not tip the page.
    cumulative = np.cumsum(weights)
    median = float(angles[np.searchsorted(cumulative, cumulative[-1] / 2)])
    near = np.abs(angles - median) < 0.3
    return float(np.average(angles[near], weights=weights[near]))


def _skew_from_profile(ink: np.ndarray) -> float:
    """Angle that makes the text lines' row profile sharpest (pages with no rules)."""
    if cv2.countNonZero(ink) == 0:
        return 0.0

    def sharpness(a: float) -> float:
        profile = rotate(ink, a).sum(axis=1, dtype=np.float64)
        return float(np.var(profile))

    best = max(np.arange(-MAX_TILT, MAX_TILT + 1e-9, 0.25), key=sharpness)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=sharpness)
    return float(fine)


"""Square red name seals (私章) near a box of a page image, as boxes in points.

A name seal is stamped in the signer's area as a 签章, and often under or over the round 公章
stamped there too; its red ink is then one blob with the 公章's and cannot be told by colour or
by blob. What tells it is its outline: a square (or oblong) of straight red edges, 1–2.8 cm a
side — the border of red characters on white (朱文), or the edge of a red block with white
characters (白文). A round seal has no straight edge that long (its ring bends away from any
tangent within a few millimetres), nor have its star and characters. So: the edges of the red
ink, straight segments on them (the probabilistic Hough transform), and three sides of a
rectangle among them — two parallel sides and one across them, each inked along most of its
length (a faded stamp breaks its edges, rarely a whole side).
"""

from __future__ import annotations

import cv2
import numpy as np

from .ink import red_mask
from .page import Box, Mark
from .seals import MM

#: a name seal's side (mm): 私章 are 1.3–2.5 cm; a round 公章 is 3.4 cm across at least
SIDE_MM = (13.0, 28.0)
#: sides may differ this much (an oblong name seal, two characters side by side)
ASPECT_MAX = 2.0
#: the shortest straight edge looked for (mm): a round seal's ring keeps within a pixel of a
#: tangent for about 6 mm at the work resolution, a seal's characters are 5–7 mm tall
EDGE_MM = 7.5
#: each of the three best sides of a rectangle must be an edge along this share of its length,
#: the three together along SIDES_INKED (a side's whole length is 1); the fourth may be hidden
#: (the star or the ring of the 公章 it overlaps, another stamp)
SIDE_INKED = 0.5
SIDES_INKED = 2.2
#: segments closer than this (mm) along one line are one edge broken by fading
GAP_MM = 2.0
#: at most this many straight segments (the longest) are paired into corners: a window crowded
#: with red print is bounded in time
MAX_SEGMENTS = 60
#: the search runs at 4 pixels a millimetre
WORK_DPI = 101.6
#: gaps in a side's edge up to this (mm) are a fade's, bridged
RUN_GAP_MM = 1.2
#: a far side is put at the nearest offset whose support is within this of the best
NEARER = 0.1
#: two segments within this angle (degrees) of a right angle make a corner
ANGLE_TOL = 4.0


def find_name_seals(image: np.ndarray, dpi: float, near: Box) -> list[Mark]:
    """Rectangles of straight red edges (name seals) whose centre lies in ``near`` widened by a
    seal's side, as ``Mark(kind="name_seal")`` in points, the best edged first."""
    if image.ndim != 3:
        return []
    # the whole page's red, reduced, then the window cut: the same pixels whatever the window
    red = red_mask(image)
    if cv2.countNonZero(red) < 50:
        return []
    scale = min(1.0, WORK_DPI / dpi)
    if scale < 1.0:
        red = cv2.resize(red, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        red = ((red > 100) * 255).astype(np.uint8)
    reach = SIDE_MM[1] * MM
    k = dpi * scale / 72.0
    h, w = red.shape
    x0, y0 = max(0, int((near.x0 - reach) * k)), max(0, int((near.top - reach) * k))
    x1, y1 = min(w, int((near.x1 + reach) * k) + 1), min(h, int((near.bottom + reach) * k) + 1)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    red = np.ascontiguousarray(red[y0:y1, x0:x1])
    per_mm = dpi * scale / 25.4
    red = cv2.morphologyEx(red, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))  # a fade's pinholes
    edges = cv2.morphologyEx(red, cv2.MORPH_GRADIENT, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    edge = EDGE_MM * per_mm
    lines = cv2.HoughLinesP(edges, 1, np.pi / 360, threshold=int(edge * 0.7), minLineLength=int(edge),
                            maxLineGap=int(GAP_MM * per_mm))
    if lines is None:
        return []
    segments = lines.reshape(-1, 4).astype(float)
    longest = np.argsort(-np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1]))
    found = _rectangles(segments[longest[:MAX_SEGMENTS]], red, per_mm)
    to_pt = 72.0 / (dpi * scale)
    marks = []
    for corners, score in found:
        xs, ys = (corners[:, 0] + x0) * to_pt, (corners[:, 1] + y0) * to_pt
        mark = Mark(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()), kind="name_seal",
                    score=round(score, 3))
        cx, cy = mark.centre
        if near.x0 - mark.width / 2 <= cx <= near.x1 + mark.width / 2 \
                and near.top - mark.height / 2 <= cy <= near.bottom + mark.height / 2:
            marks.append(mark)
    return marks


def _rectangles(segments: np.ndarray, red: np.ndarray, per_mm: float) -> list[tuple[np.ndarray, float]]:
    """Rectangles of a name seal's size whose sides run along the red ink's edges: their corners
    (4 × 2, work pixels) and their sides' mean support, the best edged first, none inside another.

    Each pair of straight segments at right angles is a corner; the opposite sides are searched
    for along the two directions from where the segments end, each where the edges support it
    best. A rectangle is kept where three of its sides are edges along most of their length (the
    fourth may be hidden by another stamp's ink)."""
    lo, hi = SIDE_MM[0] * per_mm, SIDE_MM[1] * per_mm
    tol = GAP_MM * per_mm
    found: list[tuple[float, np.ndarray, float]] = []
    for corner, u, v, w, h in _corners(segments, lo, hi, tol):
        # the far sides from where the segments end, each where its edge is best
        for _ in range(2):
            w = _best_offset(red, corner, u, v, h, w, per_mm)
            h = _best_offset(red, corner, v, u, w, h, per_mm)
        if not (lo <= w <= hi and lo <= h <= hi and 1 / ASPECT_MAX <= w / h <= ASPECT_MAX):
            continue
        corners = np.array([corner, corner + u * w, corner + u * w + v * h, corner + v * h])
        support = sorted(float(_support(red, corners[s], corners[(s + 1) % 4], inward, per_mm)[0])
                         for s, inward in enumerate((v, -u, -v, u)))
        if support[1] >= SIDE_INKED and sum(support[1:]) >= SIDES_INKED:
            found.append((w * h, corners, float(np.mean(support[1:]))))
    found.sort(key=lambda f: (-round(f[2], 2), -f[0]))  # the best edged first, then the larger
    kept: list[tuple[np.ndarray, float]] = []
    for _, corners, score in found:
        centre = corners.mean(axis=0)
        if not any(_contains(other, centre) for other, _ in kept):
            kept.append((corners, score))
    return kept


def _corners(segments: np.ndarray, lo: float, hi: float, tol: float):
    """Corners a rectangle may have, as (corner, u, v, w, h): its two sides from the corner run
    along the unit vectors u and v (v at right angles to u) at least w and h far. Each pair of
    segments at right angles meeting within ``tol`` of their ends; and each segment's ends, the
    rectangle on either side of it (the other side at the corner faded or hidden)."""
    starts, stops = segments[:, :2], segments[:, 2:]
    directions = stops - starts
    lengths = np.hypot(directions[:, 0], directions[:, 1])
    units = directions / lengths[:, None]
    for i in range(len(segments)):
        for j in range(i + 1, len(segments)):
            if abs(float(units[i] @ units[j])) > np.sin(np.radians(ANGLE_TOL)):
                continue
            corner = _crossing(starts[i], units[i], starts[j], units[j])
            if corner is None:
                continue
            sides = []
            for n in (i, j):  # each segment lies on one ray from the corner, within a side's length
                a, b = sorted(((starts[n] - corner) @ units[n], (stops[n] - corner) @ units[n]))
                sign = 1.0
                if b <= tol:
                    a, b, sign = -b, -a, -1.0
                if a < -tol or b > hi + tol:
                    break
                sides.append((units[n] * sign, min(max(b, lo), hi)))
            if len(sides) == 2:
                (u, w), (v, h) = sides
                yield corner, u, _square(u, v), w, h
    for n in range(len(segments)):
        if lengths[n] > hi + tol:
            continue
        for corner, u in ((starts[n], units[n]), (stops[n], -units[n])):
            for side in (1.0, -1.0):
                yield corner, u, np.array([-u[1], u[0]]) * side, min(max(lengths[n], lo), hi), lo


def _square(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The unit vector at right angles to u on v's side."""
    normal = np.array([-u[1], u[0]])
    return normal * np.sign(normal @ v)


def _crossing(p: np.ndarray, u: np.ndarray, q: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """Where the lines p + s·u and q + t·v cross."""
    matrix = np.array([u, -v]).T
    if abs(np.linalg.det(matrix)) < 1e-6:
        return None
    s, _ = np.linalg.solve(matrix, q - p)
    return p + s * u


def _best_offset(red: np.ndarray, corner: np.ndarray, u: np.ndarray, v: np.ndarray, length: float,
                 reach: float, per_mm: float) -> float:
    """Where, from GAP_MM short of ``reach`` along ``u`` from the corner to a name seal's largest
    side, the side parallel to ``v`` (``length`` long) is best supported as an edge — the nearest
    within NEARER of the best, as a star or ring beyond the seal may edge a line as well; ``reach``
    where no edge is there."""
    offsets = np.arange(reach - GAP_MM * per_mm, SIDE_MM[1] * per_mm + 1.0)
    scores = _support(red, corner, corner + v * length, -u, per_mm, shifts=offsets[:, None] * u)
    if scores.max() <= 0:
        return reach
    return float(offsets[int(np.argmax(scores >= scores.max() - NEARER))])  # the nearer of two alike


def _support(red: np.ndarray, a: np.ndarray, b: np.ndarray, inward: np.ndarray, per_mm: float,
             shifts: np.ndarray | None = None) -> np.ndarray:
    """How much of the side a → b (its middle 80 %, away from the corners) is a seal's edge — red
    just inside (``inward``), paper just outside — gaps of a fade's size bridged; a line through a
    round seal's characters meets such an edge only where it runs along a stroke. One share per
    row of ``shifts`` (the side moved by it; not moved by default)."""
    n = max(int(np.hypot(*(b - a)) * 0.8), 2)
    shifts = np.zeros((1, 2)) if shifts is None else shifts
    points = (a + (b - a) * np.linspace(0.1, 0.9, n)[:, None])[None] + shifts[:, None, :]

    def red_at(offset_mm: float) -> np.ndarray:
        p = np.round(points + inward * offset_mm * per_mm).astype(int)
        ok = (p[..., 0] >= 0) & (p[..., 1] >= 0) & (p[..., 0] < red.shape[1]) & (p[..., 1] < red.shape[0])
        out = np.zeros(ok.shape, dtype=bool)
        out[ok] = red[p[..., 1][ok], p[..., 0][ok]] > 0
        return out

    edge = (red_at(0.4) | red_at(0.8)) & ~red_at(-0.8) & ~red_at(-1.3)
    return _bridged(edge, int(RUN_GAP_MM * per_mm)).mean(axis=1)


def _bridged(flags: np.ndarray, gap: int) -> np.ndarray:
    """Each row of ``flags`` with runs of up to ``gap`` False between two True filled in (a
    closing along the row)."""
    if gap < 1:
        return flags
    kernel = np.ones((1, gap + 1), np.uint8)
    padded = np.pad(flags.astype(np.uint8), ((0, 0), (gap + 1, gap + 1)))
    closed = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return closed[:, gap + 1:-(gap + 1)] > 0


def _contains(corners: np.ndarray, point: np.ndarray) -> bool:
    return cv2.pointPolygonTest(corners.astype(np.float32).reshape(-1, 1, 2), tuple(map(float, point)), False) >= 0

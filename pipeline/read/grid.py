"""The table grid of a scanned page: rule masks, the cells they enclose, the rules' positions.

Cells come from the ruling lines (OpenCV morphology on horizontal and vertical strokes; the
enclosed white regions are the cells); a stroke counts as a rule only if it is long or runs from
rule to rule, so the stems of large printed characters stay text; a rule lost under a seal's
disc is bridged; a box cut by the page break is closed (:func:`pipeline.read.rules.closing_lines`).
"""

from __future__ import annotations

from typing import Iterable

import cv2
import numpy as np

from .ink import RULE_INK, binary
from .page import Box
from .rules import closing_lines

# Lines, cells and the angle are measured at no more than this resolution.
RULES_DPI = 150.0
# A vertical line over this share of the page's height (its breaks up to STREAK_GAP_PT bridged)
# that comes within STREAK_EDGE_PT of the top or bottom edge is a scanner's streak: a form's
# frame stays inside its margins.
STREAK_SHARE = 0.5
STREAK_GAP_PT = 20.0
STREAK_RUN_PT = 6.0
STREAK_EDGE_PT = 8.0
# A horizontal run with ink within PRINT_BAR_BAND_PT (points) above or below it along PRINT_BAR_SHARE
# of its length, and on both sides along PRINT_BAR_BOTH, lies inside a line of print: no rule.
PRINT_BAR_BAND_PT = 3.0
PRINT_BAR_SHARE = 0.9
PRINT_BAR_BOTH = 0.25
# A run shorter than PRINT_BAR_SHORT_PT is a few characters' strokes joined (「编一册」's bars in a
# photo, indep N/006): ink near it along PRINT_BAR_SHORT_SHARE, on both sides along
# PRINT_BAR_SHORT_BOTH, is enough; a table's rules run on through the whole table, and a rule's
# paper stays blank round it (under 2 % of its length on the pages measured).
PRINT_BAR_SHORT_PT = 60.0
PRINT_BAR_SHORT_SHARE = 0.5
PRINT_BAR_SHORT_BOTH = 0.1
# A vertical rule within this distance (points) of a cell's side is that side.
RULE_ON_EDGE_PT = 3.0


def rule_masks(gray: np.ndarray, dpi: float, seals: Iterable[Box] = ()):
    """Horizontal and vertical rule masks at ``min(dpi, RULES_DPI)``, the scale used, and the
    rules' own ink (the masks without the bridges under seals).

    ``seals`` (boxes in points): a rule under a seal is lost where the seal's ring and
    characters cover it, up to the seal's whole width; gaps inside a seal's disc are bridged for
    the cells — but a bridge is no ink: painted out of the OCR input, it would erase the print a
    seal is stamped over.
    """
    k = min(1.0, RULES_DPI / dpi)
    small = cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else gray
    work = dpi * k
    ink = binary(small)
    # a faint rule (light grey once straightened, reduced or photographed) is found at a lighter
    # threshold; there the stems of a paragraph's characters can join into tall strokes, so a
    # faint vertical counts only where it runs from rule to rule
    light = binary(small, RULE_INK)
    pt = work / 72.0
    horizontal = cv2.morphologyEx(light, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(30 * pt), 1)))
    # Vertical rules of a 24 pt row are ~24 pt; a printed character's stroke is at most ~15 pt.
    column = cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(16 * pt)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, column)
    faint = cv2.morphologyEx(light, cv2.MORPH_OPEN, column)
    vertical, faint = _without_streaks(light, vertical, faint, pt)
    # Bridge breaks in a rule (scanner dropouts; a seal's ring painted out where it crosses
    # the rule) and let rules meet at the corners.
    bridge = max(3, int(10 * pt))
    closed_h = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge))
    closed_v = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, across)
    closed_f = cv2.morphologyEx(faint, cv2.MORPH_CLOSE, across)
    # what is ink of a rule, before the bridges under seals: what the OCR input has painted out
    # (less a bar found inside a line of print: painted out, it would take the print with it)
    inked_h, inked_v, inked_f = _without_print_bars(closed_h, light, pt), closed_v.copy(), closed_f.copy()
    discs = np.zeros(ink.shape, np.uint8)
    for seal in seals:
        centre = (int((seal.x0 + seal.x1) / 2 * pt), int((seal.top + seal.bottom) / 2 * pt))
        cv2.circle(discs, centre, int(max(seal.width, seal.height) / 2 * pt) + 2, 255, thickness=-1)
    if discs.any():
        wide = max(3, int(max(s.width for s in seals) * 1.05 * pt))
        along = cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1))
        for mask, closed, shape, near in ((horizontal, closed_h, (wide, 1), along), (vertical, closed_v, (1, wide), across),
                                          (faint, closed_f, (1, wide), across)):
            further = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, shape))
            closed[(further > 0) & (discs > 0)] = 255
            # the ring's own ink, painted out across the disc's rim, leaves a gap just outside it
            closed[:] = cv2.morphologyEx(closed, cv2.MORPH_CLOSE, near)
    # a faint vertical is judged once bridged: a faint frame a seal crosses still runs rule to rule
    faint = _ruled(closed_f, closed_h, pt)
    inked = cv2.bitwise_or(cv2.bitwise_or(inked_h, inked_v), cv2.bitwise_and(inked_f, faint))
    horizontal, vertical = closed_h, cv2.bitwise_or(closed_v, faint)
    vertical = _table_verticals(vertical, horizontal, pt)
    vertical = _to_rules(vertical, horizontal, max(2, int(round(6 * pt))))
    reach = max(3, int(2.5 * pt) | 1)
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 1)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (1, reach)))
    inked = cv2.bitwise_and(inked, cv2.bitwise_or(horizontal, vertical))
    return horizontal, vertical, k, inked


def _ruled(vertical: np.ndarray, horizontal: np.ndarray, pt: float) -> np.ndarray:
    """The vertical strokes that run from a horizontal rule to another (at both ends), or cross
    three rules or more (a faint frame whose end is lost under a seal or a scanner's dropout)."""
    return _table_verticals(vertical, horizontal, pt, long_enough=float("inf"))


def _table_verticals(vertical: np.ndarray, horizontal: np.ndarray, pt: float,
                     long_enough: float | None = None) -> np.ndarray:
    """Keep the vertical strokes that are table rules: long, or running from rule to rule.

    The stems of a title's characters (16–22 pt print: 「科」「协」「书」) and of an underlined cover
    line (「申报单位：____」, the stem standing on the underline) are as tall as a short row's
    rule. Painted out as rules they cost the cover its 「科学技术协会」; a rule between two
    horizontal rules touches one at each end, a stem at most one; and no stem crosses three
    rules, as a table's rule does even where one of its ends is broken off.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    if count <= 1:
        return vertical
    near = max(2, int(round(3 * pt)))
    long_enough = 40 * pt if long_enough is None else long_enough
    h, w = vertical.shape
    drop = []
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if bh >= long_enough:
            continue
        xa, xb = max(0, x - near), min(w, x + bw + near)
        top = horizontal[max(0, y - near):min(h, y + near + 1), xa:xb].any()
        bottom = horizontal[max(0, y + bh - 1 - near):min(h, y + bh + near), xa:xb].any()
        if not (top and bottom) and _crossings(horizontal[y:y + bh, xa:xb]) < 3:
            drop.append(i)
    if not drop:
        return vertical
    keep = vertical.copy()
    keep[np.isin(labels, drop)] = 0
    return keep


def _to_rules(vertical: np.ndarray, horizontal: np.ndarray, limit: int) -> np.ndarray:
    """Vertical rules drawn on to the horizontal rule that lies less than ``limit`` pixels beyond
    either end: a scan's light corner (the stroke fading a few pixels short of the rule) would
    otherwise join two cells into one."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    out = vertical
    h = vertical.shape[0]
    for x, y, w, bh, _ in stats[1:]:
        below = horizontal[y + bh:min(h, y + bh + limit), x:x + w].any(axis=1)
        above = horizontal[max(0, y - limit):y, x:x + w].any(axis=1)[::-1]
        for rows, start, step in ((below, y + bh, 1), (above, y - 1, -1)):
            if rows.size and rows.any() and not rows[0]:
                gap = int(np.argmax(rows))
                if out is vertical:
                    out = vertical.copy()
                ends = sorted((start, start + step * gap))
                out[ends[0]:ends[1] + 1, x:x + w] = 255
    return out


def _crossings(band: np.ndarray) -> int:
    """How many horizontal rules cross a narrow upright band of the rule mask (runs of rows)."""
    rows = band.any(axis=1)
    return int(np.count_nonzero(rows[1:] & ~rows[:-1]) + (1 if rows.size and rows[0] else 0))


def find_cells(horizontal: np.ndarray, vertical: np.ndarray, k: float, dpi: float) -> list[Box]:
    """Rectangular regions enclosed by rules, in full-resolution pixels, edges on the rules' centres."""
    grid = cv2.bitwise_or(horizontal, vertical)
    if cv2.countNonZero(grid) == 0:
        return []
    # The enclosed white region stops at the rule's edge; the cell (like pdfplumber's) at the
    # rule's centre line, half that rule further out. Rules differ (a bold frame, thin inner
    # rules, a scan's blur), so each edge is measured across its own rule; two cells that share
    # a rule then meet on it, as the right_of and below lookups expect.
    fallback = max(0.5, _thickness(horizontal, axis=0) / 2.0)
    limit = max(2, int(round(6 * dpi * k / 72.0)))
    h, w = grid.shape
    min_side = 6.0 * dpi * k / 72.0  # cells smaller than 6 pt are rule crossings, not cells
    count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(grid), connectivity=4)
    cells: list[Box] = []
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        if x == 0 or y == 0 or x + bw >= w or y + bh >= h:
            continue  # the page around the table
        if bw < min_side or bh < min_side or bw * bh > 0.8 * w * h or area < 0.6 * bw * bh:
            continue
        left, top, right, bottom = _edge_halves(grid, x, y, bw, bh, limit, fallback)
        cells.append(Box((x - left) / k, (y - top) / k, (x + bw - 1 + right) / k, (y + bh - 1 + bottom) / k))
    cells.sort(key=lambda c: (round(c.top), c.x0))
    return cells


def closing_rules(horizontal: np.ndarray, vertical: np.ndarray, pt: float) -> np.ndarray:
    """A mask of the lines that close boxes cut by a page break (rules of 40 pt and more)."""
    added = np.zeros_like(horizontal)
    lines = closing_lines(_segments(vertical), _segments(horizontal), snap=max(2, int(round(4 * pt))),
                          min_length=40 * pt - 1)
    for x0, y, x1 in lines:
        y = int(round(y))
        added[max(0, y - 1):y + 2, int(x0):int(x1)] = 255
    return added


def _segments(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Each stroke of a rule mask as (x0, top, x1, bottom) pixels, ``x1`` exclusive."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h - 1)) for x, y, w, h, _ in stats[1:]]


def _edge_halves(grid: np.ndarray, x: int, y: int, bw: int, bh: int, limit: int,
                 fallback: float) -> tuple[float, float, float, float]:
    """Half the thickness of the rule beyond each edge (left, top, right, bottom) of the white
    region at (x, y, bw, bh): the run of rule ink measured outward at a few points along the
    edge, the median of those found; ``fallback`` where none is."""
    h, w = grid.shape

    def run(pixels: np.ndarray) -> int:
        ink = pixels > 0
        return int(np.argmin(ink)) if not ink.all() else len(ink)

    def half(samples: list[int]) -> float:
        found = [s for s in samples if s > 0]
        return float(np.median(found)) / 2.0 if found else fallback

    rows = [y + int(bh * f) for f in (0.25, 0.5, 0.75)]
    cols = [x + int(bw * f) for f in (0.25, 0.5, 0.75)]
    left = half([run(grid[r, max(0, x - limit):x][::-1]) for r in rows])
    right = half([run(grid[r, x + bw:min(w, x + bw + limit)]) for r in rows])
    top = half([run(grid[max(0, y - limit):y, c][::-1]) for c in cols])
    bottom = half([run(grid[y + bh:min(h, y + bh + limit), c]) for c in cols])
    return left, top, right, bottom


def _thickness(mask: np.ndarray, axis: int) -> float:
    """Mean thickness in pixels of a mask's strokes measured along ``axis`` (0: down each
    column, for horizontal rules; 1: along each row, for vertical ones): ink over runs."""
    ink = mask > 0
    pad = np.zeros((1, ink.shape[1]) if axis == 0 else (ink.shape[0], 1), bool)
    starts = np.count_nonzero(np.diff(np.concatenate([pad, ink], axis=axis).astype(np.int8), axis=axis) == 1)
    return float(np.count_nonzero(ink)) / starts if starts else 1.0


def _without_streaks(light: np.ndarray, vertical: np.ndarray, faint: np.ndarray,
                     pt: float) -> tuple[np.ndarray, np.ndarray]:
    """The vertical masks without a scanner's streaks: dust on the glass draws a faint line
    along the whole sheet, into the margin at its edge, where a form's rules never reach. The
    line is broken by noise and, the page straightened, no longer upright: it is judged joined."""
    height = vertical.shape[0]
    # the faint ink in short upright runs (noise breaks a streak into pieces shorter than a row)
    runs = cv2.morphologyEx(light, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(STREAK_RUN_PT * pt)))))
    either = cv2.bitwise_or(runs, cv2.bitwise_or(vertical, faint))
    # closed on a page padded with paper: a line near the edge is not drawn on to it
    gap = max(3, int(STREAK_GAP_PT * pt))
    padded = cv2.copyMakeBorder(either, gap, gap, 0, 0, cv2.BORDER_CONSTANT, value=0)
    joined = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))[gap:-gap]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    edge = STREAK_EDGE_PT * pt
    streaks = [i for i in range(1, count)
               if stats[i, cv2.CC_STAT_HEIGHT] >= STREAK_SHARE * height
               and (stats[i, cv2.CC_STAT_TOP] <= edge or stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] >= height - edge)]
    if not streaks:
        return vertical, faint
    gone = cv2.dilate(np.isin(labels, streaks).astype(np.uint8), np.ones((1, 5), np.uint8)) > 0
    vertical, faint = vertical.copy(), faint.copy()
    vertical[gone], faint[gone] = 0, 0
    return vertical, faint


def _without_print_bars(horizontal: np.ndarray, light: np.ndarray, pt: float) -> np.ndarray:
    """``horizontal`` without the bars found inside a line of print: small print blurred in a
    phone photo joins, at the light threshold, into runs as long as a rule; unlike a rule, such a
    run has the characters' ink just above or below it nearly all along, and on both sides along
    a good part of it."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    near, far = max(1, int(round(1.0 * pt))), max(2, int(round(PRINT_BAR_BAND_PT * pt)))
    height = horizontal.shape[0]
    inked = light > 0
    bars = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        above = inked[max(0, y - far):max(0, y - near), x:x + w].any(axis=0)
        below = inked[min(height, y + h + near):min(height, y + h + far), x:x + w].any(axis=0)
        share, both = (PRINT_BAR_SHORT_SHARE, PRINT_BAR_SHORT_BOTH) if w < PRINT_BAR_SHORT_PT * pt \
            else (PRINT_BAR_SHARE, PRINT_BAR_BOTH)
        if above.size and below.size and (above | below).mean() >= share and (above & below).mean() >= both:
            bars.append(i)
    if not bars:
        return horizontal.copy()
    out = horizontal.copy()
    out[np.isin(labels, bars)] = 0
    return out


def vertical_rules(vertical: np.ndarray, k: float, cells: list[Box], dpi: float) -> list[tuple[float, float, float]]:
    """Vertical rules as (x, top, bottom) in full-resolution pixels: those that part two of
    ``cells`` (full-resolution boxes) or close one. A scanner's streak running down the page is
    long and straight, but it bounds no cell, and a line of print cut at it loses a character
    (「试点单位」 read 「试点单」 + 「立」)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    rules = [((x + w / 2.0) / k, y / k, (y + h) / k) for x, y, w, h, _ in stats[1:]]
    near = RULE_ON_EDGE_PT * dpi / 72.0
    return [(x, top, bottom) for x, top, bottom in rules
            if any(min(abs(c.x0 - x), abs(c.x1 - x)) <= near and c.top < bottom and c.bottom > top for c in cells)]


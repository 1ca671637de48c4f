"""Words of a scanned page: text lines detected, cut at the rules, recognised; what the detector
missed read from its cell.

Text lines are detected on a reduced copy of the page; each line box is cut where a vertical rule
crosses it (so a ``Word`` never spans two cells) and split where blank rows separate two stacked
lines; each piece is recognised from the full-resolution image (:mod:`pipeline.read.ocr`). The
detector misses a lone character and labels stacked one character a line: cells holding
character-sized ink no word covers are read glyph by glyph (:func:`unread_cells`).
"""

from __future__ import annotations

import cv2
import numpy as np

from .ink import dark
from .ocr import MIN_TEXT_SCORE, detect_lines, recognise
from .page import Box, Word

# Text lines are detected at this resolution: the detector's cost grows with the pixel count and
# 10.5 pt print is still ~13 px high here (same words found as at 100–110 dpi on our forms).
DETECT_DPI = 90.0
# Ink smaller than this (points) is a speck, not a character (五号 print is ~10 pt; a 「/」 ~8 pt).
CHAR_MIN_PT = 5.0
# A label column (试点/单位/概况 stacked two characters a line) is at most this wide.
NARROW_CELL_PT = 60.0
# A piece this many times taller than the page's typical line holds more than a line of print.
TALL_PIECE = 1.8
# A line the detector missed is read when it is at least this many characters long, and read
# with at least this confidence (a scribble never reads so).
MISSED_LINE_CHARS = 3
MISSED_LINE_SCORE = 0.8

def ocr_words(clean: np.ndarray, dpi: float, rules: list[tuple[float, float, float]],
              discs: list[tuple[float, float, float]] = ()) -> list[Word]:
    """The recognised words of a cleaned grey page, in reading order; ``rules``: vertical rules
    (x, top, bottom) in pixels; ``discs``: seals on the page (x, y, radius in pixels): a line
    running into one is cut at its edge (between two characters), so that the print beside the
    seal reads alone."""
    scale = min(1.0, DETECT_DPI / dpi)
    small = cv2.resize(clean, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else clean
    boxes = detect_lines(small)
    if not boxes:
        return []
    height, width = clean.shape
    ink = dark(clean)
    pad = max(2, int(round(1.5 * dpi / 72)))
    to_pt = 72.0 / dpi
    pieces: list[tuple[int, int, int, int]] = []
    for quad in boxes:
        quad = quad / scale
        x0, y0 = max(0, int(quad[:, 0].min())), max(0, int(quad[:, 1].min()))
        x1, y1 = min(width, int(np.ceil(quad[:, 0].max()))), min(height, int(np.ceil(quad[:, 1].max())))
        if x1 - x0 < 3 or y1 - y0 < 3:
            continue
        # A detected line may run across a vertical rule (label and value side by side):
        # cut it there, so every Word lies inside one cell.
        middle = (y0 + y1) / 2.0
        cuts = sorted(x for x, top, bottom in rules if x0 < x < x1 and top <= middle <= bottom)
        edges = [x0] + [int(round(c)) for c in cuts] + [x1]
        for a, b in zip(edges, edges[1:]):
            pieces.extend(_lines_in(ink, a, y0, b, y1, dpi))
    def crop(piece):
        x0, y0, x1, y1 = piece
        return clean[max(0, y0 - pad):min(height, y1 + pad), max(0, x0 - pad):min(width, x1 + pad)]

    readings = list(zip(pieces, recognise([crop(p) for p in pieces])))
    # a line running under a seal that did not read (the print under the seal spoilt it, or,
    # without colour, the seal's own characters) is read again in pieces cut at the seal's edge
    # (between two characters): what lies beside the seal reads cleanly
    # and a piece much taller than a line of print (a scribble or a seal above and below it
    # joined to the line) is read again as the band of print it holds
    failed = [piece for piece, (text, score) in readings if not text or score < MIN_TEXT_SCORE]
    line = float(np.median([p[3] - p[1] for p in pieces])) if pieces else 0.0
    retry = [part for piece in failed for part in _beside_seals(piece, discs, ink)]
    retry += [band for piece in failed if line and piece[3] - piece[1] > TALL_PIECE * line
              for band in [_print_band(piece, ink, int(line))] if band]
    readings += list(zip(retry, recognise([crop(p) for p in retry])))
    found = []
    for (x0, y0, x1, y1), (text, score) in readings:
        if text and score >= MIN_TEXT_SCORE:
            found.append((score, Word(float(x0 * to_pt), float(y0 * to_pt), float(x1 * to_pt), float(y1 * to_pt),
                                      text=text, score=round(float(score), 3))))
    # Overlapping detections of one line (cut from two neighbouring boxes) count once.
    words: list[Word] = []
    for score, word in sorted(found, key=lambda f: -f[0]):
        if all(word.intersection(w) < 0.6 * min(word.area, w.area) for w in words):
            words.append(word)
    return reading_order(words)


def unread_cells(clean: np.ndarray, dpi: float, cells: list[Box], words: list[Word]) -> list[Word]:
    """Words for cells that hold characters the line detector did not find.

    At the detection resolution the detector misses a lone character (「男」 in a 性别 cell) and
    a label stacked one character per line in a narrow cell (试/点/单/位/概/况), or finds
    only some lines of one stacked two characters a line (试点/单位/改革/…/情况). A cell with
    no word in it but character-sized ink, and the ink no word covers in a narrow cell, is
    read here: each stacked line, or the one line, cut from the full-resolution page and
    recognised. Specks of dirt are too small to count.
    """
    to_pt = 72.0 / dpi
    ink = dark(clean)
    height, width = clean.shape
    inset = max(2, int(round(1.5 * dpi / 72)))
    min_char = CHAR_MIN_PT * dpi / 72
    # a word smaller than a character (「1」 read off a rule's stub) does not fill its cell
    taken = [Box(w.x0 / to_pt, w.top / to_pt, w.x1 / to_pt, w.bottom / to_pt) for w in words
             if max(w.x1 - w.x0, w.bottom - w.top) >= CHAR_MIN_PT]
    narrow = NARROW_CELL_PT * dpi / 72
    jobs: list[tuple[list[tuple[int, int, int, int]], bool]] = []
    for cell in cells:
        inside = [w for w in taken if cell.contains_point((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2)]
        if inside and cell.width > narrow:
            continue
        x0, y0 = max(0, int(cell.x0) + inset), max(0, int(cell.top) + inset)
        x1, y1 = min(width, int(cell.x1) - inset), min(height, int(cell.bottom) - inset)
        if x1 - x0 < min_char or y1 - y0 < min_char:
            continue
        area = ink[y0:y1, x0:x1]
        if inside:
            # a stacked label the detector read in part (试点/单位/改革/…/情况): the rest of it
            area = area.copy()
            for w in inside:
                area[max(0, int(w.top) - inset - y0):max(0, int(w.bottom) + inset - y0),
                     max(0, int(w.x0) - inset - x0):max(0, int(w.x1) + inset - x0)] = 0
        glyphs = _glyphs(area, min_char)
        if inside:
            glyphs = [g for g in glyphs if g[3] - g[1] >= min_char]  # whole characters, not a dot
        if not glyphs:
            continue
        glyphs = [(x0 + a, y0 + b, x0 + c, y0 + d) for a, b, c, d in glyphs]
        jobs.append((glyphs, bool(inside) or _stacked(glyphs)))
    if not jobs:
        return []
    pad = max(2, int(round(1.5 * dpi / 72)))
    crops = []
    for glyphs, stacked in jobs:
        if stacked:
            crops.append(_side_by_side([clean[b - pad:d + pad, a - pad:c + pad] for a, b, c, d in glyphs]))
        else:
            a, b = min(g[0] for g in glyphs), min(g[1] for g in glyphs)
            c, d = max(g[2] for g in glyphs), max(g[3] for g in glyphs)
            crops.append(clean[max(0, b - pad):d + pad, max(0, a - pad):c + pad])
    found = []
    for (glyphs, stacked), (text, score) in zip(jobs, recognise(crops)):
        if not text or score < MIN_TEXT_SCORE:
            continue
        per_glyph = _split_over(text, glyphs) if stacked else None
        if per_glyph:
            found.extend(Word(a * to_pt, b * to_pt, c * to_pt, d * to_pt, text=part, score=round(float(score), 3))
                         for part, (a, b, c, d) in zip(per_glyph, glyphs))
        else:
            a, b = min(g[0] for g in glyphs), min(g[1] for g in glyphs)
            c, d = max(g[2] for g in glyphs), max(g[3] for g in glyphs)
            found.append(Word(a * to_pt, b * to_pt, c * to_pt, d * to_pt, text=text, score=round(float(score), 3)))
    return found


def _split_over(text: str, glyphs: list[tuple[int, int, int, int]]) -> list[str] | None:
    """``text`` read from stacked glyph rows, cut back into each row's characters (a row of
    a label column holds one or two characters, about as wide as tall each); None if the
    count does not add up."""
    counts = [max(1, round((c - a) / max(1, d - b))) for a, b, c, d in glyphs]
    if sum(counts) != len(text):
        counts = [1] * len(glyphs)
        if len(glyphs) != len(text):
            return None
    parts, at = [], 0
    for count in counts:
        parts.append(text[at:at + count])
        at += count
    return parts


def _glyphs(ink: np.ndarray, min_char: float) -> list[tuple[int, int, int, int]]:
    """Character-sized boxes of ink in one cell, top to bottom: rows of ink cut at blank rows,
    pieces of one character (the two parts of 「二」, the dots of 「单」) joined again; specks
    (smaller than ``min_char``) dropped."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    keep = np.zeros(count, dtype=bool)
    strokes = [i for i in range(1, count) if max(stats[i, 2], stats[i, 3]) >= 0.5 * min_char]
    keep[strokes] = True
    near = 0.6 * min_char
    for i in range(1, count):  # a dot belongs to a character (「单」「点」) when it is close to a stroke
        if keep[i]:
            continue
        x, y, w, h, _ = stats[i]
        keep[i] = any(x < stats[j, 0] + stats[j, 2] + near and stats[j, 0] < x + w + near
                      and y < stats[j, 1] + stats[j, 3] + near and stats[j, 1] < y + h + near
                      for j in strokes)
    mask = keep[labels]
    rows = np.flatnonzero(mask.any(axis=1))
    if not len(rows):
        return []
    runs, start, last = [], rows[0], rows[0]
    for r in rows[1:]:
        if r > last + 1:
            runs.append((start, last + 1))
            start = r
        last = r
    runs.append((start, last + 1))
    boxes = []
    for top, bottom in runs:
        cols = np.flatnonzero(mask[top:bottom].any(axis=0))
        boxes.append([int(cols[0]), int(top), int(cols[-1]) + 1, int(bottom)])
    # join pieces of one character: while the union is no taller than the tallest piece (a
    # whole character such as 「试」) by more than a fifth
    tallest = max(max(b[3] - b[1] for b in boxes), 1.6 * min_char)
    joined: list[list[int]] = []
    for box in boxes:
        if joined:
            last_box = joined[-1]
            union = [min(last_box[0], box[0]), last_box[1], max(last_box[2], box[2]), box[3]]
            if union[3] - union[1] <= 1.2 * tallest:
                joined[-1] = union
                continue
        joined.append(box)
    return [tuple(b) for b in joined if max(b[2] - b[0], b[3] - b[1]) >= min_char]


def _stacked(glyphs: list[tuple[int, int, int, int]]) -> bool:
    """Several characters one above the other (a vertical label), not one line of text."""
    return len(glyphs) > 1 and all(b[1] >= a[3] for a, b in zip(glyphs, glyphs[1:]))


def _side_by_side(crops: list[np.ndarray]) -> np.ndarray:
    """Character crops laid out as one horizontal line, for the line recogniser."""
    height = max(c.shape[0] for c in crops)
    gap = max(2, height // 5)
    parts = []
    for crop in crops:
        top = (height - crop.shape[0]) // 2
        canvas = np.full((height, crop.shape[1] + gap), 255, dtype=np.uint8)
        canvas[top:top + crop.shape[0], :crop.shape[1]] = crop
        parts.append(canvas)
    return np.hstack(parts)


def _lines_in(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int, dpi: float):
    """The text lines inside a piece of a detected box, each trimmed to its ink.

    At the detection resolution two short lines stacked in a narrow label cell
    (「试点/单位/改革/工作」) can come back as one box; blank rows separate them again. A run
    shorter than 6 pt is part of a character (the strokes of 二, 三), not a line of its own.
    """
    region = ink[y0:y1, x0:x1]
    if region.sum() < 6:
        return []
    rows = region.any(axis=1)
    runs, start = [], None
    for i, filled in enumerate(np.append(rows, False)):
        if filled and start is None:
            start = i
        elif not filled and start is not None:
            runs.append([start, i])
            start = None
    min_line = 6.0 * dpi / 72
    # A sliver at the box's edge is the neighbouring line's ascenders or descenders.
    runs = [r for r in runs if r[1] - r[0] >= min_line or 0 < r[0] and r[1] < len(rows)] or runs
    if len(runs) > 1 and not all(b - a >= min_line for a, b in runs):
        runs = [[runs[0][0], runs[-1][1]]]
    pieces = []
    for top, bottom in runs:
        cols = np.nonzero(region[top:bottom].any(axis=0))[0]
        if len(cols) and region[top:bottom].sum() >= 6:
            pieces.append((x0 + int(cols[0]), y0 + top, x0 + int(cols[-1]) + 1, y0 + bottom))
    return pieces


def reading_order(words: list[Word]) -> list[Word]:
    """Top to bottom by line (words whose middles are within half a line height), then left to right."""
    words = sorted(words, key=lambda w: (w.top + w.bottom) / 2)
    lines: list[list[Word]] = []
    for word in words:
        middle = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            ref = sum((w.top + w.bottom) / 2 for w in last) / len(last)
            if abs(middle - ref) < 0.5 * min(word.height, last[0].height):
                last.append(word)
                continue
        lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w.x0)]



def _beside_seals(piece, discs, ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """A line piece cut where seals cross it (at gaps between characters); [] when none does."""
    x0, y0, x1, y1 = piece
    middle = (y0 + y1) / 2.0
    cuts = []
    for cx, cy, r in discs:
        if abs(middle - cy) < r:
            half = float(np.sqrt(r * r - (middle - cy) ** 2))
            cuts += [_gap_near(ink, x, y0, y1) for x in (cx - half, cx + half) if x0 + 4 < x < x1 - 4]
    if not cuts:
        return []
    edges = [x0] + sorted(set(cuts)) + [x1]
    return [(a, y0, b, y1) for a, b in zip(edges, edges[1:]) if b - a > (y1 - y0) // 2]


def _gap_near(ink: np.ndarray, x: float, y0: int, y1: int) -> int:
    """The column nearest ``x`` (within most of a character) with the least ink between ``y0`` and
    ``y1``: a line cut there is cut between two characters, not through one (read twice)."""
    reach = max(2, int(0.8 * (y1 - y0)))
    a, b = max(0, int(x) - reach), min(ink.shape[1], int(x) + reach + 1)
    if b <= a:
        return int(x)
    columns = ink[y0:y1, a:b].sum(axis=0)
    least = columns.min()
    candidates = np.flatnonzero(columns == least) + a
    return int(candidates[np.argmin(np.abs(candidates - x))])


def _print_band(piece, ink: np.ndarray, line: int) -> tuple[int, int, int, int] | None:
    """The band of a tall piece, one line of print high, that holds the most ink: the printed line
    a scribble or a seal above and below it joined into one detection."""
    x0, y0, x1, y1 = piece
    rows = ink[y0:y1, x0:x1].sum(axis=1).astype(np.float64)
    height = max(2, int(line * 1.15))
    if len(rows) <= height:
        return None
    window = np.convolve(rows, np.ones(height), mode="valid")
    top = int(np.argmax(window))
    return x0, y0 + top, x1, y0 + top + height


def missed_lines(clean: np.ndarray, dpi: float, cells: list[Box], words: list[Word],
                 discs: list[tuple[float, float, float]] = ()) -> list[Word]:
    """Lines of print in a wide cell that the detector did not find at all (it misses a line
    now and then beside a seal, a scribble or a rule's shadow): bands of ink a line of print
    high, several characters long, that no word covers, read from the full-resolution page.
    Only a confident reading of a few characters counts, so a scribble is never taken for print;
    nothing inside a seal (``discs``: x, y, radius in pixels) is looked for — on a page without
    colour the seal's own characters and code are there.
    """
    if not words:
        return []
    to_pt = 72.0 / dpi
    ink = dark(clean).astype(np.uint8)
    height, width = clean.shape
    pad = max(2, int(round(1.5 * dpi / 72)))
    for w in words:  # what a word covers is read
        ink[max(0, int(w.top / to_pt) - pad):int(w.bottom / to_pt) + pad,
            max(0, int(w.x0 / to_pt) - pad):int(w.x1 / to_pt) + pad] = 0
    line = int(np.median([w.bottom - w.top for w in words]) / to_pt)
    narrow = NARROW_CELL_PT * dpi / 72
    pieces = []
    for cell in cells:
        if cell.width <= narrow or cell.height < line:
            continue
        x0, y0 = max(0, int(cell.x0) + pad), max(0, int(cell.top) + pad)
        x1, y1 = min(width, int(cell.x1) - pad), min(height, int(cell.bottom) - pad)
        area = ink[y0:y1, x0:x1]
        if area.sum() < 3 * line:
            continue
        rows = area.sum(axis=1) >= max(3, line // 6)  # a row of print crosses several strokes
        for top, bottom in _runs(rows):
            if bottom - top < 0.6 * line:
                continue
            band = _print_band((x0, y0 + top, x1, y0 + bottom), ink, line) if bottom - top > TALL_PIECE * line \
                else (x0, y0 + top, x1, y0 + bottom)
            if band is None:
                continue
            cols = np.flatnonzero(ink[band[1]:band[3], band[0]:band[2]].any(axis=0))
            if len(cols) and cols[-1] - cols[0] >= MISSED_LINE_CHARS * line:
                piece = (band[0] + int(cols[0]), band[1], band[0] + int(cols[-1]) + 1, band[3])
                middle = ((piece[0] + piece[2]) / 2, (piece[1] + piece[3]) / 2)
                if not any(np.hypot(middle[0] - x, middle[1] - y) < r for x, y, r in discs):
                    pieces.append(piece)
    if not pieces:
        return []
    crops = [clean[max(0, b - pad):d + pad, max(0, a - pad):c + pad] for a, b, c, d in pieces]
    found = []
    for (a, b, c, d), (text, score) in zip(pieces, recognise(crops)):
        if score >= MISSED_LINE_SCORE and len(text.strip()) >= MISSED_LINE_CHARS:
            found.append(Word(a * to_pt, b * to_pt, c * to_pt, d * to_pt, text=text, score=round(float(score), 3)))
    return found


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    runs, start = [], None
    for i, flag in enumerate(np.append(flags, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return runs

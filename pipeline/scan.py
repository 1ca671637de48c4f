"""Read a scanned page into the page model: deskew, cells from the ruling lines, seals, OCR.

``read_scan`` turns one RGB page image into a ``PageLayout`` (``source="ocr"``) whose words,
cells and seals are in points (pixels × 72 / dpi) measured on the *deskewed* image, which is
returned alongside so the caller can measure ink (``pipeline.marks.ink_in``) in the same frame.

The steps follow FIELD-NOTES「Reading scans」:

1. deskew from the table's horizontal rules (a fitted line per rule, so the angle is exact to a
   few hundredths of a degree), falling back to a projection profile on pages without rules;
2. cells from the ruling lines (morphology on horizontal and vertical strokes; the enclosed
   white regions are the cells);
3. seals by colour (``marks.find_seals``), then red ink painted out so the seal's characters
   never enter a field;
4. OCR with RapidOCR: text lines are detected on a reduced copy of the page, each line box is
   cut where a vertical rule crosses it (so a ``Word`` never spans two cells), and each piece is
   recognised from the full-resolution image.

This module is the one place that touches the OCR engine.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator

import cv2
import numpy as np

from .errors import UnreadableDocument
from .layout import Box, PageLayout, Word
from .marks import find_seals, red_mask

# Text lines are detected at this resolution: the detector's cost grows with the pixel count
# and 10.5 pt print is still ~13 px high here (same words found as at 100–110 dpi on our forms). Recognition uses the full-resolution crops.
DETECT_DPI = 90.0
# Lines, cells and the angle are measured at no more than this resolution.
RULES_DPI = 150.0
# Largest tilt looked for (degrees).
MAX_TILT = 5.0
# Recognised text below this confidence is dropped.
MIN_TEXT_SCORE = 0.5
# Ink smaller than this (points) is a speck, not a character (五号 print is ~10 pt; a 「/」 ~8 pt).
CHAR_MIN_PT = 5.0
# A label column (试点/单位/概况 stacked two characters a line) is at most this wide.
NARROW_CELL_PT = 60.0


@dataclass
class ScannedPage:
    """One scanned page read: the layout, the deskewed image it was measured on, its dpi."""

    layout: PageLayout
    image: np.ndarray
    dpi: float
    angle: float = 0.0  # degrees the scan was turned to straighten it (counter-clockwise +)


# --- the OCR engine ------------------------------------------------------------------------

_engine = None
_engine_lock = threading.Lock()
#: onnxruntime threads per process; ``None``: one per core. ``share_cores`` sets it in workers.
_threads: int | None = None


def share_cores(workers: int) -> None:
    """Give this process its share of the cores for OCR (a process pool's initializer).

    onnxruntime starts one spinning thread per core in every process: two workers on two
    cores then run four busy threads and each page takes longer than on one core alone.
    """
    global _threads
    _threads = max(1, (os.cpu_count() or 1) // max(1, workers))


def ocr_engine():
    """The process's one RapidOCR engine, created on first use (models ship in the wheel)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                from rapidocr import RapidOCR

                _return_big_blocks()
                threads = {} if _threads is None else {
                    "EngineConfig.onnxruntime.intra_op_num_threads": _threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
                _engine = RapidOCR(params={
                    **threads,
                    # Never shrink what we pass (RapidOCR PR #235 caps the longest side at 2000).
                    "Global.max_side_len": 10000,
                    "Global.log_level": "error",  # an empty crop is normal, not worth a warning on the terminal
                    "Global.text_score": MIN_TEXT_SCORE,
                    # The page is deskewed first: no upside-down lines to classify.
                    "Global.use_cls": False,
                    # Recognition pads every crop to at least this width; the default 320 px
                    # wastes most of the time on short labels such as 「姓名」.
                    "Rec.rec_img_shape": [3, 48, 48],
                    # Detect at the size we pass (the default enlarges a page's short side to 736 px).
                    "Det.limit_type": "min",
                    "Det.limit_side_len": 32,
                })
    return _engine


#: glibc's M_MMAP_THRESHOLD: blocks of this size and more are mapped for themselves.
_M_MMAP_THRESHOLD = -3
_BIG_BLOCK = 2 * 1024 * 1024


def _return_big_blocks() -> None:
    """Have glibc give every block of 2 MB or more back to the system as soon as it is freed.

    onnxruntime's own memory arena is off (RapidOCR's config), so a page's tensors, up to tens
    of MB each and of a new size with every recognition batch, come from malloc. glibc raises
    its mmap threshold to the largest block freed (up to 32 MB); such blocks then stay in the
    heap, whose holes do not fit the next batch's. Measured on a 40-page scan (kexie validate,
    one worker): peak 574 MB as glibc has it, 473 MB pinned at 4 MB, 438 MB at 2 MB, 430 MB at
    1 MB; the pin costs fresh zeroed pages from the kernel, 0.1–0.15 s a page at 2 MB.
    """
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return  # another C library, or the user chose the threshold
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, _BIG_BLOCK)


# --- public API ----------------------------------------------------------------------------


def page_images(pdf_path, dpi: float, numbers: Iterable[int] | None = None) -> Iterator[np.ndarray]:
    """Render each page of a PDF (or the 1-based ``numbers``, in order) as an RGB ``uint8`` array at ``dpi``."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise UnreadableDocument(pdf_path, f"无法打开 PDF（{exc}）") from exc
    try:
        indices = range(len(document)) if numbers is None else [n - 1 for n in numbers]
        for index in indices:
            try:
                page = document[index]
            except pdfium.PdfiumError as exc:
                raise UnreadableDocument(pdf_path, f"第 {index + 1} 页无法渲染（{exc}）") from exc
            try:
                bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)  # RGB, not pdfium's BGR
                if bitmap.mode == "RGB":
                    image = np.array(bitmap.to_numpy())  # a copy of the pixels, rows without padding
                else:  # any other bitmap format pdfium may choose (one with alpha)
                    image = np.asarray(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
            del bitmap  # this frame waits at the yield while the page is read: hold only the copy
            yield image
    finally:
        document.close()


def read_scan(image: np.ndarray, dpi: float, number: int) -> ScannedPage:
    """Read one scanned page (RGB ``uint8``) into words, cells and seals in points."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("read_scan expects an RGB uint8 image (height × width × 3)")
    angle = estimate_skew(image, dpi)
    straight = rotate(image, angle) if abs(angle) >= 0.02 else image
    to_pt = 72.0 / dpi
    height, width = straight.shape[:2]

    seals = find_seals(straight, dpi)
    gray = _without_red(straight)
    horizontal, vertical, k = _rules(gray, dpi, seals)
    cells = _cells(cv2.bitwise_or(horizontal, _closing_rules(horizontal, vertical, dpi * k / 72.0)),
                   vertical, k, dpi)

    # OCR input: red ink and ruling lines painted out, so neither the seal's characters nor a
    # rule read as "1" / "|" end up in a field.
    clean = gray.copy()
    rules_full = cv2.resize(cv2.bitwise_or(horizontal, vertical), (width, height), interpolation=cv2.INTER_NEAREST)
    grow = max(3, int(round(1.2 * dpi / 72)) | 1)
    clean[cv2.dilate(rules_full, np.ones((grow, grow), np.uint8)) > 0] = 255
    rules = _vertical_rules(vertical, k)
    del gray, rules_full, horizontal, vertical  # free before the OCR engine's peak
    # a 「1」 read off a rule's stub (a box a point across) is no word; the smallest mark is larger
    words = [w for w in _ocr_words(clean, dpi, rules) if max(w.x1 - w.x0, w.bottom - w.top) >= CHAR_MIN_PT / 2]
    words = _reading_order(words + _unread_cells(clean, dpi, cells, words))

    layout = PageLayout(
        number=number,
        width=width * to_pt,
        height=height * to_pt,
        words=words,
        cells=[Box(float(c.x0 * to_pt), float(c.top * to_pt), float(c.x1 * to_pt), float(c.bottom * to_pt))
               for c in cells],
        seals=seals,
        source="ocr",
    )
    return ScannedPage(layout=layout, image=straight, dpi=dpi, angle=angle)


# --- deskew --------------------------------------------------------------------------------


def estimate_skew(image: np.ndarray, dpi: float) -> float:
    """Tilt of the page in degrees; rotating by it (``rotate``) makes the rules level."""
    gray = _without_red(image)
    scale = min(1.0, 100.0 / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    work_dpi = dpi * scale
    ink = _binary(small)
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


# --- rules and cells -----------------------------------------------------------------------


def _without_red(image: np.ndarray) -> np.ndarray:
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


def _binary(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0, the threshold relative to the paper (grey scan backgrounds)."""
    paper = float(np.percentile(gray, 90))
    return ((gray < paper * 0.7) * 255).astype(np.uint8)


def _rules(gray: np.ndarray, dpi: float, seals: Iterable[Box] = ()):
    """Horizontal and vertical rule masks at ``min(dpi, RULES_DPI)`` and the scale used.

    ``seals`` (boxes in points): a rule under a seal is lost where the seal's ring and
    characters cover it, up to the seal's whole width; gaps inside a seal's disc are bridged.
    """
    k = min(1.0, RULES_DPI / dpi)
    small = cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else gray
    work = dpi * k
    ink = _binary(small)
    pt = work / 72.0
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(30 * pt), 1)))
    # Vertical rules of a 24 pt row are ~24 pt; a printed character's stroke is at most ~15 pt.
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(16 * pt))))
    # Bridge breaks in a rule (scanner dropouts; a seal's ring painted out where it crosses
    # the rule) and let rules meet at the corners.
    bridge = max(3, int(10 * pt))
    closed_h = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    closed_v = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge)))
    discs = np.zeros(ink.shape, np.uint8)
    for seal in seals:
        centre = (int((seal.x0 + seal.x1) / 2 * pt), int((seal.top + seal.bottom) / 2 * pt))
        cv2.circle(discs, centre, int(max(seal.width, seal.height) / 2 * pt) + 2, 255, thickness=-1)
    if discs.any():
        wide = max(3, int(max(s.width for s in seals) * 1.05 * pt))
        for mask, closed, shape in ((horizontal, closed_h, (wide, 1)), (vertical, closed_v, (1, wide))):
            further = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, shape))
            closed[(further > 0) & (discs > 0)] = 255
    horizontal, vertical = closed_h, closed_v
    vertical = _table_verticals(vertical, horizontal, pt)
    reach = max(3, int(2.5 * pt) | 1)
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 1)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (1, reach)))
    return horizontal, vertical, k


def _table_verticals(vertical: np.ndarray, horizontal: np.ndarray, pt: float) -> np.ndarray:
    """Keep the vertical strokes that are table rules: long, or running from rule to rule.

    The stems of a title's characters (16–22 pt print: 「科」「协」「书」) and of an underlined cover
    line (「申报单位：____」, the stem standing on the underline) are as tall as a short row's
    rule. Painted out as rules they cost the cover its 「科学技术协会」; a rule between two
    horizontal rules touches one at each end, a stem at most one.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    if count <= 1:
        return vertical
    near = max(2, int(round(3 * pt)))
    long_enough = 40 * pt
    h, w = vertical.shape
    drop = []
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if bh >= long_enough:
            continue
        xa, xb = max(0, x - near), min(w, x + bw + near)
        top = horizontal[max(0, y - near):min(h, y + near + 1), xa:xb].any()
        bottom = horizontal[max(0, y + bh - 1 - near):min(h, y + bh + near), xa:xb].any()
        if not (top and bottom):
            drop.append(i)
    if not drop:
        return vertical
    keep = vertical.copy()
    keep[np.isin(labels, drop)] = 0
    return keep


def _cells(horizontal: np.ndarray, vertical: np.ndarray, k: float, dpi: float) -> list[Box]:
    """Rectangular regions enclosed by rules, in full-resolution pixels, edges on the rules' centres."""
    grid = cv2.bitwise_or(horizontal, vertical)
    if cv2.countNonZero(grid) == 0:
        return []
    # The enclosed white region stops at the rule's edge; the cell (like pdfplumber's) at the
    # rule's centre line, half a (widened) rule further out.
    rows = horizontal.any(axis=1)
    runs = _count_runs(rows)
    half = max(0.5, int(rows.sum()) / max(1, runs) / 2.0)
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
        cells.append(Box((x - half) / k, (y - half) / k, (x + bw - 1 + half) / k, (y + bh - 1 + half) / k))
    cells.sort(key=lambda c: (round(c.top), c.x0))
    return cells


def _closing_rules(horizontal: np.ndarray, vertical: np.ndarray, pt: float) -> np.ndarray:
    """Horizontal lines that close a box cut by a page break (the scan's own _closing_edges).

    A box that runs on to the next page is printed without its bottom rule (and, on the next
    page, often without its top): where two or more long vertical rules end at the same height
    with no horizontal rule there, a line between them makes the open box a cell.
    """
    added = np.zeros_like(horizontal)
    count, _, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    long_rules = [s for s in stats[1:] if s[3] >= 40 * pt]
    snap = max(2, int(round(4 * pt)))
    for end in (lambda s: s[1], lambda s: s[1] + s[3] - 1):  # top, bottom
        group: list = []
        for rule in sorted(long_rules, key=end) + [None]:
            if rule is not None and group and end(rule) - end(group[0]) <= snap:
                group.append(rule)
                continue
            if len(group) >= 2:
                y = int(round(sum(end(r) for r in group) / len(group)))
                x0, x1 = min(r[0] for r in group), max(r[0] + r[2] for r in group)
                band = horizontal[max(0, y - snap):y + snap + 1, x0:x1].any(axis=0)
                if band.mean() < 0.5:
                    added[max(0, y - 1):y + 2, x0:x1] = 255
            group = [rule]
    return added


def _count_runs(flags: np.ndarray) -> int:
    flags = flags.astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate([[0], flags])) == 1))


def _vertical_rules(vertical: np.ndarray, k: float) -> list[tuple[float, float, float]]:
    """Vertical rules as (x, top, bottom) in full-resolution pixels."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    return [((x + w / 2.0) / k, y / k, (y + h) / k) for x, y, w, h, _ in stats[1:]]


# --- OCR -----------------------------------------------------------------------------------


def _ocr_words(clean: np.ndarray, dpi: float, rules: list[tuple[float, float, float]]) -> list[Word]:
    engine = ocr_engine()
    scale = min(1.0, DETECT_DPI / dpi)
    small = cv2.resize(clean, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else clean
    with _engine_lock:
        detected = engine(cv2.cvtColor(small, cv2.COLOR_GRAY2RGB), use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(detected, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return []
    height, width = clean.shape
    ink = _ink(clean)
    pad = max(2, int(round(1.5 * dpi / 72)))
    to_pt = 72.0 / dpi
    pieces: list[tuple[int, int, int, int]] = []
    for quad in boxes:
        quad = np.asarray(quad, dtype=np.float64) / scale
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
    crops = [clean[max(0, y0 - pad):min(height, y1 + pad), max(0, x0 - pad):min(width, x1 + pad)]
             for x0, y0, x1, y1 in pieces]
    found = []
    for (x0, y0, x1, y1), (text, score) in zip(pieces, _recognise(engine, crops)):
        if text and score >= MIN_TEXT_SCORE:
            found.append((score, Word(float(x0 * to_pt), float(y0 * to_pt), float(x1 * to_pt), float(y1 * to_pt), text=text)))
    # Overlapping detections of one line (cut from two neighbouring boxes) count once.
    words: list[Word] = []
    for score, word in sorted(found, key=lambda f: -f[0]):
        if all(word.intersection(w) < 0.6 * min(word.area, w.area) for w in words):
            words.append(word)
    return _reading_order(words)


def _ink(clean: np.ndarray) -> np.ndarray:
    """Dark pixels of the cleaned page (relative to its paper, which is rarely white)."""
    return clean < float(np.percentile(clean, 90)) * 0.7


def _unread_cells(clean: np.ndarray, dpi: float, cells: list[Box], words: list[Word]) -> list[Word]:
    """Words for cells that hold characters the line detector did not find.

    At the detection resolution the detector misses a lone character (「男」 in a 性别 cell) and
    a label stacked one character per line in a narrow cell (试/点/单/位/概/况), or finds
    only some lines of one stacked two characters a line (试点/单位/改革/…/情况). A cell with
    no word in it but character-sized ink, and the ink no word covers in a narrow cell, is
    read here: each stacked line, or the one line, cut from the full-resolution page and
    recognised. Specks of dirt are too small to count.
    """
    to_pt = 72.0 / dpi
    ink = _ink(clean)
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
    for (glyphs, stacked), (text, score) in zip(jobs, _recognise(ocr_engine(), crops)):
        if not text or score < MIN_TEXT_SCORE:
            continue
        per_glyph = _split_over(text, glyphs) if stacked else None
        if per_glyph:
            found.extend(Word(a * to_pt, b * to_pt, c * to_pt, d * to_pt, text=part)
                         for part, (a, b, c, d) in zip(per_glyph, glyphs))
        else:
            a, b = min(g[0] for g in glyphs), min(g[1] for g in glyphs)
            c, d = max(g[2] for g in glyphs), max(g[3] for g in glyphs)
            found.append(Word(a * to_pt, b * to_pt, c * to_pt, d * to_pt, text=text))
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


def _recognise(engine, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each crop, in simplified characters."""
    return [(_simplified(text), score) for text, score in _recognised(engine, crops)]


_to_simplified = None


def _simplified(text: str) -> str:
    """The PP-OCR recogniser was trained on both scripts and now and then returns a character's
    traditional form (「性別」, 「黃」); the forms are written in simplified characters.

    Only characters outside GB 2312 (the simplified set) are converted (OpenCC t2s): 「沈」 is
    a surname in simplified text, though t2s would make it 「沉」.
    """
    global _to_simplified
    if not text or all(_in_gb2312(char) for char in text):
        return text
    if _to_simplified is None:
        import opencc

        _to_simplified = opencc.OpenCC("t2s")
    return "".join(char if _in_gb2312(char) else _to_simplified.convert(char) for char in text)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _recognised(engine, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each crop, recognised in one batch."""
    if not crops:
        return []
    images = [cv2.cvtColor(c, cv2.COLOR_GRAY2RGB) for c in crops]
    with _engine_lock:
        recognizer = getattr(engine, "text_rec", None)
        if recognizer is None:
            # The first recognition loads the model; later pages batch through it directly.
            first = engine(images[0], use_det=False, use_cls=False, use_rec=True)
            recognizer = getattr(engine, "text_rec", None)
            if recognizer is None:  # a future RapidOCR without the attribute: one crop at a time
                return [_first_text(first)] + [
                    _first_text(engine(im, use_det=False, use_cls=False, use_rec=True)) for im in images[1:]]
        from rapidocr.ch_ppocr_rec import TextRecInput

        if not all(hasattr(recognizer, name) for name in
                   ("rec_image_shape", "rec_batch_num", "resize_norm_img", "session", "postprocess_op")):
            result = recognizer(TextRecInput(img=images))
            return [(str(t).strip(), float(s)) for t, s in zip(result.txts, result.scores)]
        return _recognise_each(recognizer, images)


def _recognise_each(recognizer, images: list[np.ndarray]) -> list[tuple[str, float]]:
    """RapidOCR's batched recognition, one crop at a time.

    The recogniser sorts crops by width and pads each batch of six to its widest crop; running
    the six as one tensor needs up to ~300 MB on a page of long lines. Each crop alone, padded
    to the same width, gives the model the very same input (same text and scores) in a sixth
    of the memory, and is no slower.
    """
    ratios = np.array([image.shape[1] / float(image.shape[0]) for image in images])
    order = np.argsort(ratios)
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    _, height, width = recognizer.rec_image_shape[:3]
    for start in range(0, len(order), recognizer.rec_batch_num):
        group = order[start:start + recognizer.rec_batch_num]
        widest = max([width / height] + [ratios[i] for i in group])
        for i in group:
            tensor = recognizer.resize_norm_img(images[i], widest)[np.newaxis].astype(np.float32)
            lines, _ = recognizer.postprocess_op(recognizer.session(tensor), False,
                                                 wh_ratio_list=[ratios[i]], max_wh_ratio=widest)
            out[i] = (str(lines[0][0]).strip(), float(lines[0][1]))
    return out


def _first_text(result) -> tuple[str, float]:
    txts = getattr(result, "txts", None)
    if not txts:
        return "", 0.0
    return str(txts[0]).strip(), float(result.scores[0])


def _reading_order(words: list[Word]) -> list[Word]:
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

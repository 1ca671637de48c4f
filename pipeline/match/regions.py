"""A document as the matcher sees it: cells of the ruled tables and free lines, with their text.

Words fall into the smallest cell that holds their middle; the rest form free lines. A region's
text joins the lines of one paragraph without a separator (Chinese wraps mid-sentence) and starts
a new paragraph with "\n" where the writer indented or a line stopped short; it keeps, for every
character of its folded text (:func:`pipeline.text.fold_with_origin`), where it came from, so a
label found in folded text maps back to the words on the page.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..read.page import Box, PageLayout, Word
from ..text import fold, fold_with_origin, is_cjk, is_latin
from .fuzzy import fuzzy_find
from .ocrtext import HALF_TO_FULL, printed_width, without_specks

#: points: ruling lines of one grid never meet exactly
SLACK = 3.0
#: a word this many times taller than the typical one in its region is no line of print
TALL = 1.8

@dataclass
class Line:
    """Words on one line of a region, left to right."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        out = ""
        previous = None
        for word in self.words:
            if previous is not None and out and word.text:
                gap = word.x0 - previous.x1
                # Latin words keep their space; CJK never had one (「1958 年」 is autospacing)
                if gap > 0.25 * max(previous.height, 1) and is_latin(out[-1]) and is_latin(word.text[0]):
                    out += " "
            out += word.text
            previous = word
        return out


@dataclass
class Region:
    """A cell of a ruled table, or one free line of text outside any cell."""

    page: int
    box: Box
    lines: list[Line]
    is_cell: bool
    text: str = ""
    starts: list[int] = field(default_factory=list)  # text index where each line starts
    #: a box continued over several pages: its cells in order (else just this one)
    parts: list["Region"] = field(default_factory=list)
    ocr: bool = False  # read by OCR: allow for its slips when matching printed prompts

    def __post_init__(self):
        self.text, self.starts = _region_text(self)
        self.norm, self.origin = fold_with_origin(self.text)
        if self.ocr:
            self.norm, self.origin = without_specks(self.norm, self.origin)
        # for whole-cell label equality: OCR puts specks of dirt at the ends as 「.」
        self.key = self.norm.strip(".·,'`")
        if not self.parts:
            self.parts = [self]

    def page_of(self, line: Line) -> int:
        for part in self.parts:
            if any(line is own for own in part.lines):
                return part.page
        return self.page

    def find(self, label: str, start: int = 0) -> tuple[int, int] | None:
        """(start, end) in ``text`` of ``label`` (normalised match) at or after ``start``."""
        target = fold(label)
        if not target:
            return None
        first = bisect_left(self.origin, start)
        at = self.norm.find(target, first)
        if at >= 0:
            return self.origin[at], self.origin[at + len(target) - 1] + 1
        if self.ocr and len(target) >= 5:
            hit = fuzzy_find(self.norm, target, first)
            if hit:
                return self.origin[hit[0]], self.origin[hit[1] - 1] + 1
        return None

    def confidence(self, start: int, stop: int) -> float:
        """How sure the reader is of ``text[start:stop]``: the lowest recognition score of the
        words it is made of (1.0 from a text layer; 1.0 for nothing)."""
        scores = []
        for line, line_start in zip(self.lines, self.starts):
            if line_start >= stop or line_start + len(line.text) <= start:
                continue
            position = line_start
            for word in line.words:
                if self.text[position:position + 1] == " " and not word.text.startswith(" "):
                    position += 1  # the space Line.text put between two Latin words
                end = position + max(len(word.text), 1)
                if end > start and position < stop:
                    scores.append(word.score)
                position = end
        return min(scores, default=1.0)

    def x_at(self, index: int) -> tuple[Line, float, float]:
        """The line holding character ``index`` of ``text``, and the x where that character starts and ends."""
        line_no = max((i for i, s in enumerate(self.starts) if s <= index), default=0)
        line = self.lines[line_no]
        offset = index - self.starts[line_no]
        position = 0
        for word in line.words:
            if line.text[position:position + 1] == " " and not word.text.startswith(" "):
                position += 1  # the space Line.text put between two Latin words
            length = max(len(word.text), 1)
            if offset < position + length or word is line.words[-1]:
                step = word.width / length
                inside = min(max(offset - position, 0), length - 1)
                return line, word.x0 + inside * step, word.x0 + (inside + 1) * step
            position += length
        raise IndexError(index)


def _region_text(region: Region) -> tuple[str, list[int]]:
    """Lines of one paragraph joined without a separator (Chinese wraps mid-sentence), paragraphs by "\n"."""
    lines = region.lines
    if not lines:
        return "", []
    if region.parts and len(region.parts) > 1:
        return _joined_text(region.parts)
    breaks = _paragraph_breaks(region, lines)
    text, starts = "", []
    for i, line in enumerate(lines):
        if i:
            text += "\n" if breaks(lines[i - 1], line) else ""
        starts.append(len(text))
        text += line.text
    return text, starts


def _paragraph_breaks(region: Region, lines: list[Line]):
    """A test ``(line, next line) -> bool``: does a new paragraph start between them?

    Where the writer indents paragraphs, an indented line starts one (and only a clearly short
    line ends one). Elsewhere a line that stops short of the right edge ends its paragraph; a
    wrapped line may stop up to three characters short — kinsoku keeps 「，。”」 off the start
    of a line and digits together (「署。2025年」) — so "short" means 3.5 em.
    """
    left = min(line.x0 for line in lines)
    right = _text_right(region, lines)
    # OCR boxes stand taller than the print; a character's width is the em there
    em = (region.ocr and ocr_em(region)) or max(max(line.height for line in lines), 1.0)
    indents = any(line.x0 > left + 0.8 * em for line in lines[1:]) and region.is_cell
    slack = 6.0 if indents else 3.5

    def breaks(line: Line, following: Line) -> bool:
        if not region.is_cell:
            return True
        if following.x0 > left + 0.8 * em:
            return True
        if line.x1 >= right - slack * em:
            return False
        # Short, but the next line's first unbreakable piece would not have fit after it
        # (「50」|「场。2025年」: no break before 「。」 nor inside a number): a wrap, not an end.
        return _leading_width(following) < right - line.x1 - 0.25 * em

    return breaks


#: Characters a line may not start with (kinsoku): they stay with the character before them.
_NO_LINE_START = set("，。、；：？！”’）》」』〉】%,.;:?!)]")


_LEADING_PIECE = re.compile(rf"^.[{re.escape(''.join(_NO_LINE_START))}]*[0-9A-Za-z.%]*")


def _leading_width(line: Line) -> float:
    """Width of the first piece of ``line`` that a line break cannot split (a character with the
    punctuation and digits glued to it), from its word's extent (ASCII counted as half a character)."""
    word = line.words[0]
    piece = _LEADING_PIECE.match(word.text)
    if not piece or not word.text:
        return 0.0

    def units(text: str) -> float:
        return sum(0.5 if char.isascii() else 1.0 for char in text)

    return (word.x1 - word.x0) * units(piece.group()) / max(units(word.text), 0.5)


def _joined_text(parts: list[Region]) -> tuple[str, list[int]]:
    text, starts = "", []
    for i, part in enumerate(parts):
        if i and part.lines:
            text += joiner(parts[i - 1], part) if text else ""
        starts.extend(len(text) + s for s in part.starts)
        text += part.text
    return text, starts


def merged(parts: list[Region]) -> Region:
    """One region for a box that runs over several pages (its text joined across the breaks)."""
    if len(parts) == 1:
        return parts[0]
    return Region(parts[0].page, parts[0].box, [line for part in parts for line in part.lines],
                  True, parts=list(parts), ocr=parts[0].ocr)


def _text_right(region: Region, lines: list[Line]) -> float:
    """Where the lines of a cell end when full: the longest line, or near the cell's right rule.

    Layouts leave different right margins inside a cell, so the longest line tells; but a cell
    of two short paragraphs has no full line, so never less than 1.5 em inside the padding.
    """
    left = min(line.x0 for line in lines)
    padding = max(0.0, left - region.box.x0)
    em = max(max(line.height for line in lines), 1.0)
    ends = [round(line.x1) for line in lines]
    # full lines end at the same x; a line with Latin digits may run a little further
    common = max(set(ends), key=ends.count)
    longest = common if ends.count(common) >= 2 else max(ends)
    return max(longest, region.box.x1 - padding - 1.5 * em)


def lines_of(words: list[Word]) -> list[Line]:
    """Group words into lines: a word joins a line it overlaps by half its height.

    A word much taller than the print around it (a signature OCR read as 「立」, spanning two
    lines) would bridge two lines into one: such words join the line they overlap most, after
    the lines are made, and never widen it.
    """
    heights = sorted(w.height for w in words)
    typical = heights[len(heights) // 2] if heights else 0.0
    tall = [w for w in words if len(heights) >= 3 and w.height > TALL * typical]
    lines: list[list[Word]] = []
    for word in sorted((w for w in words if not any(w is t for t in tall)), key=lambda w: (w.top, w.x0)):
        for line in lines:
            top = min(w.top for w in line)
            bottom = max(w.bottom for w in line)
            overlap = min(bottom, word.bottom) - max(top, word.top)
            # and each one's middle within the other: a scribble OCR read as 「@」 grazing a line
            # of print from below is not on that line
            middle = (word.top + word.bottom) / 2
            centred = top <= middle <= bottom and word.top <= (top + bottom) / 2 <= word.bottom
            if overlap >= 0.5 * min(word.height, bottom - top) and centred:
                line.append(word)
                break
        else:
            lines.append([word])
    bands = [(min(w.top for w in line), max(w.bottom for w in line)) for line in lines]
    for word in tall:
        overlaps = [min(bottom, word.bottom) - max(top, word.top) for top, bottom in bands]
        best = max(range(len(lines)), key=lambda i: overlaps[i], default=None)
        # it joins the line it covers the greater part of; one it only grazes (a signature
        # raising the signer's line into the opinion above it) is not its line
        if best is not None and overlaps[best] >= 0.5 * (bands[best][1] - bands[best][0]):
            lines[best].append(word)
        else:
            lines.append([word])
            bands.append((word.top, word.bottom))
    result = [Line(sorted(line, key=lambda w: w.x0)) for line in lines]
    return sorted(result, key=lambda line: line.top)


class Document:
    """All pages of one file as regions (cells and free lines), in reading order."""

    def __init__(self, layouts: list[PageLayout]):
        self.layouts = {layout.number: layout for layout in layouts}
        self.pages: dict[int, list[Region]] = {}
        for layout in layouts:
            self.pages[layout.number] = _page_regions(layout)
        self.regions = [r for n in sorted(self.pages) for r in self.pages[n]]
        #: The lowest ruling line on any page: where the page's text area ends.
        self.body_bottom = max((c.bottom for layout in layouts for c in layout.cells), default=0.0)

    def cells(self, page: int) -> list[Region]:
        return [r for r in self.pages.get(page, []) if r.is_cell]

    def right_of(self, cell: Region) -> Region | None:
        """The cell in the same row immediately right of ``cell``."""
        best, best_overlap = None, 0.0
        for other in self.cells(cell.page):
            if abs(other.box.x0 - cell.box.x1) > SLACK:
                continue
            overlap = min(other.box.bottom, cell.box.bottom) - max(other.box.top, cell.box.top)
            if overlap > best_overlap and overlap >= 0.5 * min(other.box.height, cell.box.height):
                best, best_overlap = other, overlap
        return best

    def below(self, region: Region) -> Region | None:
        """The first cell under a free line (a heading above its box)."""
        candidates = [c for c in self.cells(region.page)
                      if c.box.top >= region.box.top - SLACK and h_overlap(c.box, region.box) > 0]
        return min(candidates, key=lambda c: c.box.top, default=None)

    def is_last_on_page(self, cell: Region) -> bool:
        return not any(c.box.top >= cell.box.bottom - SLACK for c in self.cells(cell.page)
                       if c is not cell)


def _page_regions(layout: PageLayout) -> list[Region]:
    cells = sorted(layout.cells, key=lambda c: (round(c.top), c.x0))
    inside: dict[int, list[Word]] = {i: [] for i in range(len(cells))}
    free: list[Word] = []
    for word in layout.words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        holders = [i for i, c in enumerate(cells) if c.contains_point(cx, cy)]
        if holders:
            inside[min(holders, key=lambda i: cells[i].area)].append(word)
        else:
            free.append(word)
    ocr = layout.source == "ocr"
    regions = [Region(layout.number, cell, lines_of(inside[i]), True, ocr=ocr) for i, cell in enumerate(cells)]
    for line in lines_of(free):
        box = Box(line.x0, line.top, line.x1, line.bottom)
        regions.append(Region(layout.number, box, [line], False, ocr=ocr))
    return sorted(regions, key=lambda r: (round(r.box.top), r.box.x0))


#: a printed prompt this long (characters) is still found on a scan with one in ten misread
MISREAD_MIN = 10


def line_starting(region: Region, target: str, only: int | None = None) -> int | None:
    """The first line of ``region`` (or line ``only``) whose normalised text starts with ``target``;
    on a scan, a long printed prompt with a character or two misread (「申报单位章见（包括……」)."""
    for line_no, start in enumerate(region.starts):
        if only is not None and line_no != only:
            continue
        at = bisect_left(region.origin, start)
        if at < len(region.origin) and (region.norm.startswith(target, at) or _misread(region, target, at)):
            return line_no
        if line_no == 0 and region.norm.startswith(target):
            return 0
    return None


def _misread(region: Region, target: str, at: int) -> bool:
    """OCR'd text at ``at`` that is ``target`` with at most one character in ten read as another
    (same length, so where the label ends stays where it is)."""
    if not region.ocr or len(target) < MISREAD_MIN:
        return False
    seen = region.norm[at:at + len(target)]
    return len(seen) == len(target) and sum(a != b for a, b in zip(seen, target)) <= len(target) // 10


def h_overlap(a: Box, b: Box) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def joiner(before: Region, after: Region) -> str:
    """"" when the box's text runs on over the page break (the sentence goes on), else "\n"."""
    if not before.lines or not after.lines:
        return ""
    both = Region(before.page, before.box, before.lines + after.lines, True)
    breaks = _paragraph_breaks(both, both.lines)
    return "\n" if breaks(before.lines[-1], after.lines[0]) else ""


def ocr_em(region: Region) -> float | None:
    """A printed Chinese character's width in an OCR region: the median, character by character,
    of its Chinese words' width per character. Long printed lines outweigh the one word that
    took a scribble; figures (「2026 年 5 月」 printed with spaces) and gaps (「年 月 日」) do not count."""
    ems = sorted((w.width / printed_width(w.text, 1.0), len(w.text)) for l in region.lines for w in l.words
                 if len(w.text) >= 2 and not any(c.isspace() for c in w.text)
                 and sum(is_cjk(c) or c in HALF_TO_FULL for c in w.text) >= 0.8 * len(w.text))
    half, seen = sum(n for _, n in ems) / 2, 0
    for em, n in ems:
        seen += n
        if seen >= half:
            return em
    return None


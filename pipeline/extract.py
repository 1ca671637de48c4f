"""Read a returned form back into its fields: PDF → page layouts → cells → fields and marks.

The matcher works only on :class:`~pipeline.layout.PageLayout` (from the text layer or from OCR)
and a :class:`~pipeline.forms.FormDefinition`; it finds every value by its printed label and the
ruling lines around it, never by coordinates, so the other layouts of the same form (WPS,
re-typeset, scanned) read the same way. ``extract_file`` is a pure function of the file's bytes
and the form, so a batch can run it in a process pool.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError, NotThisForm, UnreadableDocument
from .forms import FieldSpec, FormDefinition
from .layout import Box, Mark, PageLayout, Word
from .pdfdoc import read_pages, render_pages

#: resolution at which text-layer pages are rendered to look for seals and signatures
MARK_DPI = 150  # at 100 dpi a thin seal ring can fall apart and go unseen
#: dark ink (fraction of the signer's area) beyond the printed words that counts as a signature
SIGNATURE_INK = 0.004
#: scanned pages are looked at again at this resolution to tell a lone 「/」 (which OCR misses
#: or reads as 「1.」) from a blank; at 100 dpi a thin grey slash fades under the ink threshold
BLANK_DPI = 150
#: ink (square points) in an answer's area, beyond the printed words, that OCR must have
#: missed: a 「/」 leaves 15–20 pt² whatever the box's size, scanner noise 2–3 pt²
SLASH_INK = 5.0

_SLACK = 3.0  # points: ruling lines of one grid never meet exactly
#: A table row ending this close to the lowest ruling line of the document may have been cut by
#: the page break (Word breaks a row at a line of text: less than two lines are left over).
_CUT_ROW_GAP = 30.0
_DATE = re.compile(r"\d{2,4}年\d{1,2}月\d{1,2}日")
_DATE_SPECKS = re.compile(r"[.·]+(?=[年月日])|(?<=[年月日])[.·]+")  # 「2026.年6月5日」 on a scan
#: what any written date holds, in figures or in words; 「/」 is the form's own 「nothing here」
_DATE_INK = re.compile(r"[\d〇零一二三四五六七八九十年月日/]")


# --- text as the reader sees it --------------------------------------------------------------


def normalise(text: str) -> tuple[str, list[int]]:
    """Text for matching labels, and for each of its characters the index it came from.

    All whitespace goes, and full-width forms fold to half-width (，→, ：→: （→( ／→/ ．→.)
    by NFKC, because Word and WPS differ (FIELD-NOTES). Only for matching: values are reported
    as written.
    """
    chars, origin = [], []
    for index, char in enumerate(text):
        if char.isspace():
            continue
        for folded in unicodedata.normalize("NFKC", char):
            if not folded.isspace():
                chars.append(folded)
                origin.append(index)
    return "".join(chars), origin


def norm(text: str) -> str:
    return normalise(text)[0]


def fuzzy_find(text: str, pattern: str, start: int = 0) -> tuple[int, int] | None:
    """(start, end) of the substring of ``text`` closest to ``pattern`` if within 20 % edits.

    OCR slips a character or two in a long printed prompt (「（单位公音）」, 「书所填内容否准确」);
    Sellers' approximate matching (edit distance, free start) still finds it.
    """
    allowed = max(1, len(pattern) // 5)
    m = len(pattern)
    previous = list(range(m + 1))
    best = None
    # dynamic programme over text columns; ``begin`` tracks where each alignment began
    begin_prev = [start] * (m + 1)
    for j in range(start, len(text)):
        current = [0] * (m + 1)
        begin = [j + 1] * (m + 1)
        begin[0] = j + 1
        char = text[j]
        for i in range(1, m + 1):
            cost = previous[i - 1] + (pattern[i - 1] != char)
            up = current[i - 1] + 1
            left = previous[i] + 1
            value, where = cost, (begin_prev[i - 1] if i > 1 else j)
            if up < value:
                value, where = up, begin[i - 1]
            if left < value:
                value, where = left, begin_prev[i]
            current[i], begin[i] = value, where
        if current[m] <= allowed and (best is None or current[m] < best[0]):
            best = (current[m], begin[m], j + 1)
        elif best is not None and j + 1 - best[2] > m:
            break  # past the best match: stop at the first good one
        previous, begin_prev = current, begin
    return (best[1], best[2]) if best else None


def _close(key: str, label: str) -> bool:
    """A scanned cell's text is a long label (6+ characters) with at most one edit in six."""
    allowed = len(label) // 6
    return bool(allowed) and abs(len(key) - len(label)) <= allowed and _edits(key, label) <= allowed


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _cjk(char: str) -> bool:
    return ord(char) >= 0x2E80  # CJK characters and full-width punctuation


_HALF_TO_FULL = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"}


def _han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


#: Chinese punctuation after which no other of these is ever written.
_PAUSES = set("，、；：。")
_QUOTES = set("“”‘’")


def ocr_punctuation(text: str) -> str:
    """Undo OCR's punctuation slips in Chinese text.

    OCR returns half-width 「(),:;」 where Chinese text has full-width ones, and reads specks of
    dirt as 「.」/「·」: between Chinese characters, or leading a value, neither is ever written;
    nor a 「·」 next to whitespace or between a number and a Chinese character (「30·个」), nor a
    「.」 standing alone or between a number written inside a sentence and the Chinese character
    after it (「项目15.项」; 「。2.加强」 at a paragraph's start is numbering and stays). A 「.」
    inside an e-mail address, a decimal or 「1977.01」 stays. Two pauses in a row (「，，」,
    「、：」) are one pause and a speck; so is a 「.」 after a closing quote or a 「/」, a 「*」
    between Chinese characters (a seal's star) and a colon starting a line.
    """
    chars = list(text)
    out = []
    for i, char in enumerate(chars):
        before = out[-1] if out else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        char = "·" if char in "•∙⋅" else char  # a speck read as any kind of dot
        if char in ".·．" and (not before or _cjk(before) or before in _QUOTES or before == "/"):
            continue
        if char in ":：" and (not before or before.isspace()) and (not after or after.isspace() or _cjk(after)):
            continue  # a colon starting a line (「 :试点」) is a speck
        if char == "*" and before and _cjk(before) and after and _cjk(after):
            continue  # a seal's star read between characters (「，*申报」)
        if _HALF_TO_FULL.get(char, char) in _PAUSES and before in _PAUSES:  # 「，，」「、：」: a speck
            continue
        if char in ".·" and before.isspace() and (not after or after.isspace() or _cjk(after)):
            continue
        if char == "·" and (not after or after.isspace() or _cjk(after)):
            continue
        if char == "." and before.isdigit() and not after:
            continue  # 「1985-05.」: nothing ends in a full stop after a figure but a speck
        if char in ".·" and before.isdigit() and after and _han(after):
            digits = len(out)
            while digits and out[digits - 1].isdigit():
                digits -= 1
            if digits and _han(out[digits - 1]):
                continue
        if char in _HALF_TO_FULL and ((before and _cjk(before)) or (after and _cjk(after) and char in "(")):
            char = _HALF_TO_FULL[char]
        out.append(char)
    return "".join(out)


def fold_whitespace(text: str) -> str:
    """Runs of whitespace to one space, ends trimmed: how values are compared."""
    return " ".join(text.split())


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
                if gap > 0.25 * max(previous.height, 1) and _latin(out[-1]) and _latin(word.text[0]):
                    out += " "
            out += word.text
            previous = word
        return out


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


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
        self.norm, self.origin = normalise(self.text)
        if self.ocr:
            self.norm, self.origin = _without_specks(self.norm, self.origin)
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
        target = norm(label)
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


def _without_specks(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Normalised OCR text without the specks of dirt OCR read as 「.」/「·」 where printed Chinese
    never has one: with Chinese (or nothing) on both sides (「电子 ·」, 「进展.情况」, 「.情况」).
    Only for matching labels; a 「.」 after a digit or a Latin letter (「1.工作计划」) stays."""
    chars, kept = [], []
    for i, char in enumerate(text):
        if char in ".·":
            before = chars[-1] if chars else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (not before or _cjk(before)) and (not after or _cjk(after) or after in ".·"):
                continue
        chars.append(char)
        kept.append(origin[i])
    return "".join(chars), kept


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
    em = (region.ocr and _ocr_em(region)) or max(max(line.height for line in lines), 1.0)
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
            text += _joiner(parts[i - 1], part) if text else ""
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


def _lines(words: list[Word]) -> list[Line]:
    """Group words into lines: a word joins a line it overlaps by half its height."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for line in lines:
            top = min(w.top for w in line)
            bottom = max(w.bottom for w in line)
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= 0.5 * min(word.height, bottom - top):
                line.append(word)
                break
        else:
            lines.append([word])
    result = [Line(sorted(line, key=lambda w: w.x0)) for line in lines]
    return sorted(result, key=lambda line: line.top)


# --- the document as regions -----------------------------------------------------------------


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
            if abs(other.box.x0 - cell.box.x1) > _SLACK:
                continue
            overlap = min(other.box.bottom, cell.box.bottom) - max(other.box.top, cell.box.top)
            if overlap > best_overlap and overlap >= 0.5 * min(other.box.height, cell.box.height):
                best, best_overlap = other, overlap
        return best

    def below(self, region: Region) -> Region | None:
        """The first cell under a free line (a heading above its box)."""
        candidates = [c for c in self.cells(region.page)
                      if c.box.top >= region.box.top - _SLACK and _h_overlap(c.box, region.box) > 0]
        return min(candidates, key=lambda c: c.box.top, default=None)

    def is_last_on_page(self, cell: Region) -> bool:
        return not any(c.box.top >= cell.box.bottom - _SLACK for c in self.cells(cell.page)
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
    regions = [Region(layout.number, cell, _lines(inside[i]), True, ocr=ocr) for i, cell in enumerate(cells)]
    for line in _lines(free):
        box = Box(line.x0, line.top, line.x1, line.bottom)
        regions.append(Region(layout.number, box, [line], False, ocr=ocr))
    return sorted(regions, key=lambda r: (round(r.box.top), r.box.x0))


def _line_starting(region: Region, target: str, only: int | None = None) -> int | None:
    """The first line of ``region`` (or line ``only``) whose normalised text starts with ``target``."""
    for line_no, start in enumerate(region.starts):
        if only is not None and line_no != only:
            continue
        at = bisect_left(region.origin, start)
        if at < len(region.origin) and region.norm.startswith(target, at):
            return line_no
        if line_no == 0 and region.norm.startswith(target):
            return 0
    return None


def _h_overlap(a: Box, b: Box) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


# --- finding the fields ----------------------------------------------------------------------


@dataclass
class Found:
    """Where a field's label and value were found (for marks and continuation pages)."""

    region: Region
    label_end: int = 0
    #: where the field's box ends in ``region.text`` when another box's label follows inside it
    stop: int | None = None
    #: the field's box on each of its pages (a cell, or part of one when two boxes merged)
    areas: list[tuple[int, Box]] = field(default_factory=list)

    def __post_init__(self):
        if not self.areas:
            self.areas = [(part.page, part.box) for part in self.region.parts]


class Matcher:
    """Finds every field of ``form`` in ``document``."""

    def __init__(self, document: Document, form: FormDefinition):
        self.doc = document
        self.form = form
        self.labels = {norm(label) for label in form.all_labels}
        # labels that begin a box or line (others must fill their cell exactly)
        self.leading_labels = {norm(label) for spec in form.fields
                               if spec.find in ("box", "inline", "rows") for label in spec.labels}
        self._near: dict[str, bool] = {}
        #: (row, column, cell) of scanned row-table cells read as empty or as a stray mark
        self.unsure_cells: list[tuple[dict, str, Region]] = []

    # labels

    def _cells_equal(self, labels) -> list[Region]:
        """Cells that hold exactly one of ``labels`` (the first label found wins).

        A narrow label cell cut by a page break (「试点单位改革工作亮点与主」/「要成效」) counts
        too: its first part is returned.
        """
        for label in labels:
            target = norm(label)
            hits = [r for r in self.doc.regions if r.is_cell and r.key and
                    (r.key == target or (target.startswith(r.key) and self._split_label(r, target)))]
            if hits:
                return hits
        # On a scan, a long label with a character or two lost or misread (「试点单位改革工作与主要
        #成效」: the stacked line 「亮点」 not found), when no other label is nearer.
        for label in labels:
            target = norm(label)
            hits = [r for r in self.doc.regions if r.is_cell and r.ocr and r.key and r.key not in self.labels
                    and _close(r.key, target)]
            if hits:
                return hits
        return []

    def _split_label(self, cell: Region, target: str) -> bool:
        text = cell.norm
        while self.doc.is_last_on_page(cell) and len(text) < len(target):
            following = self._first_box(cell.page + 1)
            if following is None:
                return False
            row = [c for c in self.doc.cells(following.page)
                   if abs(c.box.top - following.box.top) <= _SLACK]
            cell = max(row, key=lambda c: _h_overlap(c.box, cell.box))
            if _h_overlap(cell.box, cell.box) <= 0:
                return False
            text += cell.norm
            if not target.startswith(text):
                return False
        return text == target

    def _starting(self, labels, cells_only=False) -> list[tuple[Region, int]]:
        """Regions whose text starts with one of ``labels`` (the first label that occurs wins)."""
        for label in labels:
            target = norm(label)
            hits = [(r, r.origin[len(target) - 1] + 1) for r in self.doc.regions
                    if r.norm.startswith(target) and (r.is_cell or not cells_only)]
            if hits:
                return hits
        return []

    def is_label(self, region: Region) -> bool:
        """Whether a cell or line is printed form text (a label or heading), not an answer
        (on a scan: also a long label with a character misread, 「试占单位改革工作目前进展情况」)."""
        return region.key in self.labels or any(
            region.norm.startswith(label) for label in self.leading_labels if label) or (
            region.ocr and region.is_cell and self._near_label(region.key))

    def _near_label(self, key: str) -> bool:
        if len(key) < 6:
            return False
        if key not in self._near:
            self._near[key] = any(_close(key, label) for label in self.labels)
        return self._near[key]

    def group_of(self, region: Region) -> str | None:
        """The nearest group heading (申报单位负责人 / 试点单位负责人) above a label cell."""
        best, best_key = None, None
        centre = (region.box.x0 + region.box.x1) / 2
        for group in self.form.groups:
            for header in self._cells_equal([group]) or [r for r, _ in self._starting([group])]:
                if (header.page, header.box.top) >= (region.page, region.box.top):
                    continue
                if not header.box.x0 - _SLACK <= centre <= header.box.x1 + _SLACK:
                    continue
                key = (header.page, header.box.top)
                if best_key is None or key > best_key:
                    best, best_key = group, key
        return best

    # values

    def text_field(self, spec: FieldSpec) -> tuple[str, Found | None]:
        if spec.find == "right":
            return self._right(spec)
        if spec.find == "inline":
            return self._inline(spec)
        return self._box(spec)

    def _right(self, spec: FieldSpec):
        candidates = self._cells_equal(spec.labels)
        if spec.under:
            candidates = [c for c in candidates if self.group_of(c) == spec.under]
        for label_cell in candidates:
            value_cell = self.doc.right_of(label_cell)
            if value_cell is not None:
                region = self.chain(value_cell)
                return self._clean(region.text, spec, region.ocr), Found(region)
        # another layout may write 「试点单位：……」 in one cell
        for label in spec.labels:
            hits = self._starting([label + "："], cells_only=True)
            if spec.under:
                hits = [(r, end) for r, end in hits if self.group_of(r) == spec.under]
            if hits:
                region, end = hits[0]
                return self._clean(region.text[end:], spec), Found(region, end)
        return "", None

    def _inline(self, spec: FieldSpec):
        for region, end in self._starting(spec.labels):
            line_end = next((s for s in region.starts if s > end), len(region.text))
            return self._clean(region.text[end:line_end], spec), Found(region, end)
        return "", None

    def _box(self, spec: FieldSpec):
        found = self.box_of(spec)
        if found is None:
            return "", None
        region, start = found.region, found.label_end
        text = region.text
        stop = len(text) if found.stop is None else found.stop
        for label in spec.until:
            hit = region.find(label, start)
            if hit and hit[0] < stop:
                stop = hit[0]
                break
        if spec.after:
            for label in spec.after:
                hit = region.find(label, start)
                if hit and hit[1] <= stop:
                    start = hit[1]
                    break
            else:
                return "", found
        return self._clean(text[start:stop], spec, region.ocr), found

    def box_of(self, spec: FieldSpec) -> Found | None:
        """The box a box/seal/signature field lives in (over all its pages), and where its label ends."""
        for label in spec.labels:
            target = norm(label)
            if not target:
                continue
            for region in self.doc.regions:
                line_no = _line_starting(region, target)
                if line_no is None or (line_no and not region.is_cell):
                    continue
                if region.is_cell:
                    return self._inside(region, line_no, target, spec)
                cell = self.doc.below(region)
                if cell is not None and cell.box.top - region.box.bottom <= 2 * region.box.height:
                    return Found(self.chain(cell), 0)
                return self._virtual(region, target, spec)
        return None

    def _stop_labels(self, spec: FieldSpec) -> list[str]:
        """Labels that begin another box: where two boxes ran together, this one ends there."""
        own = {norm(label) for label in spec.labels}
        labels = {norm(label) for other in self.form.fields if other.find == "box"
                  for label in other.labels} | {norm(label) for label in self.form.identify_labels}
        # a group heading (申报单位负责人) also begins the signer's line 「申报单位负责人（签章）」
        labels -= {norm(group) for group in self.form.groups}
        return [label for label in labels - own if len(label) >= 5]

    def _next_label_line(self, region: Region, after_line: int, spec: FieldSpec) -> int | None:
        stops = self._stop_labels(spec)
        for line_no in range(after_line + 1, len(region.lines)):
            if any(_line_starting(region, label, line_no) == line_no for label in stops):
                return line_no
        return None

    def _inside(self, cell: Region, line_no: int, target: str, spec: FieldSpec) -> Found:
        """A label at the start of a cell, or at the start of a line inside one (two boxes
        whose dividing rule was lost, e.g. under a seal, read as one cell)."""
        region = self.chain(cell)
        start = cell.starts[line_no] if cell.starts else 0
        hit = region.find(target, start)
        end = hit[1] if hit else start
        following = self._next_label_line(cell, line_no, spec)
        if line_no == 0 and following is None:
            return Found(region, end)
        top = cell.box.top if line_no == 0 else cell.lines[line_no].top - 2
        bottom = cell.box.bottom if following is None else cell.lines[following].top - 2
        areas = [(cell.page, Box(cell.box.x0, top, cell.box.x1, bottom))]
        areas += [(part.page, part.box) for part in region.parts[1:]] if following is None else []
        stop = None if following is None else cell.starts[following]
        return Found(region if following is None else cell, end, stop, areas)

    def _virtual(self, heading: Region, target: str, spec: FieldSpec) -> Found:
        """A box whose ruling lines were not found (a scan): the free lines from its label down
        to the next box's label or to a cell."""
        page = [r for r in self.doc.pages[heading.page]]
        stops = self._stop_labels(spec)
        lines = list(heading.lines)
        bottom = None
        for region in page:
            if region.box.top <= heading.box.top + 1 or region is heading:
                continue
            if region.is_cell or any(region.norm.startswith(label) for label in stops):
                bottom = region.box.top - 2
                break
            lines.extend(region.lines)
        em = max(line.height for line in lines)
        cells = self.doc.cells(heading.page)
        x0 = min([line.x0 for line in lines] + [c.box.x0 for c in cells]) - 2
        x1 = max([line.x1 for line in lines] + [c.box.x1 for c in cells]) + 2
        if bottom is None:
            bottom = lines[-1].bottom + 2 * em
        box = Box(x0, heading.box.top - 2, x1, bottom)
        region = Region(heading.page, box, lines, True, ocr=heading.ocr)
        hit = region.find(target)
        return Found(region, hit[1] if hit else 0)

    def chain(self, cell: Region) -> Region:
        """A box and the unlabelled first boxes of the next pages it spilled into."""
        parts = [cell]
        while self.doc.is_last_on_page(cell):
            following = self._first_box(cell.page + 1)
            if following is None:
                break
            row = [c for c in self.doc.cells(following.page)
                   if abs(c.box.top - following.box.top) <= _SLACK]
            if any(self.is_label(c) for c in row):
                break
            nxt = max(row, key=lambda c: _h_overlap(c.box, cell.box))
            if _h_overlap(nxt.box, cell.box) <= 0.5 * min(nxt.box.width, cell.box.width):
                break
            parts.append(nxt)
            cell = nxt
        return merged(parts)

    def _first_box(self, page: int) -> Region | None:
        regions = self.doc.pages.get(page)
        if not regions:
            return None
        for region in regions:
            if region.is_cell:
                return region
            if self.is_label(region):  # a heading: the next section starts here
                return None
        return None

    def _clean(self, text: str, spec: FieldSpec, ocr: bool = False) -> str:
        for prompt in spec.prompts:
            text = _remove(text, prompt, fuzzy=ocr)
        if spec.kind in ("phone", "email", "postcode"):
            text = "".join(text.split())
        if ocr and spec.kind in ("phone", "postcode"):
            text = text.replace("·", "").replace(".", "")  # specks: neither is ever written in one
        if spec.kind == "date":
            # the date written in the box; what else OCR left there is prompt debris
            dates = _DATE.findall(_DATE_SPECKS.sub("", norm(text)))
            if dates:
                return dates[0]
            if ocr and not _DATE_INK.search(norm(text)):
                # no character a date is written with: a prompt misread under the seal
                # (「（单位公章）」 → 「确位公章）」), not something the applicant wrote
                return ""
        if ocr:
            text = ocr_punctuation(text)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        return "\n".join(line for line in lines if line)

    # row tables

    def rows(self, spec: FieldSpec) -> tuple[list[dict], Found | None]:
        for title, _ in self._starting(spec.labels):
            header = self._header_after(title, spec)
            if header is not None:
                return self._read_rows(header, spec), Found(header[0][1])
        return [], None

    def _header_after(self, title: Region, spec: FieldSpec):
        """The header row (column name → cell) of the first table under ``title``."""
        cells = sorted((c for c in self.doc.cells(title.page) if c.box.top >= title.box.top - _SLACK),
                       key=lambda c: c.box.top)
        rows: list[list[Region]] = []
        for cell in cells:  # a row: cells whose tops agree within the slack of a scan's rules
            if rows and cell.box.top - rows[-1][0].box.top <= _SLACK:
                rows[-1].append(cell)
            else:
                rows.append([cell])
        for row in rows:
            header = self._match_header(row, spec)
            if header:
                return header
        return None

    def _match_header(self, row: list[Region], spec: FieldSpec):
        matched = []
        for name, labels in spec.columns:
            targets = {norm(label) for label in labels}
            cell = next((c for c in row if c.key in targets), None)
            if cell is not None:
                matched.append((name, cell))
        return matched if len(matched) >= max(2, (len(spec.columns) + 1) // 2) else None

    def _read_rows(self, header, spec: FieldSpec) -> list[dict]:
        names = [name for name, _ in spec.columns]
        columns = [(name, (cell.box.x0 + cell.box.x1) / 2) for name, cell in header]
        page = header[0][1].page
        bottom = max(cell.box.bottom for _, cell in header)
        left = min(cell.box.x0 for _, cell in header)
        right = max(cell.box.x1 for _, cell in header)
        result = []
        while True:
            row = [c for c in self.doc.cells(page)
                   if abs(c.box.top - bottom) <= _SLACK and c.box.x1 > left and c.box.x0 < right]
            cut = None  # the last row of the previous page, when the page break may have split it
            if not row:
                if any(c.box.top >= bottom - _SLACK for c in self.doc.cells(page)):
                    break  # something else follows on this page: the table has ended
                first = self._first_box(page + 1)
                if first is None:
                    break
                page = first.page
                row = [c for c in self.doc.cells(page) if abs(c.box.top - first.box.top) <= _SLACK
                       and c.box.x1 > left and c.box.x0 < right]
                if self._match_header(row, spec):  # the header repeated on the new page
                    bottom = min(c.box.bottom for c in row)
                    continue
                if result and bottom >= self.doc.body_bottom - _CUT_ROW_GAP:
                    cut = result[-1]
            values, unsure = {}, []
            for name, centre in columns:
                cell = next((c for c in row if c.box.x0 - _SLACK <= centre <= c.box.x1 + _SLACK), None)
                value = " ".join(cell.text.replace("\n", "").split()) if cell else ""
                values[name] = ocr_punctuation(value) if cell is not None and cell.ocr else value
                if cell is not None and cell.ocr and (not value or value in _SLASH_READINGS):
                    unsure.append((name, cell))
            bottom = min(c.box.bottom for c in row)
            if cut is not None and _continues(cut, values, names[0]):
                for name, value in values.items():
                    cut[name] = _run_on(cut[name], value)
            elif any(values.values()):
                result.append({name: values.get(name, "") for name in names})
                self.unsure_cells.extend((result[-1], name, cell) for name, cell in unsure)
        return result


def _continues(previous: dict, values: dict, key: str) -> bool:
    """Whether a row at the top of a page is the rest of ``previous``, split by the page break.

    Word and WPS let a row break across pages unless told not to: the words that did not fit
    go on in the same columns on the next page, and the key column (姓名), which fits on one
    line, is empty there. A row of its own fills its key, or something the previous row left empty.
    """
    filled = [name for name, value in values.items() if value]
    return (bool(filled) and not values.get(key) and bool(previous.get(key))
            and all(previous.get(name) for name in filled))


def _run_on(before: str, after: str) -> str:
    """A cell's text continued over the page break (a space only between two Latin words)."""
    if not after:
        return before
    gap = " " if before and _latin(before[-1]) and _latin(after[0]) else ""
    return before + gap + after


def _joiner(before: Region, after: Region) -> str:
    """"" when the box's text runs on over the page break (the sentence goes on), else "\n"."""
    if not before.lines or not after.lines:
        return ""
    both = Region(before.page, before.box, before.lines + after.lines, True)
    breaks = _paragraph_breaks(both, both.lines)
    return "\n" if breaks(before.lines[-1], after.lines[0]) else ""


def _remove(text: str, prompt: str, fuzzy: bool = False) -> str:
    """Remove every occurrence of a printed prompt, matched on normalised text (on OCR text,
    also a copy with a few characters misread or lost)."""
    target = norm(prompt)
    if not target:
        return text
    while True:
        folded, origin = normalise(text)
        at = folded.find(target)
        if at >= 0:
            span = (at, at + len(target))
        elif fuzzy and len(target) >= 5:
            span = fuzzy_find(folded, target)
            if span is None:
                return text
        else:
            return text
        text = text[:origin[span[0]]] + text[origin[span[1] - 1] + 1:]


# --- marks -----------------------------------------------------------------------------------


def _signature_area(found: Found, spec: FieldSpec) -> tuple[int, Box, list[Word]] | None:
    """From right after 「（签章）：」 to before 「（单位公章）」, a line above and below; and the
    OCR words those two labels were measured in, character by character."""
    region = found.region
    start = None
    for label in spec.between[0]:
        start = region.find(label, found.label_end)
        if start:
            break
    if not start:
        return None
    line, _, x_start = region.x_at(start[1] - 1)
    em = _ocr_em(region) if region.ocr else None
    measured = []
    if em:
        offset = start[1] - 1 - _line_start(region, line)
        x_start = _printed_end(line, offset, em, x_start)
        measured.append(_word_at(line, offset)[0])
    page = region.page_of(line)
    cell = next(p for p in region.parts if p.page == page and any(line is l for l in p.lines))
    x_end = cell.box.x1 - 2
    for label in spec.between[1]:
        hit = region.find(label, start[1])
        if hit:
            end_line, x, _ = region.x_at(hit[0])
            if end_line is line:
                x_end = x
                if em:
                    offset = hit[0] - _line_start(region, line)
                    x_end = _printed_start(line, offset, em, x_end)
                    measured.append(_word_at(line, offset)[0])
            break
    em = max(line.height, 1.0) if not em else max(line.height, em)
    return page, Box(x_start + 1, max(cell.box.top + 1, line.top - 1.2 * em), x_end - 1,
                     min(cell.box.bottom - 1, line.bottom + 1.0 * em)), measured


def _line_start(region: Region, line: Line) -> int:
    """Where ``line`` starts in ``region.text``."""
    return next(region.starts[i] for i, own in enumerate(region.lines) if own is line)


def _ocr_em(region: Region) -> float | None:
    """A printed Chinese character's width in an OCR region: the median, character by character,
    of its Chinese words' width per character. Long printed lines outweigh the one word that
    took a scribble; figures (「2026 年 5 月」 printed with spaces) and gaps (「年 月 日」) do not count."""
    ems = sorted((w.width / _printed_width(w.text, 1.0), len(w.text)) for l in region.lines for w in l.words
                 if len(w.text) >= 2 and not any(c.isspace() for c in w.text)
                 and sum(_cjk(c) or c in _HALF_TO_FULL for c in w.text) >= 0.8 * len(w.text))
    half, seen = sum(n for _, n in ems) / 2, 0
    for em, n in ems:
        seen += n
        if seen >= half:
            return em
    return None


def _printed_width(text: str, em: float) -> float:
    """Printed width of ``text``: one em per Chinese character or full-width mark, half for ASCII
    (but OCR's 「(),:;」 stand for the full-width marks printed in Chinese text)."""
    return sum(em if _cjk(c) or c in _HALF_TO_FULL else 0.5 * em for c in text)


def _word_at(line: Line, offset: int) -> tuple[Word | None, int]:
    """The word holding character ``offset`` of ``line.text``, and the offset inside it."""
    position = 0
    for word in line.words:
        if line.text[position:position + 1] == " " and not word.text.startswith(" "):
            position += 1
        length = max(len(word.text), 1)
        if offset < position + length:
            return word, max(offset - position, 0)
        position += length
    return None, 0


def _printed_end(line: Line, offset: int, em: float, x: float) -> float:
    """Where the printed character ``offset`` of an OCR line ends, measured from its word's left
    end; OCR often joins the scribble right of 「（签章）：」 to that word."""
    word, inside = _word_at(line, offset)
    if word is None:
        return x
    return min(word.x1, word.x0 + _printed_width(word.text[:inside + 1], em) + 0.3 * em)


def _printed_start(line: Line, offset: int, em: float, x: float) -> float:
    """Where 「（单位公章）」 (character ``offset`` of an OCR line) starts, measured from its word's
    right end; OCR often joins a scribble left of it to that word, whose characters then look
    wide, or reads the scribble as a character (「4(单位公章)」)."""
    word, inside = _word_at(line, offset)
    if word is None:
        return x
    return max(word.x0, word.x1 - _printed_width(word.text[inside:], em) - 0.3 * em)


# --- one file --------------------------------------------------------------------------------


def extract_layouts(layouts: list[PageLayout], form: FormDefinition, path=None,
                    images=None) -> dict:
    """Fields and marks from page layouts; ``images(numbers)`` gives {page: (image, dpi)}."""
    document = Document(layouts)
    matcher = Matcher(document, form)
    present = sum(1 for label in form.identify_labels if matcher._starting([label]))
    if present < form.min_found:
        raise NotThisForm(path, f"找到的表单标签太少（{present}/{len(form.identify_labels)}），"
                                f"不是「{form.title or form.name}」，请检查是否提交错了文件")
    fields: dict = {}
    locations: dict = {}
    mark_specs = []
    uncertain = []
    for spec in form.fields:
        if spec.find == "rows":
            fields[spec.key], found = matcher.rows(spec)
            locations[spec.key] = _location(found)
        elif spec.is_mark:
            mark_specs.append(spec)
            fields[spec.key] = False
        else:
            value, found = matcher.text_field(spec)
            locations[spec.key] = _location(found)
            whole = spec.find == "right" or not (spec.until or spec.after)
            if (found is not None and found.region.ocr and len(value) <= 1 and value != "/"
                    and whole and spec.kind != "date"):
                uncertain.append((spec, value, found))
            fields[spec.key] = value
    if uncertain and images is not None:
        fields.update(_slashes(uncertain, document, images))
    if matcher.unsure_cells and images is not None:
        _row_slashes(matcher.unsure_cells, document, images)
    marks = _marks(matcher, mark_specs, images) if mark_specs else {}
    for key, mark in marks.items():
        fields[key] = mark["present"]
    return {"fields": fields, "marks": marks, "locations": locations}


def _location(found: "Found | None") -> dict:
    """Where a field's answer is: its page and box (the first, when it runs over pages)."""
    if found is None or not found.areas:
        return {"page": None, "bbox": None}
    page, box = found.areas[0]
    return {"page": page, "bbox": box.as_list()}


#: What OCR makes of a lone 「/」 (PaddleOCR #9690; 「1.」 with a speck beside it).
_SLASH_READINGS = {"/", "1", "1.", "l", "I", "|", "卜", "7", "／", "丿", "ノ"}


def _slashes(uncertain, document: Document, images) -> dict:
    """「/」, "" or the OCR's reading, for scanned answers OCR read as empty or one stray character.

    OCR misses a lone 「/」 or reads it as 「卜」 or 「1.」; the ink in the answer's area, beyond
    the printed label and prompts, tells: one thin leaning stroke is 「/」, nothing but specks
    of dirt is a blank, characters are what OCR read (a one-character answer such as 「无」).
    """
    pages = sorted({page for _, _, found in uncertain for page, _ in found.areas})
    rendered = images(pages)
    result = {}
    for spec, value, found in uncertain:
        verdicts = []
        for page, box in found.areas:
            if page in rendered:
                printed = [w for w in document.layouts[page].words if norm(w.text) != norm(value) or not value]
                verdicts.append(_slash_in(rendered[page], box, printed, value))
        if verdicts:
            result[spec.key] = _settle(verdicts, value)
    return result


def _slash_in(rendered, box: Box, printed, value: str):
    """``written_slash`` for one area; an unclear shape OCR read as a slash counts as one."""
    from .marks import ink_in, written_slash

    image, dpi = rendered
    inner = Box(box.x0 + 2, box.top + 2, box.x1 - 2, box.bottom - 2)
    verdict = written_slash(image, dpi, inner, ignore=tuple(printed))
    if verdict is None and value in _SLASH_READINGS:
        verdict = ink_in(image, dpi, inner, ignore=tuple(printed)) * inner.area > SLASH_INK
    return verdict


def _settle(verdicts: list, value: str) -> str:
    if any(v is True for v in verdicts):
        return "/"
    if all(v is False for v in verdicts):
        return ""
    return value


def _row_slashes(cells, document: Document, images) -> None:
    """Row-table cells OCR read as one stray mark (「1.」 for 「/」), settled by their ink."""
    rendered = images(sorted({cell.page for _, _, cell in cells}))
    for row, name, cell in cells:
        if cell.page in rendered:
            words = [w for line in cell.lines for w in line.words]
            others = [w for w in document.layouts[cell.page].words if w not in words]
            row[name] = _settle([_slash_in(rendered[cell.page], cell.box, others, row[name])], row[name])


def _marks(matcher: Matcher, specs: list[FieldSpec], images) -> dict:
    boxes = {spec.key: matcher.box_of(spec) for spec in specs}
    pages = sorted({page for found in boxes.values() if found is not None for page, _ in found.areas})
    rendered = images(pages) if images is not None and pages else {}
    layouts = matcher.doc.layouts
    seals: dict[int, list[Mark]] = {}
    for page in pages:
        layout = layouts[page]
        if layout.source == "text" and page in rendered:
            from .marks import find_seals

            seals[page] = find_seals(*rendered[page])
        else:
            seals[page] = list(layout.seals)  # the OCR reader found them on the scan
    # every box on a page competes for a seal: the marked boxes' areas and all other cells
    areas = {page: [box for found in boxes.values() if found is not None
                    for p, box in found.areas if p == page] for page in pages}
    marks = {}
    for spec in specs:
        found = boxes[spec.key]
        if found is None:
            marks[spec.key] = {"present": False, "page": None, "bbox": None}
        elif spec.find == "seal":
            marks[spec.key] = _seal(found, layouts, seals, areas)
        else:
            marks[spec.key] = _signature(found, spec, layouts, rendered)
    return marks


def _seal(found: Found, layouts: dict[int, PageLayout], seals: dict, areas: dict) -> dict:
    """A seal whose greater part lies in this box (on any of its pages).

    Seals are often stamped across a rule into the next box; the box holding most of the
    seal's area owns it (FIELD-NOTES).
    """
    for page, box in found.areas:
        marked = areas.get(page, [])
        others = [c for c in layouts[page].cells if not any(_same_box(c, a) or c.intersection(a) > 0.5 * a.area
                                                               for a in marked)]
        for seal in seals.get(page, []):
            holder = max(marked + others, key=lambda c: c.intersection(seal), default=None)
            if holder is not None and holder.intersection(seal) > 0 and _same_box(holder, box):
                return {"present": True, "page": page, "bbox": seal.as_list()}
    page, box = found.areas[0]
    return {"present": False, "page": page, "bbox": box.as_list()}


def _same_box(a: Box, b: Box) -> bool:
    return all(abs(p - q) <= _SLACK for p, q in zip(a.as_list(), b.as_list()))


def _signature(found: Found, spec: FieldSpec, layouts: dict[int, PageLayout], rendered: dict) -> dict:
    located = _signature_area(found, spec)
    if located is None:
        return {"present": False, "page": found.region.page, "bbox": None}
    page, area, measured = located
    if page not in rendered:
        return {"present": False, "page": page, "bbox": area.as_list()}
    from .marks import ink_in

    image, dpi = rendered[page]
    layout = layouts[page]
    if layout.source == "text":
        words = layout.words
    else:
        # A printed character's size from the whole box (its words on every page): on a page
        # holding only the box's last lines, half the words may have taken the scribble.
        em = _ocr_em(found.region)
        if em is None:
            heights = sorted(w.height for w in layout.words) or [12.0]
            em = heights[len(heights) // 2]  # a printed line; a word with a scribble is taller
        if area.width < em:  # the labels' own gap: no room for a name
            return {"present": False, "page": page, "bbox": area.as_list()}
        # the labels' words were measured character by character: what of them lies in the
        # area is the scribble, even where OCR read it as a character (「4(单位公章)」)
        words = [part for w in layout.words if not any(w is own for own in measured)
                 for part in _printed_part(w, area, em)]
    ink = ink_in(image, dpi, area, ignore=tuple(words))
    return {"present": ink > SIGNATURE_INK, "page": page, "bbox": area.as_list()}


def _printed_part(word: Word, area: Box, em: float) -> list[Box]:
    """The parts of an OCR word box its printed characters cover.

    OCR often takes a signature scribbled beside 「（单位公章）」 into that word's box; its
    characters are about one em wide each, and the printed label sits on the side away from
    the signer's area, so trim the box to that side. A word that took 「（签章）：」, the
    scribble and 「（单位公章）」 at once reaches past the area on both sides: its printed
    parts are what lies outside the area.
    """
    width = len(word.text) * em * 1.1
    if width >= word.width:
        return [word]
    if word.x0 < area.x0 and word.x1 > area.x1:
        return [Box(word.x0, word.top, area.x0, word.bottom), Box(area.x1, word.top, word.x1, word.bottom)]
    if (word.x0 + word.x1) / 2 >= (area.x0 + area.x1) / 2:
        return [Box(word.x1 - width, word.top, word.x1, word.bottom)]
    return [Box(word.x0, word.top, word.x0 + width, word.bottom)]


def extract_file(path, form: FormDefinition) -> dict:
    """One file's entry of the report: status, source, fields and marks, or the error."""
    entry = {"file": str(path), "form": form.name, "status": "ok", "source": None,
             "fields": {}, "marks": {}, "error": None, "locations": {}}
    mark_labels = [spec.labels for spec in form.fields if spec.is_mark]

    def keep_dpi(layout: PageLayout) -> float:
        # signatures are judged at full resolution; other scanned pages only for 「/」 or blank
        matcher = Matcher(Document([layout]), form)
        return 1e9 if any(matcher._starting(labels) for labels in mark_labels) else BLANK_DPI

    try:
        layouts, scanned = read_pages(path, keep_image=keep_dpi)
        entry["source"] = "ocr" if any(l.source == "ocr" for l in layouts) else "text"

        def images(numbers):
            # scanned pages: the straightened image the words were measured on; text pages: render
            result = {n: scanned[n] for n in numbers if n in scanned}
            text_pages = [n for n in numbers if n not in scanned and layouts[n - 1].source == "text"]
            for number, image in render_pages(path, text_pages, MARK_DPI):
                result[number] = (image, MARK_DPI)
            return result

        entry.update(extract_layouts(layouts, form, path, images))
    except DocumentError as exc:
        entry.update(status="error", error={"kind": exc.kind, "message": exc.message})
    except (MemoryError, RecursionError, ValueError, KeyError, IndexError, TypeError,
            AttributeError, OSError) as exc:
        # A malformed file can trip pdfminer or the renderer in ways no check foresees; the
        # batch must still finish, with this file reported, not dropped.
        error = UnreadableDocument(path, f"读取时出错，文件可能已损坏（{type(exc).__name__}: {exc}）")
        entry.update(status="error", error={"kind": error.kind, "message": error.message})
    return entry


def extract_files(paths, form: FormDefinition, *, workers: int = 1, progress=None) -> list[dict]:
    """Entries for many files, in the given order; with ``workers`` > 1 in a process pool."""
    paths = [Path(p) for p in paths]
    if workers <= 1 or len(paths) < 2:
        entries = []
        for path in paths:
            entries.append(extract_file(path, form))
            if progress:
                progress(1)
        return entries
    from concurrent.futures import ProcessPoolExecutor

    from .scan import share_cores

    with ProcessPoolExecutor(max_workers=workers, initializer=share_cores, initargs=(workers,)) as pool:
        entries = []
        for entry in pool.map(extract_file, paths, [form] * len(paths)):
            entries.append(entry)
            if progress:
                progress(1)
        return entries


# --- reports ---------------------------------------------------------------------------------

FORMATS = ("json", "csv", "xlsx")


#: the keys of a file's entry in ``kexie extract``'s JSON, in order; ``locations`` (where each
#: answer is on the page) stays internal, for validation reports and their pictures
ENTRY_KEYS = ("file", "form", "status", "source", "fields", "marks", "error")


def report(entries: list[dict]) -> dict:
    """The JSON report: ``{"files": [entry, …]}``."""
    return {"files": [{key: entry.get(key) for key in ENTRY_KEYS} for entry in entries]}


def table(entries: list[dict], form: FormDefinition) -> tuple[list[str], list[list]]:
    """One row per file, one column per scalar key; a row table's rows joined in one cell."""
    keys = [spec.key for spec in form.fields]
    header = ["文件", "表单", "状态", "来源", "错误类型", "错误信息"] + keys
    rows = []
    for entry in entries:
        error = entry.get("error") or {}
        row = [entry["file"], entry["form"], entry["status"], entry.get("source") or "",
               error.get("kind", ""), error.get("message", "")]
        for key in keys:
            value = entry["fields"].get(key, "")
            if isinstance(value, list):
                value = "\n".join("，".join(str(v) for v in item.values()) for item in value)
            elif isinstance(value, bool):
                value = "是" if value else "否"
            row.append(value)
        rows.append(row)
    return header, rows


def write_report(entries: list[dict], form: FormDefinition, fmt: str, out) -> None:
    """Write the report as JSON, CSV (UTF-8 with BOM, for Excel) or XLSX to a path or text stream."""
    import json

    if fmt == "json":
        text = json.dumps(report(entries), ensure_ascii=False, indent=2) + "\n"
        _write_text(out, text)
    elif fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        header, rows = table(entries, form)
        writer.writerow(header)
        writer.writerows(rows)
        _write_text(out, buffer.getvalue(), bom=isinstance(out, (str, Path)))
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = form.name[:31]
        header, rows = table(entries, form)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        book.save(str(out))
    else:
        raise ValueError(f"unknown report format {fmt!r}")


def _write_text(out, text: str, bom: bool = False) -> None:
    if isinstance(out, (str, Path)):
        Path(out).write_text(text, encoding="utf-8-sig" if bom else "utf-8")
    else:
        out.write(text)

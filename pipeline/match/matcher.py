"""The matcher: every field of a form found by its printed label and the rules around it.

Never by coordinates: a value is the cell right of its label (``right``), the rest of the label's
line (``inline``), or the box its label opens (``box``), continued into the unlabelled boxes of the
next pages; so another layout of the same form (WPS, re-typeset, scanned) reads the same way.
Row tables are read by :mod:`pipeline.match.rows`, seals and signatures by
:mod:`pipeline.match.marks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import DATE_IN_TEXT
from ..forms import FieldSpec, FormDefinition
from ..read.page import Box
from ..text import fold, fold_with_origin
from .fuzzy import close, fuzzy_find, nearest
from .ocrtext import ocr_punctuation
from .regions import SLACK, Document, Region, h_overlap, line_starting, merged

_DATE_SPECKS = re.compile(r"[.·]+(?=[年月日])|(?<=[年月日])[.·]+")  # 「2026.年6月5日」 on a scan
#: what any written date holds, in figures or in words; 「/」 is the form's own 「nothing here」
_DATE_INK = re.compile(r"[\d〇零一二三四五六七八九十年月日/]")


@dataclass
class Found:
    """Where a field's label and value were found (for marks and continuation pages)."""

    region: Region
    label_end: int = 0
    #: where the field's box ends in ``region.text`` when another box's label follows inside it
    stop: int | None = None
    #: the field's box on each of its pages (a cell, or part of one when two boxes merged)
    areas: list[tuple[int, Box]] = field(default_factory=list)
    #: where the value is in ``region.text`` (start, stop), once read
    span: tuple[int, int] | None = None

    def __post_init__(self):
        if not self.areas:
            self.areas = [(part.page, part.box) for part in self.region.parts]


class Matcher:
    """Finds every field of ``form`` in ``document``."""

    def __init__(self, document: Document, form: FormDefinition):
        self.doc = document
        self.form = form
        self.labels = {fold(label) for label in form.all_labels}
        # labels that begin a box or line (others must fill their cell exactly)
        self.leading_labels = {fold(label) for spec in form.fields
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
            target = fold(label)
            hits = [r for r in self.doc.regions if r.is_cell and r.key and
                    (r.key == target or (target.startswith(r.key) and self._split_label(r, target)))]
            if hits:
                return hits
        # On a scan, a long label with a character or two lost or misread (「试点单位改革工作与主要
        #成效」: the stacked line 「亮点」 not found), when no other label is nearer.
        for label in labels:
            target = fold(label)
            hits = [r for r in self.doc.regions if r.is_cell and r.ocr and r.key and r.key not in self.labels
                    and close(r.key, target) and nearest(r.key, self.labels) == target]
            if hits:
                return hits
        return []

    def _split_label(self, cell: Region, target: str) -> bool:
        text = cell.norm
        while self.doc.is_last_on_page(cell) and len(text) < len(target):
            following = self.first_box(cell.page + 1)
            if following is None:
                return False
            row = [c for c in self.doc.cells(following.page)
                   if abs(c.box.top - following.box.top) <= SLACK]
            below = max(row, key=lambda c: h_overlap(c.box, cell.box))
            if h_overlap(below.box, cell.box) <= 0:
                return False  # the first box of the next page is not under this label
            cell = below
            text += cell.norm
            if not target.startswith(text):
                return False
        return text == target

    def starting(self, labels, cells_only=False) -> list[tuple[Region, int]]:
        """Regions whose text starts with one of ``labels`` (the first label that occurs wins)."""
        for label in labels:
            target = fold(label)
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
            self._near[key] = any(close(key, label) for label in self.labels)
        return self._near[key]

    def group_of(self, region: Region) -> str | None:
        """The nearest group heading (申报单位负责人 / 试点单位负责人) above a label cell."""
        best, best_key = None, None
        centre = (region.box.x0 + region.box.x1) / 2
        for group in self.form.groups:
            for header in self._cells_equal([group]) or [r for r, _ in self.starting([group])]:
                if (header.page, header.box.top) >= (region.page, region.box.top):
                    continue
                if not header.box.x0 - SLACK <= centre <= header.box.x1 + SLACK:
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
                return self.clean(region.text, spec, region.ocr), Found(region, span=(0, len(region.text)))
        # another layout may write 「试点单位：……」 in one cell
        for label in spec.labels:
            hits = self.starting([label + "："], cells_only=True)
            if spec.under:
                hits = [(r, end) for r, end in hits if self.group_of(r) == spec.under]
            if hits:
                region, end = hits[0]
                return self.clean(region.text[end:], spec), Found(region, end, span=(end, len(region.text)))
        return "", None

    def _inline(self, spec: FieldSpec):
        for region, end in self.starting(spec.labels):
            line_end = next((s for s in region.starts if s > end), len(region.text))
            return self.clean(region.text[end:line_end], spec), Found(region, end, span=(end, line_end))
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
        found.span = (start, stop)
        return self.clean(text[start:stop], spec, region.ocr), found

    def box_of(self, spec: FieldSpec) -> Found | None:
        """The box a box/seal/signature field lives in (over all its pages), and where its label ends."""
        for label in spec.labels:
            target = fold(label)
            if not target:
                continue
            for region in self.doc.regions:
                line_no = line_starting(region, target)
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
        own = {fold(label) for label in spec.labels}
        labels = {fold(label) for other in self.form.fields if other.find == "box"
                  for label in other.labels} | {fold(label) for label in self.form.identify_labels}
        # a group heading (申报单位负责人) also begins the signer's line 「申报单位负责人（签章）」
        labels -= {fold(group) for group in self.form.groups}
        return [label for label in labels - own if len(label) >= 5]

    def _next_label_line(self, region: Region, after_line: int, spec: FieldSpec) -> int | None:
        stops = self._stop_labels(spec)
        for line_no in range(after_line + 1, len(region.lines)):
            if any(line_starting(region, label, line_no) == line_no for label in stops):
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
            following = self.first_box(cell.page + 1)
            if following is None:
                break
            row = [c for c in self.doc.cells(following.page)
                   if abs(c.box.top - following.box.top) <= SLACK]
            if any(self.is_label(c) for c in row):
                break
            nxt = max(row, key=lambda c: h_overlap(c.box, cell.box))
            if h_overlap(nxt.box, cell.box) <= 0.5 * min(nxt.box.width, cell.box.width):
                break
            parts.append(nxt)
            cell = nxt
        return merged(parts)

    def first_box(self, page: int) -> Region | None:
        regions = self.doc.pages.get(page)
        if not regions:
            return None
        for region in regions:
            if region.is_cell:
                return region
            if self.is_label(region):  # a heading: the next section starts here
                return None
        return None

    def clean(self, text: str, spec: FieldSpec, ocr: bool = False) -> str:
        """A value as the applicant wrote it: printed prompts removed, OCR specks undone."""
        for prompt in spec.prompts:
            text = remove_prompt(text, prompt, fuzzy=ocr)
        if ocr and spec.find == "box":
            text = _label_debris(text, spec)
        if spec.kind in ("phone", "email", "postcode", "amount"):
            text = "".join(text.split())
        if ocr and spec.kind in ("phone", "postcode"):
            text = text.replace("·", "").replace(".", "")  # specks: neither is ever written in one
        if spec.kind == "date":
            # the date written in the box; what else OCR left there is prompt debris
            dates = DATE_IN_TEXT.findall(_DATE_SPECKS.sub("", fold(text)))
            if dates:
                return dates[0]
            if ocr and not _DATE_INK.search(fold(text)):
                # no character a date is written with: a prompt misread under the seal
                # (「（单位公章）」 → 「确位公章）」), not something the applicant wrote
                return ""
        if ocr:
            text = _CJK_SPACE.sub("", ocr_punctuation(text))
        lines = [" ".join(line.split()) for line in text.split("\n")]
        lines = [line for line in lines if line]
        if ocr and spec.find == "box" and any(len(line) > 1 for line in lines):
            # a lone character on a line of its own beside what the applicant wrote is a seal's
            # or a signature's stroke read as text (「同意推荐。\nT」), never part of an opinion
            lines = [line for line in lines if len(line) > 1 or line == "/"]
        return "\n".join(lines)


#: OCR's space between a Chinese character and a Latin letter or figure (「科技园 R2-B 栋」):
#: Chinese is written without one, and the recogniser puts one wherever the script changes
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]) +(?=[A-Za-z0-9])"
                        r"|(?<=[A-Za-z0-9]) +(?=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])")


def remove_prompt(text: str, prompt: str, fuzzy: bool = False) -> str:
    """Remove every occurrence of a printed prompt, matched on normalised text (on OCR text,
    also a copy with a few characters misread or lost)."""
    target = fold(prompt)
    if not target:
        return text
    while True:
        folded, origin = fold_with_origin(text)
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



def _label_debris(text: str, spec: FieldSpec) -> str:
    """An OCR'd box's text without what is left of its printed label's parenthesis when part of it
    was lost under a seal (「（包括是否同意推荐，申书所填省级试点不填写此栏）：」, 「写此栏）：」): text
    before the first colon that opens with a parenthesis, or closes the first line with one, and is
    made of the label's own characters."""
    folded, origin = fold_with_origin(text)
    head, colon, _ = folded.partition(":")
    if not colon or len(head) > 60:
        return text
    first_line = "\n" not in text[:origin[len(head)]]
    if not head.startswith("(") and not (head.endswith(")") and first_line):
        return text  # it opens with the parenthesis, or its first line closes with it (the rest under a seal)
    printed = set(fold("".join(spec.labels + spec.prompts)))
    if sum(char in printed for char in head) < 0.8 * len(head):
        return text
    return text[origin[len(head)] + 1:]

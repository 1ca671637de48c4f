"""Seals and signatures of a form's 意见 boxes: whether each is there, from the page images.

A seal (公章) belongs to the box that holds most of its area: seals are often stamped across a
rule into the next box (FIELD-NOTES). A signature (签章) is dark ink in the signer's area — from
right after 「（签章）：」 to before 「（单位公章）」, a line above and below — beyond what the printed
words there account for. On scans the printed words' extent is measured character by character,
because OCR often takes the scribble into the label's word.
"""

from __future__ import annotations

from ..forms import FieldSpec
from ..read.ink import ink_in
from ..read.page import Box, Mark, PageLayout, Word
from ..read.seals import find_seals
from .matcher import Found, Matcher
from .ocrtext import printed_width
from .regions import SLACK, Line, Region, ocr_em

#: dark ink (fraction of the signer's area) beyond the printed words that counts as a signature
SIGNATURE_INK = 0.004


def find_marks(matcher: Matcher, specs: list[FieldSpec], images) -> dict:
    boxes = {spec.key: matcher.box_of(spec) for spec in specs}
    pages = sorted({page for found in boxes.values() if found is not None for page, _ in found.areas})
    rendered = images(pages) if images is not None and pages else {}
    layouts = matcher.doc.layouts
    seals: dict[int, list[Mark]] = {}
    for page in pages:
        layout = layouts[page]
        if layout.source == "text" and page in rendered:
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
            marks[spec.key] = seal_verdict(found, layouts, seals, areas)
        else:
            marks[spec.key] = signature_verdict(found, spec, layouts, rendered)
    return marks


def seal_verdict(found: Found, layouts: dict[int, PageLayout], seals: dict, areas: dict) -> dict:
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
    return all(abs(p - q) <= SLACK for p, q in zip(a.as_list(), b.as_list()))


def signature_verdict(found: Found, spec: FieldSpec, layouts: dict[int, PageLayout], rendered: dict) -> dict:
    located = signature_area(found, spec)
    if located is None:
        return {"present": False, "page": found.region.page, "bbox": None}
    page, area, measured = located
    if page not in rendered:
        return {"present": False, "page": page, "bbox": area.as_list()}

    image, dpi = rendered[page]
    layout = layouts[page]
    if layout.source == "text":
        words = layout.words
    else:
        # A printed character's size from the whole box (its words on every page): on a page
        # holding only the box's last lines, half the words may have taken the scribble.
        em = ocr_em(found.region)
        if em is None:
            heights = sorted(w.height for w in layout.words) or [12.0]
            em = heights[len(heights) // 2]  # a printed line; a word with a scribble is taller
        if area.width < em:  # the labels' own gap: no room for a name
            return {"present": False, "page": page, "bbox": area.as_list()}
        # the labels' words were measured character by character: what of them lies in the
        # area is the scribble, even where OCR read it as a character (「4(单位公章)」)
        words = [part for w in layout.words if not any(w is own for own in measured)
                 for part in printed_part(w, area, em)]
    ink = ink_in(image, dpi, area, ignore=tuple(words))
    return {"present": ink > SIGNATURE_INK, "page": page, "bbox": area.as_list()}


def printed_part(word: Word, area: Box, em: float) -> list[Box]:
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


def signature_area(found: Found, spec: FieldSpec) -> tuple[int, Box, list[Word]] | None:
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
    em = ocr_em(region) if region.ocr else None
    measured = []
    if em:
        offset = start[1] - 1 - _line_start(region, line)
        x_start = printed_end(line, offset, em, x_start)
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
                    x_end = printed_start(line, offset, em, x_end)
                    measured.append(_word_at(line, offset)[0])
            break
    em = max(line.height, 1.0) if not em else max(line.height, em)
    return page, Box(x_start + 1, max(cell.box.top + 1, line.top - 1.2 * em), x_end - 1,
                     min(cell.box.bottom - 1, line.bottom + 1.0 * em)), measured


def _line_start(region: Region, line: Line) -> int:
    """Where ``line`` starts in ``region.text``."""
    return next(region.starts[i] for i, own in enumerate(region.lines) if own is line)


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


def printed_end(line: Line, offset: int, em: float, x: float) -> float:
    """Where the printed character ``offset`` of an OCR line ends, measured from its word's left
    end; OCR often joins the scribble right of 「（签章）：」 to that word."""
    word, inside = _word_at(line, offset)
    if word is None:
        return x
    return min(word.x1, word.x0 + printed_width(word.text[:inside + 1], em) + 0.3 * em)


def printed_start(line: Line, offset: int, em: float, x: float) -> float:
    """Where 「（单位公章）」 (character ``offset`` of an OCR line) starts, measured from its word's
    right end; OCR often joins a scribble left of it to that word, whose characters then look
    wide, or reads the scribble as a character (「4(单位公章)」)."""
    word, inside = _word_at(line, offset)
    if word is None:
        return x
    return max(word.x0, word.x1 - printed_width(word.text[inside:], em) - 0.3 * em)


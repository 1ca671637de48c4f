"""Seals and signatures of a form's 意见 boxes: whether each is there, from the page images.

A seal (公章) belongs to the box that holds most of its area: seals are often stamped across a
rule into the next box (FIELD-NOTES). A signature (签章) is dark ink in the signer's area — from
right after 「（签章）：」 to before 「（单位公章）」, a line above and below — beyond what the printed
words there account for, or red ink outside any round seal (a personal name seal, a red
e-signature). On scans the printed words' extent is measured character by character, because OCR
often takes the scribble into the label's word. Each mark says present True, False or None — None
where the page cannot tell (no colour to see a red seal by) — with its confidence and reason.
"""

from __future__ import annotations

import numpy as np

from ..forms import FieldSpec
from ..read.ink import ink_in, red_in, red_in_seal_band
from ..read.name_seals import find_name_seals
from ..read.page import Box, Mark, PageLayout, Word
from ..read.red_writing import red_lines
from ..read.seals import find_seals
from ..text import is_han
from .matcher import Found, Matcher
from .ocrtext import printed_width
from .regions import SLACK, Line, Region, ocr_em

#: dark ink (fraction of the signer's area) beyond the printed words that counts as a signature
SIGNATURE_INK = 0.004
#: red ink (fraction of the signer's area) outside any round seal: a name seal or a red e-signature
SIGNATURE_RED = 0.01
#: a round seal's disc is left out of the signer's area a little beyond its ring
DISC_MARGIN = 1.05
#: share of the signer's area under round seals beyond which an empty-looking area tells nothing
SEAL_COVERED = 0.85
#: the same without colour, where a seal's ink is as dark as a name seal's: under a seal outline
#: a name seal (about 2 cm square) cannot be told apart, so a share this large already hides one
SHAPE_COVERED = 0.25
#: in colour, the band of a round seal between its star and its arc of characters (in radii),
#: where a seal has no ink of its own; a name seal (about 2 cm square) hidden under the seal
#: cannot miss it and stay inside the disc; red below this share there is no name seal
SEAL_BAND = (0.35, 0.6)
SEAL_BAND_EMPTY = 0.05
#: ... judged only where that band takes this share of the signer's area at least (and red
#: there is heeded where it takes SEAL_BAND_HINT)
SEAL_BAND_SEEN = 0.15
SEAL_BAND_HINT = 0.05
COVERED_CONFIDENCE = 0.6
#: a red e-signature under a 公章 known by reading the signer's name in it
NAME_READ_CONFIDENCE = 0.8
#: without colour, where no seal outline was found in the box: a faded 公章 stamped over the
#: signer's area is as dark as a signature, and being 40 mm across it leaves ink beyond the area
#: (its ring, its characters) in the strips this far above and below it — a signature rarely does
AROUND_PT = 34.0
AROUND_INK = 0.02
_SHAPE_REASON = "黑白（无颜色）扫描件：签章处有一部分被圆形印章痕迹覆盖，其下是否有名章或签名无法判断"
_UNSEEN_REASON = ("黑白（无颜色）扫描件：框内未能分辨出印章轮廓，签章处上下另有成片墨迹，"
                  "签章处的墨迹可能是公章的一部分，请人工核对")
_SEAL_ONLY_REASON = "签章处被红色公章覆盖，公章内未见名章或电子签名（公章不能代替签章）"
_HIDDEN_REASON = "签章处与红色公章重叠的部分有红色印迹，可能是压在公章下的名章或电子签名，请人工核对"
_COVERED_REASON = {
    False: "黑白（无颜色）扫描件：签章处几乎全被圆形印章痕迹覆盖，无法判断是否签名",
    True: "签章处几乎全被红色公章覆盖：其下若有红色名章或电子签名无法分辨，请人工核对",
}


def verdict(present, page, bbox, confidence: float = 1.0, reason: str = "") -> dict:
    """A mark as the extraction reports it: present True, False or None (cannot tell), where,
    how sure, and why (in Chinese, for a person)."""
    return {"present": present, "page": page, "bbox": bbox, "confidence": round(float(confidence), 3),
            "reason": reason}


def find_marks(matcher: Matcher, specs: list[FieldSpec], images, names: dict | None = None) -> dict:
    """Each mark spec's verdict; ``names``: the signer's name read for a signature key (from its
    spec's ``signer`` field), by which a red e-signature under a 公章 is known."""
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
            seals[page] = list(layout.seals)  # the reader of the page image found them
    # every box on a page competes for a seal: the marked boxes' areas and all other cells
    areas = {page: [box for found in boxes.values() if found is not None
                    for p, box in found.areas if p == page] for page in pages}
    marks = {}
    for spec in specs:
        found = boxes[spec.key]
        if found is None:  # the form was read, this box was not found in it: nothing can be told
            marks[spec.key] = verdict(None, None, None, 0.0, "未能在表中找到此栏，无法判断")
        elif spec.find == "seal":
            marks[spec.key] = seal_verdict(found, layouts, seals, areas)
        else:
            marks[spec.key] = signature_verdict(found, spec, layouts, rendered, seals, (names or {}).get(spec.key))
    return marks


def seal_verdict(found: Found, layouts: dict[int, PageLayout], seals: dict, areas: dict) -> dict:
    """A seal whose greater part lies in this box (on any of its pages).

    Seals are often stamped across a rule into the next box; the box holding most of the
    seal's area owns it (FIELD-NOTES). On a page without colour a red seal cannot be told from
    a copy or a print: present is None, for a person to judge.
    """
    for page, box in found.areas:
        marked = areas.get(page, [])
        others = [c for c in layouts[page].cells if not any(_same_box(c, a) or c.intersection(a) > 0.5 * a.area
                                                               for a in marked)]
        for seal in seals.get(page, []):
            holder = max(marked + others, key=lambda c: c.intersection(seal), default=None)
            if holder is not None and holder.intersection(seal) > 0 and _same_box(holder, box):
                if seal.kind == "seal_shape":
                    return verdict(None, page, seal.as_list(), 0.0,
                                   "黑白（无颜色）扫描件：框内有圆形印章痕迹，无法判断是否为红色公章")
                if seal.kind == "faint_seal":
                    return verdict(None, page, seal.as_list(), 0.0,
                                   "框内的红色圆形印迹很淡或不完整，无法确定是否盖有公章")
                return verdict(True, page, seal.as_list(), min(1.0, 0.5 + seal.score / 2))
    page, box = found.areas[0]
    if not layouts[page].colour:
        return verdict(None, page, box.as_list(), 0.0, "黑白（无颜色）扫描件：无法判断是否盖有红色公章")
    return verdict(False, page, box.as_list(), reason="框内未见红色圆形公章")


def _same_box(a: Box, b: Box) -> bool:
    return all(abs(p - q) <= SLACK for p, q in zip(a.as_list(), b.as_list()))


def _discs(seals: list[Mark]) -> list[tuple[float, float, float]]:
    return [(*seal.centre, seal.radius * DISC_MARGIN) for seal in seals]


def signature_verdict(found: Found, spec: FieldSpec, layouts: dict[int, PageLayout], rendered: dict,
                      seals: dict | None = None, name: str | None = None) -> dict:
    """A signature or a personal seal in the signer's area.

    Dark ink beyond the printed words is a signature; red ink outside any round seal is a name
    seal (私章) or a red e-signature. A round 公章 reaching into the area is neither: its disc is
    left out — a square name seal under or over it is found by its edges, a red e-signature by
    reading the signer's ``name`` in it — and where it covers the whole area, nothing else can be
    told there.
    """
    located = signature_area(found, spec)
    if located is None:  # the signer's label was not read in the box: nothing can be told
        return verdict(None, found.region.page, None, 0.0, "框内未能读出「（签章）」处，无法判断")
    page, area, measured = located
    if page not in rendered:
        return verdict(False, page, area.as_list(), reason="签章处无法成像")

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
            return verdict(False, page, area.as_list(), reason="签章处没有书写空间")
        # the labels' words were measured character by character: what of them lies in the
        # area is the scribble, even where OCR read it as a character (「4(单位公章)」)
        # a scribble OCR read as Latin letters (「7OP」) is no print: its ink is the signature's
        words = [part for w in layout.words if not any(w is own for own in measured)
                 and not _scribbled(w, area, measured) for part in printed_part(w, area, em)]
    page_seals = (seals or {}).get(page, [])
    discs = _discs(page_seals)
    # on a page in colour a seal's ink is red and a signature over it dark: only the red ink of
    # the discs is left out (a red name seal or e-signature under the seal is lost with it);
    # without colour the seal's ink is as dark as a signature's
    covered = 1.0 - _open_share(area, discs)
    ink = ink_in(image, dpi, area, ignore=tuple(words), discs=() if layout.colour else discs,
                 seals=[(x, y, r * 1.05) for x, y, r in discs] if layout.colour else ())
    red = red_in(image, dpi, area, discs) if layout.colour else 0.0
    if ink > SIGNATURE_INK or red > SIGNATURE_RED:
        if not layout.colour and _unseen_seal(image, dpi, area, found, page, page_seals, layout.words):
            return verdict(None, page, area.as_list(), 0.0, _UNSEEN_REASON)
        sure = max(ink / SIGNATURE_INK, red / SIGNATURE_RED)
        return verdict(True, page, area.as_list(), min(1.0, 0.5 + 0.25 * sure))
    if layout.colour and red_in(image, dpi, area) > 0:
        # a square red name seal, found by its straight edges where it lies under or over a 公章
        # stamped in the signer's area (its red is one blob with the seal's)
        stamped = find_name_seals(image, dpi, area)
        if stamped:
            return verdict(True, page, area.as_list(), 0.5 + stamped[0].score / 2)
        # a red e-signature there (anywhere in the disc: under the star, over the characters),
        # known by the signer's name read in it; the seal's own characters are the unit's name
        read = _signed_name(image, dpi, area, name)
        if read:
            return verdict(True, page, area.as_list(), NAME_READ_CONFIDENCE,
                           f"公章内的红色字迹识别为「{read}」，与负责人姓名相符，为电子签名")
    if layout.source != "text":
        # a name OCR read as a word in the signer's area (an e-signature in a brush font, a name
        # signed neatly): its ink was left out with the words, yet it may be the signature
        named = [w for w in layout.words if _written_in(w, area, measured)]
        if named:
            return verdict(None, page, area.as_list(), 0.0,
                           f"签章处识别出文字「{''.join(w.text for w in named)}」，无法判断是签名还是打印的姓名")
    # red where a round seal has none of its own (between its star and its characters): a name
    # seal or a red e-signature stamped under it, which the discs left out above
    red_band, seen = (red_in_seal_band(image, dpi, area, [(*m.centre, m.radius) for m in page_seals], SEAL_BAND)
                      if layout.colour and page_seals else (0.0, 0.0))
    hidden = seen >= SEAL_BAND_HINT and red_band >= SEAL_BAND_EMPTY
    if covered > SEAL_COVERED:
        if layout.colour and seen >= SEAL_BAND_SEEN and not hidden:
            # a 公章 stamped over the signer's area, with no name seal under it: no 签章
            return verdict(False, page, area.as_list(), COVERED_CONFIDENCE, _SEAL_ONLY_REASON)
        return verdict(None, page, area.as_list(), 0.0, _COVERED_REASON[bool(layout.colour)])
    if not layout.colour and covered > SHAPE_COVERED:
        return verdict(None, page, area.as_list(), 0.0, _SHAPE_REASON)
    if hidden:
        return verdict(None, page, area.as_list(), 0.0, _HIDDEN_REASON)
    return verdict(False, page, area.as_list(), reason="签章处未见签名或名章")


def _unseen_seal(image: np.ndarray, dpi: float, area: Box, found: Found, page: int, seals: list[Mark],
                 words: list[Word]) -> bool:
    """On a page without colour, whether the ink in the signer's area may be a 公章 the reader did
    not see: no seal outline has its greater part in the box, and beyond the printed words there
    is ink in the strip above or below the area (its ring, its characters), as a 40 mm seal
    stamped over it leaves
    (indep G/006, H/011: a faded, broken ring over 「（签章）」 read as a signature)."""
    box = next(b for p, b in found.areas if p == page)
    if any(seal.intersection(box) > 0.5 * seal.area for seal in seals):
        return False
    strips = (Box(area.x0, max(box.top, area.top - AROUND_PT), area.x1, area.top),
              Box(area.x0, area.bottom, area.x1, min(box.bottom, area.bottom + AROUND_PT)))
    return any(strip.height > 0 and ink_in(image, dpi, strip, ignore=words) > AROUND_INK for strip in strips)


def _signed_name(image: np.ndarray, dpi: float, area: Box, name: str | None) -> str | None:
    """The line of red writing in ``area`` that reads as the signer's ``name``, if any: the name
    itself, or the name with one character lost (OCR drops a stroke-heavy one under the seal's
    ink: 「公斌燕」 for 公孙斌燕, 「海军」 for 袁海军). Never a character the name has not: a name one
    character off may be a piece of the seal's own text (「江苏省」 for 江苏明)."""
    name = "".join((name or "").split())
    if sum(is_han(c) for c in name) < 2 or len(name) > 6:
        return None  # no name read (blank, 「/」): nothing to know the signature by
    for line in red_lines(image, dpi, area):
        if name in line or (len(line) >= max(2, len(name) - 1) and _in_order(line, name)):
            return line
    return None


def _in_order(part: str, whole: str) -> bool:
    """Every character of ``part`` in ``whole``, in the same order."""
    rest = iter(whole)
    return all(char in rest for char in part)


def _inside(word: Word, area: Box, measured: list[Word]) -> bool:
    """Wholly inside the signer's area (a line of the opinion above reaches in from the left)
    and not one of the labels measured."""
    return not any(word is own for own in measured) and word.x0 >= area.x0 - 2 and word.x1 <= area.x1 + 2 \
        and word.top >= area.top - 2 and word.bottom <= area.bottom + 2


def _written_in(word: Word, area: Box, measured: list[Word]) -> bool:
    """A word of the signer's own in the signer's area: not the date, two or more Chinese
    characters (a stroke OCR read as 「4」 or 「@」 is no name)."""
    text = word.text.strip()
    return _inside(word, area, measured) and sum(is_han(c) for c in text) >= 2 \
        and not any(c.isdigit() for c in text) and not any(mark in text for mark in ("签章", "公章", "年", "月", "日"))


def _scribbled(word: Word, area: Box, measured: list[Word]) -> bool:
    """A word in the signer's area OCR made of a scribble: Latin letters and no Chinese
    character, where the form prints nothing Latin (「7OP」, 「Zw」); a date's digits are print."""
    text = word.text.strip()
    return _inside(word, area, measured) and any("a" <= c.lower() <= "z" for c in text) \
        and not any(is_han(c) for c in text)


def _open_share(area: Box, discs) -> float:
    """Share of ``area`` outside the discs (sampled on a grid of points)."""
    if not discs:
        return 1.0
    xs = np.linspace(area.x0, area.x1, 24)
    ys = np.linspace(area.top, area.bottom, 12)
    gx, gy = np.meshgrid(xs, ys)
    inside = np.zeros(gx.shape, dtype=bool)
    for cx, cy, r in discs:
        inside |= np.hypot(gx - cx, gy - cy) < r
    return float(1.0 - inside.mean())


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


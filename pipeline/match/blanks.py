"""「/」 or blank: scanned answers OCR read as nothing or as one stray mark, settled by their ink.

OCR misses a lone 「/」 or reads it as 「卜」 or 「1.」 (PaddleOCR #9690); the ink in the answer's
area, beyond the printed label and prompts, tells: one thin leaning stroke is 「/」, nothing but
specks of dirt is a blank, characters are what OCR read (a one-character answer such as 「无」).
"""

from __future__ import annotations

from ..read.ink import ink_in, written_slash
from ..read.page import Box
from ..text import fold
from .ocrtext import SLASH_READINGS
from .regions import Document

#: ink (square points) in an answer's area, beyond the printed words, that OCR must have
#: missed: a 「/」 leaves 15–20 pt² whatever the box's size, scanner noise 2–3 pt²
SLASH_INK = 5.0


def settle_slashes(uncertain, document: Document, images) -> dict:
    """{key: (value, unread)}: 「/」, "" or the OCR's reading, for scanned answers OCR read as
    empty or one stray character; ``unread`` where characters are there that OCR read nothing of.

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
                printed = [w for w in document.layouts[page].words if not _is_answer(w.text, value)]
                verdicts.append(_slash_in(rendered[page], box, printed, value))
        if verdicts:
            result[spec.key] = (_settle(verdicts, value), not value and None in verdicts and True not in verdicts)
    return result


def _is_answer(text: str, value: str) -> bool:
    """Whether an OCR word is the answer OCR read (「1.」 for a 「/」 with a speck), not print."""
    if not value:
        return False
    word = fold(text).strip(".·")
    return word == fold(value).strip(".·") or word in SLASH_READINGS


def _slash_in(rendered, box: Box, printed, value: str):
    """``written_slash`` for one area; an unclear shape OCR read as a slash counts as one."""

    image, dpi = rendered
    inner = Box(box.x0 + 2, box.top + 2, box.x1 - 2, box.bottom - 2)
    verdict = written_slash(image, dpi, inner, ignore=tuple(printed))
    if verdict is None and value in SLASH_READINGS:
        verdict = ink_in(image, dpi, inner, ignore=tuple(printed)) * inner.area > SLASH_INK
    return verdict


def _settle(verdicts: list, value: str) -> str:
    if any(v is True for v in verdicts):
        return "/"
    if all(v is False for v in verdicts):
        return ""
    return value


def settle_row_slashes(cells, document: Document, images) -> None:
    """Row-table cells OCR read as one stray mark (「1.」 for 「/」), settled by their ink."""
    rendered = images(sorted({cell.page for _, _, cell in cells}))
    for row, name, cell in cells:
        if cell.page in rendered:
            words = [w for line in cell.lines for w in line.words]
            others = [w for w in document.layouts[cell.page].words if w not in words]
            row[name] = _settle([_slash_in(rendered[cell.page], cell.box, others, row[name])], row[name])


"""Finding strings on a PDF's pages, where they are drawn: for blind copies, and the check after.

A string may span many characters and words, and a wrapped value continues on the next line:
characters are searched whitespace-blind (:func:`pipeline.text.fold`) twice, in content-stream
order and in reading order line by line, by pdfplumber; and once more by pdfium's own text search
(what a viewer's search would find). After redacting, a copy's whole text is read again by both.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pdfplumber
import pypdfium2 as pdfium

from ..errors import UnreadableDocument
from ..messages import exception_kind
from ..text import fold
from .classify import plumber_page_needs_ocr
from .pdf import render_page

Boxes = list[tuple[float, float, float, float]]


@dataclass
class SearchPage:
    """One page to search and draw: its size, whether it has a text layer, its two readers."""

    number: int
    width: float
    height: float
    text_layer: bool
    #: page coordinates and the rendered picture line up (no rotation, no offset box)
    straight: bool
    plumber: object
    pdfium: object
    _sequences: list | None = None

    def render(self, dpi: float) -> np.ndarray:
        return render_page(self.pdfium, dpi)

    def mentions(self, needles: list[str]) -> bool:
        """Whether the page may hold a needle (folded): a cheap test on the text of both readers,
        so most body pages skip the character search."""
        return _mentions(self.plumber, self.pdfium, needles)

    def boxes(self, needles: list[str], strings: list[str]) -> Boxes:
        """Boxes (x0, top, x1, bottom in points) of every occurrence of the folded ``needles``
        among the page's characters, and of ``strings`` by pdfium's search."""
        return _text_boxes(self.sequences(), needles) + _pdfium_boxes(self.pdfium, strings, self.height)

    def after(self, labels: list[str], reach: tuple[float, float]) -> Boxes:
        """The area right of each folded label (a signed name sits after 「（签章）：」)."""
        return _after_boxes(self.sequences(), labels, reach, self.width)

    def sequences(self):
        if self._sequences is None:
            self._sequences = _sequences(self.plumber)
        return self._sequences


@contextmanager
def search_pages(path) -> Iterator[Iterator[SearchPage]]:
    """The pages of ``path`` one by one (each freed when the next is asked for)."""
    try:
        plumber = pdfplumber.open(path)
        document = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfminer and pdfium raise many kinds on damaged files
        raise UnreadableDocument(path, f"PDF 无法打开，可能已损坏（{exception_kind(exc)}）") from None
    try:
        if len(plumber.pages) != len(document):
            raise UnreadableDocument(path, "PDF 页数无法确定，文件可能已损坏")

        def pages():
            for number, (page, drawn) in enumerate(zip(plumber.pages, document), start=1):
                try:
                    yield SearchPage(number, float(page.width), float(page.height),
                                     not plumber_page_needs_ocr(page) and len(page.chars) > 0,
                                     page.rotation % 360 == 0 and _same_box(page), page, drawn)
                finally:
                    page.close()

        yield pages()
    finally:
        plumber.close()
        document.close()


def pdf_text(data: bytes, *, plumber: bool = True) -> str:
    """All text of a PDF as pypdfium2 reads it and (optionally) as pdfplumber does."""
    texts = []
    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    if plumber:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                texts.append(page.extract_text() or "")
                page.close()
    return "\n".join(texts)


def _same_box(page) -> bool:
    """True when the rendered picture covers the same area as pdfplumber's coordinates."""
    media = [float(v) for v in page.mediabox]
    return all(abs(a - b) < 0.5 for a, b in zip(media, page.bbox)) and abs(media[0]) < 0.5 and abs(media[1]) < 0.5


def _sequences(page) -> list[tuple[list[dict], str, list[int]]]:
    """The page's characters twice — in content-stream order (a value wrapped inside a table cell
    continues in the stream) and in reading order line by line (a value drawn out of order) —
    each with its folded text and, per folded character, the character it came from."""
    page = page.dedupe_chars(tolerance=1)  # fake bold draws each glyph twice (pdfplumber #992)
    chars = [c for c in page.chars if c.get("text")]
    lines = page.extract_text_lines(return_chars=True, strip=True)
    out = []
    for sequence in (chars, [c for line in lines for c in line["chars"]]):
        text, owners = [], []
        for index, char in enumerate(sequence):
            for folded in fold(char["text"]):
                text.append(folded)
                owners.append(index)
        out.append((sequence, "".join(text), owners))
    return out


def _occurrences(joined: str, needle: str) -> Iterator[int]:
    start = joined.find(needle)
    while needle and start >= 0:
        yield start
        start = joined.find(needle, start + 1)


def _text_boxes(sequences, needles: list[str]) -> Boxes:
    """Boxes of the characters of every occurrence of every needle on the page."""
    boxes = []
    for sequence, joined, owners in sequences:
        for needle in needles:
            for start in _occurrences(joined, needle):
                hit = {owners[i] for i in range(start, start + len(needle))}
                boxes += [_char_box(sequence[i]) for i in sorted(hit)]
    return boxes


def _after_boxes(sequences, labels: list[str], reach: tuple[float, float], width: float) -> Boxes:
    """The area right of each label's last character, ``reach`` (right, above/below) in points."""
    boxes = []
    reach_x, reach_y = reach
    for sequence, joined, owners in sequences:
        for label in labels:
            for start in _occurrences(joined, label):
                last = sequence[owners[start + len(label) - 1]]
                boxes.append((float(last["x1"]), float(last["top"]) - reach_y,
                              min(width, float(last["x1"]) + reach_x), float(last["bottom"]) + reach_y))
    return boxes


def _collapse(text: str) -> str:
    """Runs of one character to one: fake bold (a glyph drawn twice) reads 「王王建建国国」."""
    return re.sub(r"(.)\1+", r"\1", text)


def _mentions(page, rendered, needles: list[str]) -> bool:
    """Whether the page's text, as either reader has it, holds one of the folded ``needles``."""
    textpage = rendered.get_textpage()
    try:
        texts = [textpage.get_text_range(), "".join(c["text"] for c in page.chars)]
    finally:
        textpage.close()
    for text in texts:
        folded = fold(text)
        collapsed = _collapse(folded)
        if any(n in folded or _collapse(n) in collapsed for n in needles):
            return True
    return False


def _pdfium_boxes(page, strings: list[str], height: float) -> Boxes:
    """Boxes of every occurrence pdfium's text search finds (PDF space turned to top-left)."""
    boxes = []
    textpage = page.get_textpage()
    try:
        for string in strings:
            for variant in {string.strip(), fold(string)}:
                if not variant:
                    continue
                searcher = textpage.search(variant, match_case=False)
                try:
                    hit = searcher.get_next()
                    while hit:
                        for i in range(textpage.count_rects(*hit)):
                            left, bottom, right, top = textpage.get_rect(i)
                            boxes.append((left, height - top, right, height - bottom))
                        hit = searcher.get_next()
                finally:
                    searcher.close()
    finally:
        textpage.close()
    return boxes


def _char_box(char) -> tuple[float, float, float, float]:
    return float(char["x0"]), float(char["top"]), float(char["x1"]), float(char["bottom"])


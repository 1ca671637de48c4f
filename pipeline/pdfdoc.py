"""The one place that opens PDFs: limits, passwords, damage, and reading pages into layouts.

A returned PDF is read page by page into :class:`~pipeline.layout.PageLayout`: text-layer pages
with pdfplumber (words, and cells from the ruling lines), pages that are pictures of paper (or
whose fonts have no Unicode map) with the OCR reader in :mod:`pipeline.scan`. Everything after
this module works on plain layouts and never touches pdfplumber, pikepdf or pypdfium2.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils.exceptions import PdfminerException

from .errors import EncryptedDocument, UnreadableDocument
from .layout import Box, PageLayout, Word

#: refuse files above these limits (a 申报书 is about a dozen pages and a few MB)
MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 300
#: resolution for OCR of scanned pages (FIELD-NOTES: 150–200 dpi reads filled fields exactly)
SCAN_DPI = 200

# Word boxes: CJK glyphs sit edge to edge, so a small tolerance joins a run; spaced labels
# (「姓    名」) stay separate words and are joined again inside their cell by the matcher.
_WORD_SETTINGS = {"keep_blank_chars": False, "x_tolerance": 1.5, "y_tolerance": 3,
                  "use_text_flow": False}
# Ruling lines: segments closer than this are the same line (Word draws cell borders twice).
_SNAP = 3.0
_JOIN = 3.0
_MIN_CELL = 6.0  # points; narrower or lower "cells" are double borders, not boxes
_UNMAPPED = re.compile(r"\(cid:\d+\)")


def check_file(path) -> None:
    """Refuse, before parsing, a file that is missing, too large, or not a PDF at all."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableDocument(path, "文件不存在")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableDocument(
            path, f"文件大小 {size / 1024 / 1024:.0f} MB，超过上限 {MAX_BYTES // 1024 // 1024} MB，"
                  "请压缩（如降低扫描分辨率）后重新提交")
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise UnreadableDocument(path, "不是 PDF 文件（文件头不是 %PDF），请提交 PDF 格式的申报书")
    # A complete PDF ends with %%EOF (ISO 32000-1 §7.5.5); a cut-off upload does not, and
    # pdfminer would otherwise rebuild what it can and silently lose the last pages.
    if b"%%EOF" not in tail:
        raise UnreadableDocument(path, "文件不完整（缺少 PDF 结尾标记），可能上传或下载时被截断，请重新提交")


@contextmanager
def open_pdf(path) -> Iterator[pdfplumber.PDF]:
    """Open a PDF with pdfplumber, turning damage and passwords into DocumentErrors.

    A PDF with only an owner password (printing or copying restricted) opens normally:
    the user password is empty, so the content can be decrypted (ISO 32000-1 §7.6.3.1).
    """
    path = Path(path)
    check_file(path)
    try:
        pdf = pdfplumber.open(path)
        pages = len(pdf.pages)
    except PdfminerException as exc:
        raise _document_error(path, exc) from None
    except Exception as exc:  # pdfminer raises plain errors (KeyError, TypeError) on junk
        raise UnreadableDocument(path, f"PDF 结构损坏，无法解析（{type(exc).__name__}）") from None
    try:
        if pages == 0:
            raise UnreadableDocument(path, "PDF 中没有任何页面")
        if pages > MAX_PAGES:
            raise UnreadableDocument(path, f"共 {pages} 页，超过上限 {MAX_PAGES} 页，请只提交申报书本身")
        yield pdf
    finally:
        pdf.close()


def _document_error(path: Path, exc: Exception):
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return EncryptedDocument(path, "文件设有打开密码，无法读取；请提交未加密的 PDF")
    return UnreadableDocument(path, f"PDF 结构损坏，无法解析（{type(cause).__name__}）")


def read_layouts(path, *, scan_dpi: int = SCAN_DPI) -> list[PageLayout]:
    """Every page of the PDF as a PageLayout: text layer where there is one, OCR otherwise."""
    return read_pages(path, scan_dpi=scan_dpi)[0]


def read_pages(path, *, scan_dpi: int = SCAN_DPI,
               keep_image: Callable[[PageLayout], float | None] | None = None
               ) -> tuple[list[PageLayout], dict[int, tuple[np.ndarray, float]]]:
    """Page layouts, and the (deskewed image, dpi) of the scanned pages ``keep_image`` asks for.

    A scanned page's words and cells are measured on the straightened image, so ink must be
    measured on that same image later. ``keep_image(layout)`` gives the resolution to keep a
    page's image at (None: drop it), so that a long scan does not fill the memory.
    """
    path = Path(path)
    layouts: dict[int, PageLayout] = {}
    scanned: list[int] = []
    with open_pdf(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                layout = read_text_page(page, number)
                if layout is None:
                    scanned.append(number)
                else:
                    layouts[number] = layout
            except PdfminerException as exc:
                raise _document_error(path, exc) from None
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise UnreadableDocument(
                    path, f"第 {number} 页内容损坏，无法解析（{type(exc).__name__}）") from None
            finally:
                page.close()  # pdfplumber caches each page's objects; free them as we go
        total = len(pdf.pages)
    images: dict[int, tuple[np.ndarray, float]] = {}
    if scanned:
        from .scan import read_scan  # OCR models load only when a file needs them

        for number, image in scan_images(path, scanned, scan_dpi):
            page = read_scan(image, scan_dpi, number)
            layouts[number] = page.layout
            keep_dpi = keep_image(page.layout) if keep_image is not None else None
            if keep_dpi:
                images[number] = _reduced(page.image, page.dpi, keep_dpi)
    return [layouts[n] for n in range(1, total + 1)], images


def _reduced(image: np.ndarray, dpi: float, target: float) -> tuple[np.ndarray, float]:
    """The image at ``target`` dpi when that is lower (same frame, fewer pixels)."""
    if target >= dpi:
        return image, dpi
    from PIL import Image

    height, width = image.shape[:2]
    size = (max(1, round(width * target / dpi)), max(1, round(height * target / dpi)))
    small = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))
    return small, dpi * size[0] / width


def read_text_page(page, number: int) -> PageLayout | None:
    """A page's words and cells from its text layer; None when the page is really a picture."""
    if _is_scan(page):
        return None
    page = page.dedupe_chars(tolerance=1)  # fake bold draws each glyph twice (pdfplumber #992)
    words = [Word(w["x0"], w["top"], w["x1"], w["bottom"], text=w["text"])
             for w in page.extract_words(**_WORD_SETTINGS)]
    return PageLayout(number=number, width=float(page.width), height=float(page.height),
                      words=words, cells=_cells(page), source="text")


def _is_scan(page) -> bool:
    """True when the text layer cannot be trusted: unmapped glyphs, or a picture and no text."""
    text = "".join(c["text"] for c in page.chars)
    if text:
        unmapped = sum(len(m) for m in _UNMAPPED.findall(text)) + text.count("\ufffd")
        if unmapped / len(text) > 0.3:
            return True
    visible = len(text.strip())
    if visible >= 20:
        return False
    page_area = float(page.width * page.height)
    image_area = sum(max(0.0, (i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images)
    return image_area > 0.3 * page_area


def _cells(page) -> list[Box]:
    """The boxes drawn by the ruling lines, single-cell boxes included.

    pdfplumber's table finder drops a table of one cell, and a box on its own (二、试点内容)
    is exactly such a table; so build the cells from the page's edges with its own helpers.
    """
    edges = [e for e in page.edges if e["orientation"] in ("h", "v")]
    if not edges:
        return []
    edges = merge_edges(edges, snap_x_tolerance=_SNAP, snap_y_tolerance=_SNAP,
                        join_x_tolerance=_JOIN, join_y_tolerance=_JOIN)
    edges = edges + _closing_edges(edges)
    # Underlines on the cover are short horizontal edges: harmless, they form no cells.
    intersections = edges_to_intersections(edges, x_tolerance=1, y_tolerance=1)
    cells = []
    for x0, top, x1, bottom in intersections_to_cells(intersections):
        if x1 - x0 >= _MIN_CELL and bottom - top >= _MIN_CELL:
            cells.append(Box(float(x0), float(top), float(x1), float(bottom)))
    return cells


def _closing_edges(edges: list[dict]) -> list[dict]:
    """Horizontal edges that close a box cut by a page break.

    A box that runs on to the next page is drawn without its bottom border (and, on the next
    page, without its top): where two or more vertical rules end at the same height with no
    horizontal rule there, draw one, so the open box still becomes a cell.
    """
    horizontal = [e for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    added = []
    for end in ("top", "bottom"):
        groups: list[list[dict]] = []
        for edge in sorted(vertical, key=lambda e: e[end]):
            if groups and abs(groups[-1][0][end] - edge[end]) <= _SNAP:
                groups[-1].append(edge)
            else:
                groups.append([edge])
        for group in groups:
            if len(group) < 2:
                continue
            y = sum(e[end] for e in group) / len(group)
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
            closed = any(abs(h["top"] - y) <= _SNAP and h["x0"] <= x0 + _SNAP and h["x1"] >= x1 - _SNAP
                         for h in horizontal)
            if not closed:
                added.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                              "height": 0.0, "orientation": "h", "object_type": "line"})
    return added


def render_pages(path, numbers: Iterable[int], dpi: int) -> Iterator[tuple[int, np.ndarray]]:
    """(page number, RGB uint8 array) for the given 1-based page numbers, in page order.

    Only the pages asked for are rendered (a seal search needs the one or two 意见 pages).
    """
    wanted = sorted(set(numbers))
    if not wanted:
        return
    check_file(path)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(path, f"无法渲染页面（{exc}）") from None
    try:
        for number in wanted:
            page = document[number - 1]
            try:
                bitmap = page.render(scale=dpi / 72.0)
                yield number, np.asarray(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
    finally:
        document.close()


def scan_images(path, numbers: Iterable[int], dpi: int) -> Iterator[tuple[int, np.ndarray]]:
    """Scanned pages as the OCR reader wants them (``pipeline.scan.page_images``)."""
    from .scan import page_images

    wanted = sorted(set(numbers))
    if not wanted:
        return
    for number, image in enumerate(islice(page_images(str(path), dpi), wanted[-1]), start=1):
        if number in wanted:
            yield number, image

"""The one place that opens PDFs: limits, passwords, damage, and reading pages into layouts.

A returned PDF is read page by page into :class:`~pipeline.layout.PageLayout`: text-layer pages
with pypdfium2 reproducing pdfplumber's reading (words, and cells from the ruling lines; pages it
cannot reproduce exactly are read with pdfplumber itself), pages that are pictures of paper (or
whose fonts have no Unicode map) with the OCR reader in :mod:`pipeline.scan`. Everything after
this module works on plain layouts and never touches pdfplumber, pikepdf or pypdfium2.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import contextmanager
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
               ) -> tuple[list[PageLayout], ScanImages]:
    """Page layouts, and the (deskewed image, dpi) of the scanned pages ``keep_image`` asks for.

    A scanned page's words and cells are measured on the straightened image, so ink must be
    measured on that same image later. ``keep_image(layout)`` gives the resolution to keep a
    page's image at (None: drop it); the images are made again when looked up (:class:`ScanImages`),
    so that a long scan does not fill the memory.
    """
    path = Path(path)
    layouts: dict[int, PageLayout] = {}
    scanned: list[int] = []
    with open_pdf(path) as pdf, _pdfium_document(path, len(pdf.pages)) as document:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                layout = _read_page(document, page, number)
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
    images = ScanImages(path, scan_dpi)
    if scanned:
        from .scan import read_scan  # OCR models load only when a file needs them

        for number, image in scan_images(path, scanned, scan_dpi):
            page = read_scan(image, scan_dpi, number)
            layouts[number] = page.layout
            keep_dpi = keep_image(page.layout) if keep_image is not None else None
            if keep_dpi:
                # read_scan returns the page itself when it was straight enough not to turn
                images.keep(number, None if page.image is image else page.angle, keep_dpi)
    return [layouts[n] for n in range(1, total + 1)], images


class ScanImages(Mapping):
    """{page number: (deskewed image, dpi)} of the scanned pages kept, each made when looked up.

    Holding the images from the reading costs 3–12 MB a page (a 100-page scan held 360 MB);
    a page looked up is rendered again, turned by the angle the reading found and reduced the
    same way, which gives the very pixels its words were measured on. A page made is kept:
    a file's marks and its 「/」 checks look up the same few pages.
    """

    def __init__(self, path, dpi: float):
        self.path = Path(path)
        self.dpi = dpi
        self._kept: dict[int, tuple[float | None, float]] = {}  # page: (angle turned or None, dpi kept at)
        self._made: dict[int, tuple[np.ndarray, float]] = {}

    def keep(self, number: int, angle: float | None, dpi: float) -> None:
        """Remember to give page ``number`` turned by ``angle`` (None: not turned), at ``dpi`` or less."""
        self._kept[number] = (angle, dpi)
        self._made.pop(number, None)

    def __getitem__(self, number: int) -> tuple[np.ndarray, float]:
        made = self._made.get(number)
        if made is None:
            angle, dpi = self._kept[number]
            from .scan import page_images, rotate

            image, = page_images(self.path, self.dpi, [number])
            if angle is not None:
                image = rotate(image, angle)
            made = self._made[number] = _reduced(image, self.dpi, dpi)
        return made

    def __contains__(self, number) -> bool:
        return number in self._kept

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._kept))

    def __len__(self) -> int:
        return len(self._kept)


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
    """A page's words and cells from its text layer; None when the page is really a picture.

    The pdfplumber reading: the reference :func:`read_text_page_fast` must reproduce, and its
    fallback.
    """
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
    return _cells_from_edges(page.edges)


def _cells_from_edges(edges: list[dict]) -> list[Box]:
    edges = [e for e in edges if e["orientation"] in ("h", "v")]
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


@contextmanager
def _pdfium_document(path: Path, pages: int):
    """The same file opened with pdfium for the fast reading; None where pdfium cannot open it
    or counts other pages than pdfminer (then every page is read with pdfplumber)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        yield None
        return
    try:
        yield document if len(document) == pages else None
    finally:
        document.close()


def _read_page(document, page, number: int) -> PageLayout | None:
    if document is None:
        return read_text_page(page, number)
    try:
        pdfium_page = document[number - 1]
    except pdfium.PdfiumError:
        return read_text_page(page, number)
    try:
        return read_text_page_fast(pdfium_page, page, number)
    finally:
        pdfium_page.close()


# --- The fast reading: pypdfium2 ------------------------------------------------------------
# pdfminer (under pdfplumber) interprets content streams in Python, about 0.05 s a page; pdfium
# does it in C. The reading below reproduces pdfplumber's chars (pdfminer's boxes: the origin,
# the advance width, the font descriptor's descent and the font size), its fake-bold dedupe, its
# word splitting and its edges (pdfminer's line / rect / curve split of each subpath), so both
# readings give the same PageLayout. Whatever it cannot reproduce exactly (rotated pages or text,
# a cropped page, fonts without a plain descriptor, unmapped glyphs, pages with hardly any text),
# it declines, and that page is read with pdfplumber.

class _Decline(Exception):
    """This page is not one the fast reading reproduces exactly: read it with pdfplumber."""


_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def read_text_page_fast(pdfium_page, page, number: int) -> PageLayout | None:
    """Like :func:`read_text_page`, from pdfium; falls back to pdfplumber where it must."""
    try:
        return _read_fast(pdfium_page, page, number)
    except (_Decline, pdfium.PdfiumError):
        return read_text_page(page, number)


def _read_fast(pdfium_page, page, number: int) -> PageLayout:
    import pypdfium2.raw as raw

    if pdfium_page.get_rotation() % 360:
        raise _Decline
    left, low, right, high = pdfium_page.get_mediabox()
    if left or low or pdfium_page.get_cropbox() != (left, low, right, high):
        raise _Decline
    width, height = float(page.width), float(page.height)
    if abs(width - (right - left)) > 0.01 or abs(height - (high - low)) > 0.01:
        raise _Decline
    textpage = pdfium_page.get_textpage()
    try:
        chars = _fast_chars(raw, textpage, page, height)
    finally:
        textpage.close()
    if len("".join(c[0] for c in chars).strip()) < 20 and _image_area(raw, pdfium_page) > 0.3 * width * height:
        raise _Decline  # a picture and hardly any text: let the careful check decide
    words = _words(_dedupe(chars))
    edges = _fast_edges(raw, pdfium_page, height)
    return PageLayout(number=number, width=width, height=height, words=words,
                      cells=_cells_from_edges(edges), source="text")


def _font_descents(page) -> dict[str, float]:
    """pdfminer's descent (font units / 1000) of each font on the page, by BaseFont name."""
    from pdfminer.pdftypes import resolve1

    fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
    descents = {}
    for spec in fonts.values():
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            continue
        base = resolve1(spec.get("BaseFont"))
        subtype = resolve1(spec.get("Subtype"))
        name = getattr(base, "name", None)
        if isinstance(name, str) and len(name) > 7 and name[6] == "+":
            name = name[7:]  # pdfium names fonts without the subset tag
        if name is None or getattr(subtype, "name", None) == "Type3":
            continue
        if getattr(subtype, "name", None) == "Type0":
            descendants = resolve1(spec.get("DescendantFonts")) or []
            spec = resolve1(descendants[0]) if descendants else {}
        descriptor = resolve1(spec.get("FontDescriptor")) if isinstance(spec, dict) else None
        if not isinstance(descriptor, dict):
            continue  # standard-14 metrics: pdfminer has its own table; decline
        descent = resolve1(descriptor.get("Descent", 0))
        if not isinstance(descent, (int, float)):
            continue
        descent = -abs(descent) / 1000.0
        if descents.setdefault(name, descent) != descent:
            descents[name] = None  # two fonts of one name that differ: decline
    return descents


def _fast_chars(raw, textpage, page, height: float) -> list[tuple]:
    """(text, x0, top, x1, bottom, font, size) of every real (not generated) character."""
    import ctypes

    descents = _font_descents(page)
    objects: dict[int, tuple] = {}
    widths: dict[tuple, float] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    size_c, width_c = ctypes.c_float(), ctypes.c_float()
    matrix = raw.FS_MATRIX()
    loose = raw.FS_RECTF()
    ink_left, ink_right = ctypes.c_double(), ctypes.c_double()
    ink_bottom, ink_top = ctypes.c_double(), ctypes.c_double()
    name_buffer = ctypes.create_string_buffer(256)
    chars = []
    count = raw.FPDFText_CountChars(textpage)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    page_text = buffer.raw[:2 * max(0, written - 1)].decode("utf-16-le", "surrogatepass")
    if len(page_text) != count:
        raise _Decline
    for i, text in enumerate(page_text):
        code = ord(text)
        if (code <= 0x20 or text.isspace()) and raw.FPDFText_IsGenerated(textpage, i):
            continue  # pdfium's own spaces and line breaks: not in the content stream
        if (code in (0, 0xFFFD, 0xFFFE) or 0xD800 <= code <= 0xDFFF
                or raw.FPDFText_HasUnicodeMapError(textpage, i)):
            raise _Decline  # unmapped glyphs or surrogate pairs: pdfplumber's (cid:) rule decides
        obj = raw.FPDFText_GetTextObject(textpage, i)
        if not obj:
            raise _Decline
        key = ctypes.cast(obj, ctypes.c_void_p).value
        info = objects.get(key)
        if info is None:
            if not raw.FPDFPageObj_GetMatrix(obj, matrix) or not raw.FPDFTextObj_GetFontSize(obj, size_c):
                raise _Decline
            if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                raise _Decline  # rotated, mirrored or skewed text
            font = raw.FPDFTextObj_GetFont(obj)
            length = raw.FPDFFont_GetBaseFontName(font, name_buffer, len(name_buffer)) if font else 0
            if not length or length > len(name_buffer):
                raise _Decline
            name = name_buffer.raw[:length - 1].decode("latin-1")
            descent = descents.get(name)
            if descent is None:
                raise _Decline
            info = objects[key] = (font, ctypes.cast(font, ctypes.c_void_p).value, size_c.value,
                                   matrix.a, matrix.d, descent, name)
        font, font_key, size, a, d, descent, name = info
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        x0 = x.value
        # pdfminer's advance is the font's width of the char code. pdfium's loose box is the
        # advance box united with the glyph's ink box, so its right side is the advance unless
        # the ink overhangs it; then ask the font for the width of the (unicode) character.
        raw.FPDFText_GetLooseCharBox(textpage, i, loose)
        advance = widths.get((font_key, code, size))
        if advance is None:
            if not raw.FPDFFont_GetGlyphWidth(font, code, size, width_c):
                raise _Decline
            advance = widths[(font_key, code, size)] = width_c.value
        x1 = x0 + advance * a
        if abs(x1 - loose.right) > 0.01:
            raw.FPDFText_GetCharBox(textpage, i, ink_left, ink_right, ink_bottom, ink_top)
            if loose.right - ink_right.value > 1e-3:
                x1 = loose.right  # the ink stays inside: the loose box is the advance box
            elif x1 > loose.right + 0.01:
                raise _Decline  # the font's width of the unicode is not this glyph's
        lower = y.value + descent * size * d
        chars.append((text, x0, height - (lower + size * d), x1, height - lower,
                      font_key, round(size * d, 4)))
    return chars


def _dedupe(chars: list[tuple]) -> list[tuple]:
    """pdfplumber's ``dedupe_chars(tolerance=1)``: same text, font and size within 1 pt."""
    order = {id(c): i for i, c in enumerate(chars)}
    groups: dict[tuple, list[tuple]] = {}
    for char in chars:
        groups.setdefault((char[0], char[5], char[6]), []).append(char)
    kept = []
    for group in groups.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        for row in _clusters(group, 2, 1):
            for column in _clusters(row, 1, 1):
                kept.append(min(column, key=lambda c: (c[2], c[1])))
    if len(kept) == len(chars):
        return chars
    kept.sort(key=lambda c: order[id(c)])
    return kept


def _clusters(items: list[tuple], index: int, tolerance: float) -> list[list[tuple]]:
    """pdfplumber's ``cluster_objects``: sorted values chained within ``tolerance``."""
    groups: list[list[tuple]] = []
    last = None
    for item in sorted(items, key=lambda c: c[index]):
        value = item[index]
        if groups and value <= last + tolerance:
            groups[-1].append(item)
        else:
            groups.append([item])
        last = value
    return groups


def _image_area(raw, pdfium_page) -> float:
    """Area of the page's images (pdfplumber's ``page.images``), forms included."""
    import ctypes

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    area = 0.0

    def visit(obj):
        nonlocal area
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, j))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            area += max(0.0, (right.value - left.value) * (top.value - bottom.value))

    for index in range(raw.FPDFPage_CountObjects(pdfium_page.raw)):
        visit(raw.FPDFPage_GetObject(pdfium_page.raw, index))
    return area


def _words(chars: list[tuple]) -> list[Word]:
    """pdfplumber's ``extract_words(**_WORD_SETTINGS)`` on upright left-to-right text."""
    x_tol, y_tol = _WORD_SETTINGS["x_tolerance"], _WORD_SETTINGS["y_tolerance"]
    words = []

    def finish(run):
        if run:
            words.append(Word(min(c[1] for c in run), min(c[2] for c in run),
                              max(c[3] for c in run), max(c[4] for c in run),
                              text="".join(_LIGATURES.get(c[0], c[0]) for c in run)))

    if not chars:
        return words
    order = {id(c): i for i, c in enumerate(chars)}
    for line in _clusters(chars, 2, y_tol):
        run: list[tuple] = []
        for char in sorted(line, key=lambda c: (c[1], order[id(c)])):
            if char[0].isspace():
                finish(run)
                run = []
            elif run and (char[1] < run[-1][1] or char[1] > run[-1][3] + x_tol
                          or abs(char[2] - run[-1][2]) > y_tol):
                finish(run)
                run = [char]
            else:
                run.append(char)
        finish(run)
    return words


def _fast_edges(raw, pdfium_page, height: float) -> list[dict]:
    """pdfplumber's ``page.edges``: lines, then rectangle sides, then curve segments."""
    import ctypes

    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    fx, fy = ctypes.c_float(), ctypes.c_float()
    matrix = raw.FS_MATRIX()

    def visit(obj, outer):
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            return
        if not raw.FPDFPageObj_GetMatrix(obj, matrix):
            raise _Decline
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, j), m)
            return
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        if not fill.value and not stroke.value:
            return  # pdfminer paints nothing for "n"
        a, b, c, d, e, f = m
        path: list[tuple[str, tuple[float, float]]] = []
        start = None
        for j in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, j)
            raw.FPDFPathSegment_GetPoint(segment, fx, fy)
            px, py = fx.value, fy.value
            point = (a * px + c * py + e, height - (b * px + d * py + f))
            kind_j = raw.FPDFPathSegment_GetType(segment)
            if kind_j == raw.FPDF_SEGMENT_MOVETO:
                path.append(("m", point))
                start = point
            elif kind_j == raw.FPDF_SEGMENT_LINETO:
                if raw.FPDFPathSegment_GetClose(segment) and point == start:
                    path.append(("h", point))  # pdfium turns "h" into a line back to the start
                    continue
                path.append(("l", point))
            elif kind_j == raw.FPDF_SEGMENT_BEZIERTO:
                path.append(("c", point))  # three points each; only the last is pdfminer's
            else:
                raise _Decline
            if raw.FPDFPathSegment_GetClose(segment):
                path.append(("h", start))
        _paint(_bezier_ops(path), lines, rects, curves)

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for index in range(raw.FPDFPage_CountObjects(pdfium_page.raw)):
        visit(raw.FPDFPage_GetObject(pdfium_page.raw, index), identity)
    return lines + rects + curves


def _compose(inner, outer):
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _bezier_ops(path):
    """pdfium gives a curve as three BEZIERTO points; pdfminer keeps one "c" op per curve."""
    ops, pending = [], 0
    for op, point in path:
        if op == "c":
            pending += 1
            if pending == 3:
                ops.append(("c", point))
                pending = 0
            continue
        if pending:
            raise _Decline
        ops.append((op, point))
    if pending:
        raise _Decline
    return ops


def _paint(path, lines, rects, curves) -> None:
    """pdfminer's ``paint_path`` (one object per subpath) turned into pdfplumber's edges."""
    subpaths, current = [], []
    for op, point in path:
        if op == "m" and current:
            subpaths.append(current)
            current = []
        if op != "m" and not current:
            return  # pdfminer ignores a path that does not start with m
        current.append((op, point))
    if current:
        subpaths.append(current)
    for sub in subpaths:
        shape = "".join(op for op, _ in sub)
        pts = [point for _, point in sub]
        pts = [sub[0][1] if op == "h" else p for (op, _), p in zip(sub, pts)]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            (x0, y0), (x1, y1) = pts[0], pts[1]
            top, bottom = min(y0, y1), max(y0, y1)
            lines.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
                          "width": abs(x1 - x0), "height": bottom - top, "object_type": "line",
                          "orientation": "h" if top == bottom else "v"})
        elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and (
                (pts[0][0] == pts[1][0] and pts[1][1] == pts[2][1] and pts[2][0] == pts[3][0]
                 and pts[3][1] == pts[0][1])
                or (pts[0][1] == pts[1][1] and pts[1][0] == pts[2][0] and pts[2][1] == pts[3][1]
                    and pts[3][0] == pts[0][0])):
            xs, ys = (pts[0][0], pts[2][0]), (pts[0][1], pts[2][1])
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            for edge in ((x0, x1, top, top, "h"), (x0, x1, bottom, bottom, "h"),
                         (x0, x0, top, bottom, "v"), (x1, x1, top, bottom, "v")):
                rects.append({"x0": edge[0], "x1": edge[1], "top": edge[2], "bottom": edge[3],
                              "width": edge[1] - edge[0], "height": edge[3] - edge[2],
                              "object_type": "rect_edge", "orientation": edge[4]})
        else:
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                curves.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": min(y0, y1),
                               "bottom": max(y0, y1), "width": abs(x0 - x1), "height": abs(y0 - y1),
                               "object_type": "curve_edge",
                               "orientation": "v" if x0 == x1 else ("h" if y0 == y1 else None)})


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
    pages = page_images(str(path), dpi, wanted)  # only these: a mixed file's text pages are not rendered
    try:
        for number in wanted:
            yield number, next(pages)
    finally:
        pages.close()

"""Opening a returned PDF, and drawing its pages: limits, passwords, damage, the one renderer.

Every reading of a returned file starts here: :func:`check_file` refuses what is not worth
parsing (missing, too large, not a PDF, cut off), :func:`open_pdf` turns pdfminer's failures and
passwords into :class:`~pipeline.errors.DocumentError` with a Chinese reason, and
:func:`render_pages` is the one way a page becomes pixels (pypdfium2), for OCR, for seals and
signatures on typed pages, for report pictures and for blind copies.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import EncryptedDocument, UnreadableDocument
from ..messages import exception_kind, readable

#: refuse files above these limits (a 申报书 is about a dozen pages and a few MB)
MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 300
#: the most pixels one page may be drawn with: an A4 page at 600 dpi has 35 million; a page of
#: 14400 pt (the largest ISO 32000 allows) at 300 dpi would be 3.6 billion, 10 GB of RGB
MAX_PAGE_PIXELS = 40_000_000


class PageTooLarge(pdfium.PdfiumError):
    """A page whose picture at the asked resolution would exceed MAX_PAGE_PIXELS; raised as
    pdfium's own error, so every caller that reports a page pdfium cannot draw reports this."""

    def __init__(self, width: float, height: float, dpi: float):
        self.width, self.height, self.dpi = width, height, dpi
        super().__init__(f"页面尺寸 {width / 72 * 25.4:.0f}×{height / 72 * 25.4:.0f} 毫米过大，"
                         f"按 {dpi:g} dpi 绘制超过 {MAX_PAGE_PIXELS // 1_000_000} 百万像素的上限")


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
        handle.seek(max(0, size - 65536))
        # bytes after %%EOF are ignored by readers: uploads padded with NULs or spaces are whole
        tail = handle.read().rstrip(b"\x00 \t\r\n\f")[-2048:]
    if b"%PDF-" not in head:
        raise UnreadableDocument(path, "不是 PDF 文件（文件头不是 %PDF），请提交 PDF 格式的文件")
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
        raise document_error(path, exc) from None
    except Exception as exc:  # pdfminer raises plain errors (KeyError, TypeError) on junk
        raise UnreadableDocument(path, f"PDF 结构损坏，无法解析（{exception_kind(exc)}）") from None
    try:
        if pages == 0:
            raise UnreadableDocument(path, "PDF 中没有任何页面")
        if pages > MAX_PAGES:
            raise UnreadableDocument(path, f"共 {pages} 页，超过上限 {MAX_PAGES} 页，请只提交所填的表本身")
        yield pdf
    finally:
        pdf.close()


def document_error(path: Path, exc: Exception):
    """The DocumentError for an exception pdfminer raised while reading ``path``."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return EncryptedDocument(path, "文件设有打开密码，无法读取；请提交未加密的 PDF")
    return UnreadableDocument(path, f"PDF 结构损坏，无法解析（{exception_kind(cause)}）")


@contextmanager
def pdfium_document(path, pages: int | None = None):
    """The file opened with pdfium; None where pdfium cannot open it, or counts other pages
    than ``pages`` (pdfminer's count: then every page is read with pdfplumber)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        yield None
        return
    try:
        yield document if pages is None or len(document) == pages else None
    finally:
        document.close()


def render_page(page, dpi: float) -> np.ndarray:
    """One open pypdfium2 page as an RGB ``uint8`` array at ``dpi`` (its own copy of the pixels);
    a page past the pixel budget is refused before pdfium allocates it."""
    width, height = page.get_size()
    if width * height * (dpi / 72.0) ** 2 > MAX_PAGE_PIXELS:
        raise PageTooLarge(width, height, dpi)
    bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)  # RGB, not pdfium's BGR
    if bitmap.mode == "RGB":
        return np.array(bitmap.to_numpy())  # a copy, rows without padding
    return np.asarray(bitmap.to_pil().convert("RGB"))  # any other format pdfium may choose


def render_pages(path, dpi: float, numbers: Iterable[int] | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """(page number, RGB ``uint8`` array) for every page, or for the 1-based ``numbers`` only,
    in page order; only the pages asked for are rendered (a seal search needs one or two)."""
    check_file(path)
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise UnreadableDocument(path, f"无法打开 PDF（{readable(exc)}）") from None
    try:
        wanted = range(1, len(document) + 1) if numbers is None else sorted(set(numbers))
        for number in wanted:
            try:
                page = document[number - 1]
            except (pdfium.PdfiumError, IndexError) as exc:
                raise UnreadableDocument(path, f"第 {number} 页无法渲染（{readable(exc)}）") from None
            try:
                image = render_page(page, dpi)
            except pdfium.PdfiumError as exc:
                raise UnreadableDocument(path, f"第 {number} 页无法渲染（{readable(exc)}）") from None
            finally:
                page.close()
            yield number, image  # the caller holds only this page's pixels while it works
    finally:
        document.close()

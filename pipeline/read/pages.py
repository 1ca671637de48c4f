"""Every page of a returned PDF as a page layout: from its text layer, or by OCR of its picture.

Typed pages are read with pypdfium2 reproducing pdfplumber (:mod:`pipeline.read.pdfium_text`;
pages it cannot reproduce exactly with pdfplumber itself, :mod:`pipeline.read.textlayer`); pages
that are pictures of paper, or whose fonts have no Unicode map (:mod:`pipeline.read.classify`),
are rendered and read by :func:`pipeline.read.scan.read_scan`. Everything after this package
works on plain layouts and never touches pdfplumber, pikepdf or pypdfium2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import UnreadableDocument
from ..messages import exception_kind
from .classify import images_in_colour, is_sandwich, pdfium_image_share
from .images import ScanImages
from .page import PageLayout
from .pdf import document_error, open_pdf, pdfium_document, render_pages
from .pdfium_text import read_text_page_fast
from .scan import read_scan
from .textlayer import read_text_page

#: resolution for OCR of scanned pages (FIELD-NOTES: 150–200 dpi reads filled fields exactly)
SCAN_DPI = 200


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
    scanned: dict[int, list | None] = {}  # page: its own text layer's words (a sandwich) or None
    colour: dict[int, bool | None] = {}  # page: whether its pictures hold colour
    with open_pdf(path) as pdf, pdfium_document(path, len(pdf.pages)) as document:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                layout = _read_text_page(document, page, number)
                if layout is None:
                    scanned[number] = None
                elif is_sandwich(page, _image_share(document, number)):
                    scanned[number] = layout.words
                else:
                    layouts[number] = layout
                if number in scanned:
                    colour[number] = images_in_colour(page)
            except PdfminerException as exc:
                raise document_error(path, exc) from None
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                # pdfminer trips on damaged content streams in these ways
                raise UnreadableDocument(
                    path, f"第 {number} 页内容损坏，无法解析（{exception_kind(exc)}）") from None
            finally:
                page.close()  # pdfplumber caches each page's objects; free them as we go
        total = len(pdf.pages)
    images = ScanImages(path, scan_dpi)
    # only the scanned pages are rendered: a mixed file's text pages are not
    for number, image in render_pages(path, scan_dpi, scanned) if scanned else ():
        page = read_scan(image, scan_dpi, number, words=scanned[number], colour=colour.get(number))
        layouts[number] = page.layout
        keep_dpi = keep_image(page.layout) if keep_image is not None else None
        if keep_dpi:
            images.keep(number, page.how, keep_dpi)
    return [layouts[n] for n in range(1, total + 1)], images


def _image_share(document, number: int) -> float | None:
    """The share of page ``number`` its pictures cover, measured by pdfium (None: not there)."""
    if document is None:
        return None
    try:
        page = document[number - 1]
    except pdfium.PdfiumError:
        return None
    try:
        return pdfium_image_share(page)
    finally:
        page.close()


def _read_text_page(document, page, number: int) -> PageLayout | None:
    """The fast reading where pdfium has the page, else pdfplumber's; None for a picture."""
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
